package plots

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// centerStepDrawing draws the picture's data: grey arrows under the dots,
// the centers and the step on top, then the labels x₁…xₙ and x̄.
type centerStepDrawing struct{ s CenterStep }

// stepScene is the picture's geometry on the data canvas, in points.
type stepScene struct {
	features  []vg.Point
	mean      *vg.Point // nil without features
	old, next vg.Point
	thin      [][2]vg.Point // the arrows c − x_i: from each feature's rim to the old center's
	move      *[2]vg.Point  // the step, from the old center's rim to the new one's; nil when too short to draw
	labels    []stepLabel
}

// scene lays the picture out on c.
func (d *centerStepDrawing) scene(c draw.Canvas, p *plot.Plot) stepScene {
	trX, trY := p.Transforms(&c)
	at := func(v [2]float64) vg.Point { return vg.Point{X: trX(v[0]), Y: trY(v[1])} }
	sc := stepScene{old: at(d.s.OldCenter), next: at(d.s.NewCenter)}
	rCenter, rDot := vg.Points(centerRadius), vg.Points(stepDotRadius)
	for _, f := range d.s.Features {
		pt := at(f)
		sc.features = append(sc.features, pt)
		if from, to, ok := shorten(pt, sc.old, rDot+vg.Points(0.5), rCenter+vg.Points(0.5)); ok {
			sc.thin = append(sc.thin, [2]vg.Point{from, to})
		}
	}
	if m, ok := d.s.mean(); ok {
		pt := at(m)
		sc.mean = &pt
	}
	if from, to, ok := shorten(sc.old, sc.next, rCenter, rCenter); ok {
		sc.move = &[2]vg.Point{from, to}
	}
	sc.labels = d.placeLabels(c, sc)
	return sc
}

// Plot implements plot.Plotter.
func (d *centerStepDrawing) Plot(c draw.Canvas, p *plot.Plot) {
	sc := d.scene(c, p)
	for _, a := range sc.thin {
		drawArrow(&c, a[0], a[1], thinArrowStyle(), vg.Points(stepThinHead))
	}
	for _, f := range sc.features {
		if c.Contains(f) {
			drawFeature(&c, f)
		}
	}
	if sc.mean != nil && c.Contains(*sc.mean) {
		drawMean(&c, *sc.mean)
	}
	if c.Contains(sc.old) {
		drawHollowCenter(&c, sc.old)
	}
	if sc.move != nil {
		drawArrow(&c, sc.move[0], sc.move[1], moveArrowStyle(), vg.Points(stepMoveHead))
	}
	if c.Contains(sc.next) {
		drawCenter(&c, sc.next, stepMoveColor)
	}
	for _, l := range sc.labels {
		if a := l.leader; a != nil {
			c.StrokeLine2(draw.LineStyle{Color: color.Gray{Y: 0x40}, Width: vg.Points(0.5)}, a[0].X, a[0].Y, a[1].X, a[1].Y)
		}
		l.text.draw(&c, vg.Point{X: l.box.Min.X, Y: l.box.Min.Y + l.text.depth(stepLabelPt)}, stepLabelPt, color.Black)
	}
}

// thinArrowStyle is the line of the grey arrows c − x_i, shared by the picture
// and the legend's thumbnail so that the two match.
func thinArrowStyle() draw.LineStyle {
	return draw.LineStyle{Color: stepThinColor, Width: vg.Points(stepThinWidth)}
}

// moveArrowStyle is the line of the red step −α·Δc, shared by the picture and
// the legend's thumbnail.
func moveArrowStyle() draw.LineStyle {
	return draw.LineStyle{Color: stepMoveColor, Width: vg.Points(stepMoveWidth)}
}

// drawFeature draws a feature x_i as a filled dot of the features' colour,
// stepDotRadius points across the middle.
func drawFeature(c *draw.Canvas, pt vg.Point) {
	c.DrawGlyphNoClip(draw.GlyphStyle{Color: stepFeatureColor, Radius: vg.Points(stepDotRadius), Shape: draw.CircleGlyph{}}, pt)
}

// drawMean draws x̄ as a hollow diamond of the features' colour: a point of
// the plane, not a feature, and one that a feature may sit on (in the theory
// notebook's example x̄ = x₄), seen inside it.
func drawMean(c *draw.Canvas, pt vg.Point) {
	r := vg.Points(stepMeanRadius)
	c.StrokeLines(draw.LineStyle{Color: stepFeatureColor, Width: vg.Points(1.4)}, []vg.Point{
		{X: pt.X, Y: pt.Y + r}, {X: pt.X + r, Y: pt.Y}, {X: pt.X, Y: pt.Y - r}, {X: pt.X - r, Y: pt.Y}, {X: pt.X, Y: pt.Y + r},
	})
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
// head (at most the arrow's length) whose tip is at to, clipped to c: the
// part of the line inside it, and the head when its tip is (with fixed
// Limits, a dragged feature may leave the frame).
func drawArrow(c *draw.Canvas, from, to vg.Point, sty draw.LineStyle, head vg.Length) {
	l := length(vg.Point{X: to.X - from.X, Y: to.Y - from.Y})
	if l == 0 {
		return
	}
	ux, uy := (to.X-from.X)/l, (to.Y-from.Y)/l // unit vector along the arrow
	head = min(head, l)
	base := vg.Point{X: to.X - ux*head, Y: to.Y - uy*head}
	c.StrokeLines(sty, c.ClipLinesXY([]vg.Point{from, base})...)
	if !c.Contains(to) {
		return
	}
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

// length is the Euclidean length of v, in points.
func length(v vg.Point) vg.Length { return vg.Length(math.Hypot(float64(v.X), float64(v.Y))) }
