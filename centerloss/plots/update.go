package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// CenterStep is one update of one class center by Eq. 4 of Wen et al.: with
// the n features x_i of class j in the mini-batch,
//
//	Δc_j = Σ_i (c_j − x_i) / (1 + n),   c_j ← c_j − α·Δc_j,
//
// so the center moves towards its features by α·n/(1+n) of the way to their
// mean. Its picture shows the features, the old center, the vectors between
// them, and the step.
type CenterStep struct {
	Features             [][2]float64 // [n] the 2-D features x_i of the class in the mini-batch
	OldCenter, NewCenter [2]float64   // c_j before and after the update
	Alpha                float64      // the center learning rate α (for the legend)
	Title                string
}

// NewCenterStep computes NewCenter from Eq. 4 in plain Go, for a notebook to
// set beside the compiled training step's result.
func NewCenterStep(title string, features [][2]float64, center [2]float64, alpha float64) CenterStep {
	var delta [2]float64 // Σ_i (c − x_i)
	for _, x := range features {
		delta[0] += center[0] - x[0]
		delta[1] += center[1] - x[1]
	}
	denom := 1 + float64(len(features))
	return CenterStep{
		Features:  features,
		OldCenter: center,
		NewCenter: [2]float64{center[0] - alpha*delta[0]/denom, center[1] - alpha*delta[1]/denom},
		Alpha:     alpha,
		Title:     title,
	}
}

// Look of the picture, in points.
const (
	stepDotRadius  = 3.0 // a feature's dot
	stepThinWidth  = 0.7 // the grey arrows x_i − c
	stepThinHead   = 5.0
	stepMoveWidth  = 1.8 // the arrow old → new center
	stepMoveHead   = 8.0
	stepMargin     = 0.12 // fraction of the data span added on each side
	stepLabelShift = 11.0 // distance of "−α·Δc" from its arrow
)

var (
	stepFeatureColor = classRGBA(0) // tab:blue
	stepMoveColor    = classRGBA(3) // tab:red: the update and the new center
	stepThinColor    = color.Gray{Y: 0x99}
)

func (s CenterStep) validate() error {
	bad := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }
	for i, f := range s.Features {
		if bad(f[0]) || bad(f[1]) {
			return fmt.Errorf("plots: feature %d is not finite: (%v, %v)", i, f[0], f[1])
		}
	}
	if bad(s.OldCenter[0]) || bad(s.OldCenter[1]) || bad(s.NewCenter[0]) || bad(s.NewCenter[1]) {
		return fmt.Errorf("plots: centers are not finite: old %v, new %v", s.OldCenter, s.NewCenter)
	}
	if bad(s.Alpha) {
		return fmt.Errorf("plots: alpha is not finite: %v", s.Alpha)
	}
	return nil
}

// PNG renders the picture of the update into a widthPx x heightPx PNG. Both
// axes have the same data span, so use a square image to see angles and
// lengths undistorted.
func (s CenterStep) PNG(widthPx, heightPx int) ([]byte, error) {
	p, err := s.Plot()
	if err != nil {
		return nil, err
	}
	return plotPNG(p, widthPx, heightPx)
}

// Plot builds the gonum plot.
//
// The grey arrows go from the old center to each feature: they are
// x_i − c = −(c − x_i), the terms of Eq. 4's sum with the sign flipped, so
// that the red arrow of the step, −α·Δc = α/(1+n)·Σ_i (x_i − c), is their sum
// scaled down, pointing the same way as the bulk of them.
func (s CenterStep) Plot() (*plot.Plot, error) {
	p, _, err := s.build()
	return p, err
}

// build is Plot, also returning the legend (for tests).
func (s CenterStep) build() (*plot.Plot, *thumbLegend, error) {
	if err := s.validate(); err != nil {
		return nil, nil, err
	}
	p := newFeaturePlot(s.Title)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = s.limits()

	grid := plotter.NewGrid()
	grid.Vertical.Color = color.Gray{Y: 0xe4}
	grid.Horizontal.Color = color.Gray{Y: 0xe4}
	p.Add(grid)

	label := p.Legend.TextStyle
	label.Font = font.From(plot.DefaultFont, 12)
	label.XAlign, label.YAlign = draw.XCenter, draw.YCenter
	p.Add(&centerStepDrawing{s: s, label: label})

	leg := &thumbLegend{place: &legendBox{style: p.Legend.TextStyle}}
	leg.place.style.Font = font.From(plot.DefaultFont, 11)
	for _, f := range s.Features {
		leg.place.features = append(leg.place.features, [2]float32{float32(f[0]), float32(f[1])})
	}
	leg.place.centers = [][2]float32{
		{float32(s.OldCenter[0]), float32(s.OldCenter[1])},
		{float32(s.NewCenter[0]), float32(s.NewCenter[1])},
	}
	leg.add("features x_i", thumbFunc(func(c *draw.Canvas) { drawFeature(c, c.Center()) }))
	leg.add("old center c", thumbFunc(func(c *draw.Canvas) { drawHollowCenter(c, c.Center()) }))
	leg.add("x_i − c", thumbFunc(func(c *draw.Canvas) {
		y := c.Center().Y
		drawArrow(c, vg.Point{X: c.Min.X, Y: y}, vg.Point{X: c.Max.X, Y: y}, thinArrowStyle(), vg.Points(stepThinHead))
	}))
	leg.add(fmt.Sprintf("step −α·Δc, α = %g", s.Alpha), thumbFunc(func(c *draw.Canvas) {
		y := c.Center().Y
		drawArrow(c, vg.Point{X: c.Min.X, Y: y}, vg.Point{X: c.Max.X, Y: y}, moveArrowStyle(), vg.Points(stepMoveHead))
	}))
	leg.add("new center c − α·Δc", thumbFunc(func(c *draw.Canvas) { drawCenter(c, c.Center(), stepMoveColor) }))
	p.Add(leg)
	return p, leg, nil
}

// limits returns the bounding box of the features and both centers, made
// square (the same span on both axes) and widened by stepMargin on each side.
func (s CenterStep) limits() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = math.Min(s.OldCenter[0], s.NewCenter[0]), math.Max(s.OldCenter[0], s.NewCenter[0])
	ymin, ymax = math.Min(s.OldCenter[1], s.NewCenter[1]), math.Max(s.OldCenter[1], s.NewCenter[1])
	for _, f := range s.Features {
		xmin, xmax = math.Min(xmin, f[0]), math.Max(xmax, f[0])
		ymin, ymax = math.Min(ymin, f[1]), math.Max(ymax, f[1])
	}
	span := math.Max(xmax-xmin, ymax-ymin)
	if span == 0 {
		span = math.Max(1, 0.1*math.Max(math.Abs(xmin), math.Abs(ymin)))
	}
	half := span * (0.5 + stepMargin)
	cx, cy := xmin+(xmax-xmin)/2, ymin+(ymax-ymin)/2
	return cx - half, cx + half, cy - half, cy + half
}

// centerStepDrawing draws the picture's data: grey arrows under the dots,
// the centers and the step on top.
type centerStepDrawing struct {
	s     CenterStep
	label draw.TextStyle
}

// Plot implements plot.Plotter.
func (d *centerStepDrawing) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	at := func(v [2]float64) vg.Point { return vg.Point{X: trX(v[0]), Y: trY(v[1])} }
	old, next := at(d.s.OldCenter), at(d.s.NewCenter)
	rCenter, rDot := vg.Points(centerRadius), vg.Points(stepDotRadius)

	for _, f := range d.s.Features { // from the old center's rim to just short of the dot
		if from, to, ok := shorten(old, at(f), rCenter, rDot+vg.Points(0.5)); ok {
			drawArrow(&c, from, to, thinArrowStyle(), vg.Points(stepThinHead))
		}
	}
	for _, f := range d.s.Features {
		drawFeature(&c, at(f))
	}
	drawHollowCenter(&c, old)
	if from, to, ok := shorten(old, next, rCenter, rCenter); ok {
		drawArrow(&c, from, to, moveArrowStyle(), vg.Points(stepMoveHead))
		// The label beside the arrow's middle, on its left.
		l := length(vg.Point{X: next.X - old.X, Y: next.Y - old.Y})
		shift := vg.Points(stepLabelShift)
		mid := vg.Point{
			X: (from.X+to.X)/2 - (next.Y-old.Y)/l*shift,
			Y: (from.Y+to.Y)/2 + (next.X-old.X)/l*shift,
		}
		const text = "−α·Δc"
		r := d.label.Rectangle(text) // at (0, 0); a light backing keeps it legible over the grey arrows
		pad := vg.Points(1.5)
		c.SetColor(color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xd0})
		c.Fill(vg.Rectangle{
			Min: vg.Point{X: mid.X + r.Min.X - pad, Y: mid.Y + r.Min.Y - pad},
			Max: vg.Point{X: mid.X + r.Max.X + pad, Y: mid.Y + r.Max.Y + pad},
		}.Path())
		c.FillText(d.label, mid, text)
	}
	drawCenter(&c, next, stepMoveColor)
}

func thinArrowStyle() draw.LineStyle {
	return draw.LineStyle{Color: stepThinColor, Width: vg.Points(stepThinWidth)}
}

func moveArrowStyle() draw.LineStyle {
	return draw.LineStyle{Color: stepMoveColor, Width: vg.Points(stepMoveWidth)}
}

func drawFeature(c *draw.Canvas, pt vg.Point) {
	c.DrawGlyphNoClip(draw.GlyphStyle{Color: stepFeatureColor, Radius: vg.Points(stepDotRadius), Shape: draw.CircleGlyph{}}, pt)
}

// drawHollowCenter draws a black ring of the size of drawCenter's disc.
func drawHollowCenter(c *draw.Canvas, pt vg.Point) {
	r := vg.Points(centerRadius)
	var path vg.Path
	path.Move(vg.Point{X: pt.X + r, Y: pt.Y})
	path.Arc(pt, r, 0, 2*math.Pi)
	path.Close()
	c.SetLineStyle(draw.LineStyle{Color: color.Black, Width: vg.Points(centerEdge)})
	c.Stroke(path)
}

// drawArrow draws a line from → to with a filled triangular head of length
// head (at most the arrow's length) whose tip is at to.
func drawArrow(c *draw.Canvas, from, to vg.Point, sty draw.LineStyle, head vg.Length) {
	l := length(vg.Point{X: to.X - from.X, Y: to.Y - from.Y})
	if l == 0 {
		return
	}
	ux, uy := (to.X-from.X)/l, (to.Y-from.Y)/l // unit vector along the arrow
	head = min(head, l)
	base := vg.Point{X: to.X - ux*head, Y: to.Y - uy*head}
	c.StrokeLine2(sty, from.X, from.Y, base.X, base.Y)
	w := 0.4 * head // half the head's width
	c.FillPolygon(sty.Color, []vg.Point{
		to,
		{X: base.X - uy*w, Y: base.Y + ux*w},
		{X: base.X + uy*w, Y: base.Y - ux*w},
	})
}

// shorten moves from towards to by a and to towards from by b; ok is false
// when nothing is left.
func shorten(from, to vg.Point, a, b vg.Length) (vg.Point, vg.Point, bool) {
	l := length(vg.Point{X: to.X - from.X, Y: to.Y - from.Y})
	if l <= a+b {
		return from, to, false
	}
	ux, uy := (to.X-from.X)/l, (to.Y-from.Y)/l
	return vg.Point{X: from.X + ux*a, Y: from.Y + uy*a}, vg.Point{X: to.X - ux*b, Y: to.Y - uy*b}, true
}

func length(v vg.Point) vg.Length { return vg.Length(math.Hypot(float64(v.X), float64(v.Y))) }

// thumbFunc is a legend thumbnail drawn by a function.
type thumbFunc func(c *draw.Canvas)

// Thumbnail implements plot.Thumbnailer.
func (f thumbFunc) Thumbnail(c *draw.Canvas) { f(c) }
