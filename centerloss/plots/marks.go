package plots

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Mark is one point pointed out on an Embedding, over the clouds: a black star with a label, e.g. where an image
// made by hand lands among the test features.
type Mark struct {
	At    [2]float32
	Label string
}

const markRadius = 9.0 // points: larger than a center's disc, so that it reads over any cloud

// markStars draws the marks in front of the features and centers.
type markStars struct{ marks []Mark }

// Plot implements plot.Plotter.
func (ms *markStars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	star := draw.GlyphStyle{Color: color.Black, Radius: vg.Points(markRadius), Shape: starGlyph{}}
	label := draw.TextStyle{Color: color.Black, Font: font.From(plot.DefaultFont, 12),
		Handler: textHandler(), XAlign: draw.XLeft, YAlign: draw.YCenter}
	for _, m := range ms.marks {
		pt := vg.Point{X: trX(float64(m.At[0])), Y: trY(float64(m.At[1]))}
		if !c.Contains(pt) {
			continue
		}
		c.DrawGlyph(star, pt)
		if m.Label != "" {
			c.FillText(label, vg.Point{X: pt.X + vg.Points(markRadius+3), Y: pt.Y}, m.Label)
		}
	}
}

// starGlyph is a filled five-pointed star with a white edge, so that it stands out on black-ish clouds too.
type starGlyph struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (starGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	var path vg.Path
	for i := range 10 {
		r := sty.Radius
		if i%2 == 1 {
			r = sty.Radius * 0.45
		}
		angle := float64(i)*math.Pi/5 + math.Pi/2 // 36° apart, the first point up
		q := vg.Point{X: pt.X + r*vg.Length(math.Cos(angle)), Y: pt.Y + r*vg.Length(math.Sin(angle))}
		if i == 0 {
			path.Move(q)
		} else {
			path.Line(q)
		}
	}
	path.Close()
	c.SetColor(sty.Color)
	c.Fill(path)
	c.SetLineStyle(draw.LineStyle{Color: color.White, Width: vg.Points(1)})
	c.Stroke(path)
}
