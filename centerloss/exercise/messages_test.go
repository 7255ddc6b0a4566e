package exercise

import (
	"reflect"
	"regexp"
	"testing"
)

// TestLanguageFallsBackToEnglish: no table but English yet; $CENTERLOSS_LANG is read as $LANG is.
func TestLanguageFallsBackToEnglish(t *testing.T) {
	defer SetLanguage(Language)
	for _, c := range []struct{ lang, env string }{{"", ""}, {"", "en_US.UTF-8"}, {"ja", ""}, {"", "xx"}, {"EN", "ja"}} {
		t.Setenv(LanguageEnvVar, c.env)
		SetLanguage(c.lang)
		if messages() != &english {
			t.Errorf("Language %q, $%s %q: not English", c.lang, LanguageEnvVar, c.env)
		}
	}
}

// TestEveryTableIsComplete: every language has every message, with the same arguments as English (a translation
// may reorder them, %[2]s, but not drop one).
func TestEveryTableIsComplete(t *testing.T) {
	verb := regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z]`)
	want := reflect.ValueOf(english)
	for lang, table := range tables {
		got := reflect.ValueOf(*table)
		for i := range got.NumField() {
			name, g, w := got.Type().Field(i).Name, got.Field(i).String(), want.Field(i).String()
			if g == "" {
				t.Errorf("%s: %s is empty", lang, name)
			}
			if n, m := len(verb.FindAllString(g, -1)), len(verb.FindAllString(w, -1)); n != m {
				t.Errorf("%s: %s has %d arguments, English %d", lang, name, n, m)
			}
		}
	}
}
