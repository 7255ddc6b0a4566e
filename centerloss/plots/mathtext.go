package plots

import (
	"image/color"
	"strings"
	"unicode"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// mathText is a name with the little mathematics the picture needs, drawn
// run by run in the plots' font: "_" sets what follows ({…}, or a run of
// letters and digits) as a subscript, "x_1", "x_i"; `\bar{x}` draws x with a
// bar over it. The font's own subscript digits sit a full digit's width from
// their letter, and its combining macron lands beside the letter, not over
// it (the font leaves that to mark positioning, which gonum does not do).
type mathText string

// mathRun is a piece of a mathText drawn in one face: plain, a subscript, or a
// letter with a bar over it.
type mathRun struct {
	text     string
	sub, bar bool
}

// Subscripts are subScale of the size, their baseline subDrop of the size
// lower; the bar is drawn barHeight of the size above the baseline (over the
// x-height of Liberation Serif, 0.46).
const (
	subScale  = 0.7
	subDrop   = 0.2
	barHeight = 0.6
	barWidth  = 0.055
)

// runs splits the text into its runs, in order: "x_12 … y_{ab}" is x, 12
// (sub), " … y", ab (sub). A backslash not starting \bar is kept as text.
func (m mathText) runs() []mathRun {
	var runs []mathRun
	s := string(m)
	group := func(s string) (string, string) { // {…} or letters and digits, and the rest
		if strings.HasPrefix(s, "{") {
			if end := strings.IndexByte(s, '}'); end > 0 {
				return s[1:end], s[end+1:]
			}
		}
		end := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if end < 0 {
			end = len(s)
		}
		return s[:end], s[end:]
	}
	for s != "" {
		i := strings.IndexAny(s, `_\`)
		if i < 0 {
			runs = append(runs, mathRun{text: s})
			break
		}
		if i > 0 {
			runs = append(runs, mathRun{text: s[:i]})
		}
		var g string
		switch {
		case s[i] == '_':
			g, s = group(s[i+1:])
			runs = append(runs, mathRun{text: g, sub: true})
		case strings.HasPrefix(s[i:], `\bar`):
			g, s = group(s[i+len(`\bar`):])
			runs = append(runs, mathRun{text: g, bar: true})
		default:
			runs = append(runs, mathRun{text: `\`})
			s = s[i+1:]
		}
	}
	return runs
}

// runFace is the plots' font at sizePt points, or at subScale of that for a
// subscript.
func runFace(sizePt float64, sub bool) *font.Face {
	if sub {
		sizePt *= subScale
	}
	face := fontFace(font.Length(sizePt))
	return &face
}

// width is the text's advance at sizePt points.
func (m mathText) width(sizePt float64) vg.Length {
	var w vg.Length
	for _, r := range m.runs() {
		w += runFace(sizePt, r.sub).Width(r.text)
	}
	return w
}

// depth is how far the font reaches below the baseline, height how far
// from there to its top: the box of one line.
func (m mathText) depth(sizePt float64) vg.Length {
	return runFace(sizePt, false).Extents().Descent
}

func (m mathText) height(sizePt float64) vg.Length {
	e := runFace(sizePt, false).Extents()
	return e.Ascent + e.Descent
}

// draw draws the text with its baseline starting at pt.
func (m mathText) draw(c *draw.Canvas, pt vg.Point, sizePt float64, clr color.Color) {
	size := vg.Points(sizePt)
	c.SetColor(clr)
	for _, r := range m.runs() {
		face := runFace(sizePt, r.sub)
		at := pt
		if r.sub {
			at.Y -= subDrop * size
		}
		c.FillString(*face, at, r.text)
		w := face.Width(r.text)
		if r.bar {
			y := pt.Y + barHeight*size
			c.StrokeLine2(draw.LineStyle{Color: clr, Width: barWidth * size}, pt.X+0.05*size, y, pt.X+w-0.02*size, y)
		}
		pt.X += w
	}
}
