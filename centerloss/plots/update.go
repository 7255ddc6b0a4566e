package plots

import (
	"fmt"
	"image/color"
	"math"

	"github.com/centerloss/centerloss/centerloss/language"
	"github.com/centerloss/centerloss/centerloss/teach"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// CenterStep is one update of one class center by Eq. 4 of Wen et al.: with
// the n features x_i of class j in the mini-batch,
//
//	Δc_j = Σ_i (c_j − x_i) / (1 + n),   c_j ← c_j − α·Δc_j,
//
// so the center moves towards its features' mean x̄ by α·n/(1+n) of the way.
// Its picture shows the features x₁…xₙ, their mean x̄, the grey arrows
// c − x_i (Eq. 4's terms, each from its feature to the center), the old
// center, the step −α·Δc and the new center, with the legend to the right of
// the data area, where it covers nothing.
type CenterStep struct {
	Features             [][2]float64 // [n] the 2-D features x_i of the class in the mini-batch
	OldCenter, NewCenter [2]float64   // c_j before and after the update
	Alpha                float64      // the center learning rate α (for the legend)
	Title                string
	// Limits fixes the axes when non-nil, so that a picture redrawn under a slider (α, a feature dragged about)
	// keeps its frame; nil = a square around the features and both centers. Either way the axis with the larger
	// data span per point is kept and the other widened about its middle, so that both have one scale and the
	// angles and lengths of Eq. 4 read true on any image shape.
	Limits *Limits
}

// NewCenterStep computes NewCenter from Eq. 4 in plain Go, for a notebook to
// set beside the compiled training step's result.
func NewCenterStep(title string, features [][2]float64, center [2]float64, alpha float64) CenterStep {
	rows := make([][]float64, len(features))
	for i, x := range features {
		rows[i] = x[:]
	}
	_, _, next := teach.CenterStep(center[:], rows, alpha)
	return CenterStep{
		Features:  features,
		OldCenter: center,
		NewCenter: [2]float64{next[0], next[1]},
		Alpha:     alpha,
		Title:     title,
	}
}

// Look of the picture, in points.
const (
	stepDotRadius   = 3.0 // a feature's dot
	stepMeanRadius  = 6.0 // the mean's diamond, drawn around a feature that may lie on it
	stepThinWidth   = 0.7 // the grey arrows c − x_i
	stepThinHead    = 5.0
	stepMoveWidth   = 1.8 // the arrow old → new center
	stepMoveHead    = 8.0
	stepMargin      = 0.12 // fraction of the data span added on each side
	stepMaxLabels   = 12   // more features than this go unlabelled: their labels would fill the picture
	stepLabelPt     = 12   // the labels x₁…xₙ and x̄
	stepLegendPt    = 11
	stepLeaderAfter = 8 // points between a label and its marker beyond which a leader line joins them
)

var (
	stepFeatureColor = classRGBA(0) // tab:blue: the features and their mean
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
	if l := s.Limits; l != nil {
		if bad(l.XMin) || bad(l.XMax) || bad(l.YMin) || bad(l.YMax) {
			return fmt.Errorf("plots: limits are not finite: %+v", *l)
		}
		if !(l.XMin < l.XMax) || !(l.YMin < l.YMax) {
			return fmt.Errorf("plots: limits are empty or inverted (need XMin < XMax and YMin < YMax): %+v", *l)
		}
	}
	return nil
}

// mean returns x̄ = Σ_i x_i / n; ok is false without features.
func (s CenterStep) mean() (m [2]float64, ok bool) {
	for _, f := range s.Features {
		m[0] += f[0] / float64(len(s.Features))
		m[1] += f[1] / float64(len(s.Features))
	}
	return m, len(s.Features) > 0
}

// PNG renders the picture of the update into a widthPx x heightPx PNG: the
// plot on the left, the legend on its right (over the data area's top right
// when the image is too narrow for both).
func (s CenterStep) PNG(widthPx, heightPx int) ([]byte, error) {
	p, leg, err := s.build()
	if err != nil {
		return nil, err
	}
	c, err := renderWith(widthPx, heightPx, func(dc draw.Canvas) {
		l := s.layout(dc, p, leg)
		p.Draw(l.plot)
		leg.draw(dc, l.legend)
	})
	if err != nil {
		return nil, err
	}
	return encodeCanvas(c)
}

// Plot builds the gonum plot of the data area, without the legend, which PNG
// draws beside it. Its limits are those asked for (Limits, or automatic),
// before PNG gives both axes one scale.
func (s CenterStep) Plot() (*plot.Plot, error) {
	p, _, err := s.build()
	return p, err
}

// build is Plot, also returning the legend.
func (s CenterStep) build() (*plot.Plot, *stepLegend, error) {
	if err := s.validate(); err != nil {
		return nil, nil, err
	}
	p := newFeaturePlot(s.Title)
	lim := s.limits()
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = lim.XMin, lim.XMax, lim.YMin, lim.YMax

	grid := plotter.NewGrid()
	grid.Vertical.Color = color.Gray{Y: 0xe4}
	grid.Horizontal.Color = color.Gray{Y: 0xe4}
	p.Add(grid)
	p.Add(&centerStepDrawing{s: s})

	leg := &stepLegend{reserve: mathText(language.InPicturef(moveName, 0.888))}
	arrow := func(sty draw.LineStyle, head float64) thumbFunc {
		return func(c *draw.Canvas) {
			y := c.Center().Y
			drawArrow(c, vg.Point{X: c.Min.X, Y: y}, vg.Point{X: c.Max.X, Y: y}, sty, vg.Points(head))
		}
	}
	if n := len(s.Features); n > 0 {
		leg.add(featuresName(n), func(c *draw.Canvas) { drawFeature(c, c.Center()) })
		leg.add(mathText(language.InPicture(`their mean \bar{x}`)), func(c *draw.Canvas) { drawMean(c, c.Center()) })
		leg.add(mathText(language.InPicture("c − x_i, Eq. 4's terms")), arrow(thinArrowStyle(), stepThinHead))
	}
	leg.add(mathText(language.InPicture("old center c")), func(c *draw.Canvas) { drawHollowCenter(c, c.Center()) })
	leg.add(mathText(language.InPicturef(moveName, s.Alpha)), arrow(moveArrowStyle(), stepMoveHead))
	leg.add(mathText(language.InPicture("new center c − α·Δc")), func(c *draw.Canvas) { drawCenter(c, c.Center(), stepMoveColor) })
	return p, leg, nil
}

// moveName names the center's move in the legend, with its α.
const moveName = "step −α·Δc, α = %g"

// featuresName is the legend's name of n features: "features x₁ … x₄".
func featuresName(n int) mathText {
	switch n {
	case 1:
		return mathText(language.InPicture("feature x_1"))
	case 2:
		return mathText(language.InPicture("features x_1, x_2"))
	}
	return mathText(language.InPicturef("features x_1 … x_%d", n))
}

// limits returns Limits, or the bounding box of the features and both centers
// made square (the same span on both axes) and widened by stepMargin on each
// side.
func (s CenterStep) limits() Limits {
	if s.Limits != nil {
		return *s.Limits
	}
	xmin, xmax := math.Min(s.OldCenter[0], s.NewCenter[0]), math.Max(s.OldCenter[0], s.NewCenter[0])
	ymin, ymax := math.Min(s.OldCenter[1], s.NewCenter[1]), math.Max(s.OldCenter[1], s.NewCenter[1])
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
	return Limits{XMin: cx - half, XMax: cx + half, YMin: cy - half, YMax: cy + half}
}
