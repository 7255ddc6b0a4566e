package plots

import (
	"sync"

	"github.com/centerloss/centerloss/centerloss/language"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
)

// textHandler typesets every word of our pictures. In English it is gonum/plot's own (Liberation Sans). In
// Japanese (language.PictureLanguage) it is one of our own whose cache holds a font with Japanese glyphs under
// plot.DefaultFont's name, so that every style naming plot.DefaultFont draws in it, Latin letters and figures too,
// as Japanese figures usually are; gonum/plot's default cache is left as it is.
func textHandler() text.Handler {
	if language.PictureLanguage() == "ja" {
		return japaneseHandler()
	}
	return plot.DefaultTextHandler
}

var japaneseHandler = sync.OnceValue(func() text.Handler {
	f, err := language.JapaneseFont()
	if err != nil { // PictureLanguage is Japanese only where the font was found
		return plot.DefaultTextHandler
	}
	face := plot.DefaultFont
	face.Size = 0
	return text.Plain{Fonts: font.NewCache(font.Collection{{Font: face, Face: f.Font}})}
})

// fontFace is the face textHandler draws plot.DefaultFont in, at size.
func fontFace(size font.Length) font.Face {
	f := font.From(plot.DefaultFont, size)
	return textHandler().Cache().Lookup(f, f.Size)
}

// newPlot is plot.New with every text style (title, axes' names and ticks, legend) typeset by textHandler.
func newPlot() *plot.Plot {
	p := plot.New()
	h := textHandler()
	p.TextHandler = h
	p.Title.TextStyle.Handler = h
	p.Legend.TextStyle.Handler = h
	for _, axis := range []*plot.Axis{&p.X, &p.Y} {
		axis.Label.TextStyle.Handler = h
		axis.Tick.Label.Handler = h
	}
	return p
}
