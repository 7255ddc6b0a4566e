package language

import (
	"os"
	"strings"
	"testing"

	"golang.org/x/image/font/sfnt"
)

// japaneseFontOrSkip returns the font the Japanese pictures are drawn in. Without one the test is skipped, except on
// CI, whose `make test` installs it (scripts/japanese-font.sh).
func japaneseFontOrSkip(t *testing.T) *Font {
	t.Helper()
	f, err := JapaneseFont()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	return f
}

// TestTheFontDrawsEveryJapaneseWord: every character of the Japanese words drawn in pictures, and of their English
// (Greek, math), has a glyph in the font: no box drawn for a missing one. (The words of the widgets and the worked
// example's lines are the browser's to draw.)
func TestTheFontDrawsEveryJapaneseWord(t *testing.T) {
	f := japaneseFontOrSkip(t)
	var buf sfnt.Buffer
	pictures := 0
	for english, p := range phrasesSaid(t) {
		if !p.picture {
			continue
		}
		pictures++
		ja := japanese[english]
		for _, r := range english + ja {
			if r == '\n' || r == '\\' || r == '{' || r == '}' || r == '_' { // mathText's marks, not drawn
				continue
			}
			if i, err := f.Font.GlyphIndex(&buf, r); err != nil || i == 0 {
				t.Errorf("%s has no glyph for %q (U+%04X), in %q (%s)", f.Path, r, r, ja, p.where)
			}
		}
	}
	if pictures < 30 {
		t.Errorf("only %d phrases drawn in pictures", pictures)
	}
}

// TestFontEnvVar: $CENTERLOSS_JA_FONT names the font, and a file that is not one is an error naming it.
func TestFontEnvVar(t *testing.T) {
	path := t.TempDir() + "/not-a-font.ttf"
	if err := os.WriteFile(path, []byte("not a font"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := readFont(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("a file that is no font: %v", err)
	}
	if _, err := readFont(path + ".missing"); err == nil || !strings.Contains(err.Error(), path+".missing") {
		t.Errorf("a missing file: %v", err)
	}
	f := japaneseFontOrSkip(t)
	again, err := readFont(f.Path)
	if err != nil || again.Font.NumGlyphs() != f.Font.NumGlyphs() {
		t.Errorf("%s read again: %v", f.Path, err)
	}
}
