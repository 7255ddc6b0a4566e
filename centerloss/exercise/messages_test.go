package exercise

import (
	"reflect"
	"regexp"
	"testing"

	"github.com/centerloss/centerloss/centerloss/internal/testbackend"
)

// TestLanguage: Language first, then $CENTERLOSS_LANG (read as $LANG is), then a notebook in a "ja" folder
// ($JPY_SESSION_NAME, set by Jupyter's server); anything without a table is English.
func TestLanguage(t *testing.T) {
	defer SetLanguage(Language)
	for _, c := range []struct{ lang, env, session, want string }{
		{"", "", "", "en"}, {"", "en_US.UTF-8", "", "en"}, {"ja", "", "", "ja"}, {"", "xx", "", "en"},
		{"EN", "ja", "", "en"}, {"", "ja_JP.UTF-8", "", "ja"}, {"", "", "ja/03_center_loss_theory.ipynb", "ja"},
		{"", "", "/home/me/centerloss/notebooks/ja/03.ipynb", "ja"}, {"", "", "03_center_loss_theory.ipynb", "en"},
		{"", "", "jazz/03.ipynb", "en"}, {"", "en", "ja/03.ipynb", "en"},
	} {
		t.Setenv(LanguageEnvVar, c.env)
		t.Setenv(SessionEnvVar, c.session)
		SetLanguage(c.lang)
		if got := CurrentLanguage(); got != c.want {
			t.Errorf("Language %q, $%s %q, $%s %q: %s, want %s", c.lang, LanguageEnvVar, c.env, SessionEnvVar,
				c.session, got, c.want)
		}
	}
	SetLanguage("ja")
	if messages() != &japanese {
		t.Error("ja: not the Japanese table")
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

// TestJapaneseMessages: in a Japanese lesson the checker answers in Japanese, with the same figures.
func TestJapaneseMessages(t *testing.T) {
	defer SetLanguage(Language)
	SetLanguage("ja")
	backend := testbackend.Get(t)
	if r := CheckCenterLossOn(backend, nilLoss); r.String() != "✗ nilLoss が nil を返しています: TODO の箇所に損失を書いてください" {
		t.Errorf("nil loss: %q", r)
	}
	if r := CheckCenterLossOn(backend, myCenterLoss); !r.OK() ||
		r.String() != "✓ myCenterLoss は centerloss.CenterLoss と 7 個のバッチで一致しました（値と勾配）" {
		t.Errorf("solution: %q", r)
	}
}
