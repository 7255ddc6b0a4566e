package language

import (
	"fmt"
	"os"
	"sync"
)

// Say returns english in the learner's language: its entry in that language's table (japanese.go), or english
// itself in English, or where the table has no entry (a name, a number, a setting's key).
func Say(english string) string {
	return in(Current(), english)
}

// Sayf is fmt.Sprintf of Say(format): a translation may reorder the arguments with explicit indices (%[2]d), since
// word order differs between languages.
func Sayf(format string, args ...any) string {
	return fmt.Sprintf(Say(format), args...)
}

// InPicture is Say for the words drawn into a picture (titles, axes, legends, captions): they are in
// PictureLanguage, which is English where no font can draw the learner's language.
func InPicture(english string) string {
	return in(PictureLanguage(), english)
}

// InPicturef is fmt.Sprintf of InPicture(format).
func InPicturef(format string, args ...any) string {
	return fmt.Sprintf(InPicture(format), args...)
}

// PictureLanguage is the language the pictures are drawn in: Current, unless that is Japanese and no font with
// Japanese glyphs is found (JapaneseFont); then the pictures are in English, and standard error says once why.
func PictureLanguage() string {
	lang := Current()
	if lang == "ja" {
		if _, err := JapaneseFont(); err != nil {
			warnNoFont.Do(func() { fmt.Fprintf(os.Stderr, "centerloss: the pictures are in English: %v\n", err) })
			return "en"
		}
	}
	return lang
}

var warnNoFont sync.Once

func in(lang, english string) string {
	if lang == "ja" {
		if w, ok := japanese[english]; ok {
			return w
		}
	}
	return english
}
