// Package language is the learner's language and the words the lessons show in it. English unless asked: by Set,
// or by $CENTERLOSS_LANG, which the lessons' kernel sets for a notebook in a ja folder (kernels/lesson-kernel.sh),
// so that the Japanese lessons run the English lessons' code and their widgets, captions and pictures speak
// Japanese with no code of the lesson saying so. Nothing here reads where a program runs: the command line and a
// program of one's own draw in English wherever they are started.
package language

import (
	"os"
	"slices"
	"strings"
)

// EnvVar names the environment variable that picks the language when Chosen is empty: CENTERLOSS_LANG.
const EnvVar = "CENTERLOSS_LANG"

// Known are the languages the lessons speak, by their ISO 639-1 code; English is the one every other falls back to.
var Known = []string{"en", "ja"}

// Chosen is the language the caller picked: "en" or "ja". Empty, the default, follows $CENTERLOSS_LANG at each call
// of Current.
var Chosen string

// Set sets Chosen: a program (the command line's -lang) picks its language once.
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
	lang, _, _ = strings.Cut(strings.ToLower(lang), ".")
	lang, _, _ = strings.Cut(lang, "_")
	lang, _, _ = strings.Cut(lang, "-")
	if slices.Contains(Known, lang) {
		return lang
	}
	return "en"
}
