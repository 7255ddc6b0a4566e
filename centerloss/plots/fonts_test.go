package plots

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"testing"

	"github.com/centerloss/centerloss/centerloss/language"
	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
)

// hasGlyph says whether face draws r with a glyph of its own (not the missing-glyph box).
func hasGlyph(t *testing.T, face font.Face, r rune) bool {
	t.Helper()
	var buf sfnt.Buffer
	i, err := face.Face.GlyphIndex(&buf, r)
	return err == nil && i != 0
}

// inJapanese sets the language to Japanese for the test, and skips it where no Japanese font is found, except on
// CI, whose `make test` installs one.
func inJapanese(t *testing.T) {
	t.Helper()
	if _, err := language.JapaneseFont(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	chosen := language.Chosen
	t.Cleanup(func() { language.Set(chosen) })
	language.Set("ja")
}

// TestJapaneseText: in Japanese every style of our plots draws in the Japanese font, Latin letters and figures too,
// while gonum/plot's own handler, cache and default font are left as they were (Liberation, no kanji).
func TestJapaneseText(t *testing.T) {
	inJapanese(t)
	p := newPlot()
	for name, h := range map[string]any{"plot": p.TextHandler, "title": p.Title.TextStyle.Handler,
		"legend": p.Legend.TextStyle.Handler, "x axis": p.X.Label.TextStyle.Handler, "y ticks": p.Y.Tick.Label.Handler} {
		if h != textHandler() {
			t.Errorf("%s: not the Japanese text handler", name)
		}
	}
	face := fontFace(12)
	for _, r := range "中心精度αλ1x" {
		if !hasGlyph(t, face, r) {
			t.Errorf("the Japanese face has no glyph for %q", r)
		}
	}
	def := font.From(plot.DefaultFont, 12)
	if hasGlyph(t, font.DefaultCache.Lookup(def, 12), '中') {
		t.Error("gonum/plot's default cache draws kanji: its Liberation face was replaced")
	}
	if plot.DefaultTextHandler == textHandler() {
		t.Error("gonum/plot's default text handler is the Japanese one")
	}
	language.Set("en")
	if textHandler() != plot.DefaultTextHandler {
		t.Error("English: not gonum/plot's own text handler")
	}
}

// TestJapanesePicture: the worked update drawn in Japanese, with its Japanese legend and axes, is a picture of the
// asked size that differs from the English one (its words and the layout they take).
func TestJapanesePicture(t *testing.T) {
	step := NewCenterStep("one center update", [][2]float64{{2, 1}, {3, 2}, {1, 3}, {2, 2}}, [2]float64{0, 0}, 0.5)
	draw := func() image.Image {
		data, err := step.PNG(760, 560)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	language.Set("en")
	english := draw()
	inJapanese(t)
	japanese := draw()
	if japanese.Bounds() != english.Bounds() || japanese.Bounds().Dx() != 760 {
		t.Fatalf("sizes %v and %v", english.Bounds(), japanese.Bounds())
	}
	differ := 0
	for y := range 560 {
		for x := range 760 {
			if english.At(x, y) != japanese.At(x, y) {
				differ++
			}
		}
	}
	if differ < 1000 {
		t.Errorf("the Japanese picture differs from the English one in %d pixels only", differ)
	}
}
