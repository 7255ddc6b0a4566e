// Package language is the learner's language and the words the lessons show in it: the Japanese lessons in
// notebooks/ja/ run the English lessons' code, and the words of their widgets, captions and pictures follow the
// folder the notebook is in, with no code of the lesson saying so.
package language

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// EnvVar names the environment variable that picks the language when Chosen is empty: CENTERLOSS_LANG.
const EnvVar = "CENTERLOSS_LANG"

// SessionEnvVar is what Jupyter's server sets, for the kernel of a notebook, to the notebook's path under its root:
// a lesson in notebooks/ja/ (a path with a "ja" folder) speaks Japanese.
const SessionEnvVar = "JPY_SESSION_NAME"

// Known are the languages the lessons speak, by their ISO 639-1 code; English is the one every other falls back to.
var Known = []string{"en", "ja"}

// Chosen is the language the learner picked: "en" or "ja". Empty, the default, follows $CENTERLOSS_LANG, then the
// notebook's folder ($JPY_SESSION_NAME), at each call of Current.
var Chosen string

// Set sets Chosen: a notebook's first cell can pick the learner's language once for the whole lesson.
func Set(lang string) {
	Chosen = lang
}

// Current is the language the lessons speak now, one of Known ("en" when in doubt). "ja_JP.UTF-8" and "ja-JP" read
// as "ja", as in $LANG; a language we have no words for ("fr", anything unknown) is English.
func Current() string {
	lang := Chosen
	if lang == "" {
		lang = os.Getenv(EnvVar)
	}
	if lang == "" && slices.Contains(strings.Split(filepath.ToSlash(os.Getenv(SessionEnvVar)), "/"), "ja") {
		lang = "ja"
	}
	lang, _, _ = strings.Cut(strings.ToLower(lang), ".")
	lang, _, _ = strings.Cut(lang, "_")
	lang, _, _ = strings.Cut(lang, "-")
	if slices.Contains(Known, lang) {
		return lang
	}
	return "en"
}
