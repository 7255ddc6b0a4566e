package exercise

import (
	"reflect"
	"regexp"
	"testing"

	"github.com/centerloss/centerloss/centerloss/internal/testbackend"
	"github.com/centerloss/centerloss/centerloss/language"
)

// TestMessagesFollowTheLanguage: the checker's table is the learner's language's.
func TestMessagesFollowTheLanguage(t *testing.T) {
	defer language.Set(language.Chosen)
	language.Set("ja")
	if messages() != &japanese {
		t.Error("ja: not the Japanese table")
	}
	language.Set("en")
	if messages() != &english {
		t.Error("en: not the English table")
	}
	for _, lang := range language.Known {
		if tables[lang] == nil {
			t.Errorf("%s: no table of messages", lang)
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

// TestJapaneseMessages: in a Japanese lesson the checker answers in Japanese, with the same figures.
func TestJapaneseMessages(t *testing.T) {
	defer language.Set(language.Chosen)
	language.Set("ja")
	backend := testbackend.Get(t)
	if r := CheckCenterLossOn(backend, nilLoss); r.String() != "✗ nilLoss が nil を返しています: TODO の箇所に損失を書いてください" {
		t.Errorf("nil loss: %q", r)
	}
	if r := CheckCenterLossOn(backend, myCenterLoss); !r.OK() ||
		r.String() != "✓ myCenterLoss は centerloss.CenterLoss と 7 個のバッチで一致しました（値と勾配）" {
		t.Errorf("solution: %q", r)
	}
}
