// Package plots draws the figures of the center-loss experiments.
//
// Embedding draws the 2-D deep features of a network whose penultimate layer
// has two units, the way Fig. 3 of Wen et al., "A Discriminative Feature
// Learning Approach for Deep Face Recognition" (ECCV 2016) does: one coloured
// point cloud per class (matplotlib's "tab10" colours), the learned class
// centers marked on top, and a legend with one entry per class.
package plots

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"github.com/centerloss/centerloss/centerloss/internal/atomicfile"
	"github.com/centerloss/centerloss/centerloss/language"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Embedding is what one scatter plot shows.
type Embedding struct {
	Title    string       // e.g. "epoch 3 — test features (λ=0.01, α=0.5)"
	Features [][2]float32 // [n] 2-D features
	Labels   []int        // [n] class of each feature, 0..len(ClassNames)-1
	Centers  [][2]float32 // [numClasses] class centers, may be nil (then none drawn)
	// NoCenter is [numClasses] or nil: true leaves that class's center out of the picture (and out of the automatic
	// limits). A class held out of training has no center: Eq. 4 never moves it from the origin it started at.
	NoCenter   []bool
	ClassNames []string // legend names, e.g. "0".."9"; nil means "0".."9"
	Limits     *Limits  // fixed axes when non-nil (so frames of an animation line up); nil = auto from the data with a small margin
	// XLabel and YLabel name the axes; "" means "feature 1" and "feature 2", the network's own 2-D features. A
	// projection says what its axes are instead, e.g. "principal component 1".
	XLabel, YLabel string
	// Marks are points pointed out over the features (Mark), drawn last; they do not count in the automatic limits.
	Marks []Mark
}

// Limits are the data ranges of the two axes.
type Limits struct{ XMin, XMax, YMin, YMax float64 }

// Look of the plot. Lengths are in points (1/72 inch); images are rendered at
// DPI dots per inch, so one point is DPI/72 pixels.
const (
	// DPI is the resolution PNG and WritePNG render at.
	DPI = 96

	pointRadius  = 1.2 // radius of a feature's dot
	pointAlpha   = 0.5 // opacity of a feature's dot, so that dense clusters read
	centerRadius = 5.0 // radius of a class center's disc
	centerEdge   = 1.5 // width of the black edge around a class center
	legendDot    = 3.5 // radius of the dot in a legend entry

	autoMargin = 0.05 // fraction of the data span added on each side by auto limits

	maxPixels   = 1 << 14 // largest accepted image side, in pixels
	imageMargin = 8       // blank border around the plot, points
)

// classNames returns the legend names, one per class (the default "0".."9" when ClassNames is nil).
func (e *Embedding) classNames() []string {
	if e.ClassNames != nil {
		return e.ClassNames
	}
	names := make([]string, 10)
	for i := range names {
		names[i] = strconv.Itoa(i)
	}
	return names
}

// validate reports the first thing wrong with e, or nil.
func (e *Embedding) validate() error {
	if e == nil {
		return fmt.Errorf("plots: nil *Embedding")
	}
	numClasses := len(e.classNames())
	if numClasses == 0 {
		return fmt.Errorf("plots: ClassNames is empty (non-nil); use nil for the default \"0\"..\"9\"")
	}
	if len(e.Features) != len(e.Labels) {
		return fmt.Errorf("plots: %d features but %d labels; they must have the same length", len(e.Features), len(e.Labels))
	}
	for i, f := range e.Features {
		if !finite32(f[0]) || !finite32(f[1]) {
			return fmt.Errorf("plots: feature %d is not finite: (%v, %v)", i, f[0], f[1])
		}
	}
	for i, l := range e.Labels {
		if l < 0 || l >= numClasses {
			return fmt.Errorf("plots: label %d of feature %d is out of range [0, %d)", l, i, numClasses)
		}
	}
	if e.Centers != nil && len(e.Centers) != numClasses {
		return fmt.Errorf("plots: %d centers but %d classes; give one center per class or nil", len(e.Centers), numClasses)
	}
	if e.NoCenter != nil && len(e.NoCenter) != numClasses {
		return fmt.Errorf("plots: NoCenter has %d entries but there are %d classes; give one per class or nil", len(e.NoCenter), numClasses)
	}
	for i, c := range e.Centers {
		if e.hidden(i) {
			continue // not drawn, so it need not be finite
		}
		if !finite32(c[0]) || !finite32(c[1]) {
			return fmt.Errorf("plots: center of class %d is not finite: (%v, %v)", i, c[0], c[1])
		}
	}
	if l := e.Limits; l != nil {
		for _, v := range []float64{l.XMin, l.XMax, l.YMin, l.YMax} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("plots: limits are not finite: %+v", *l)
			}
		}
		if !(l.XMin < l.XMax) || !(l.YMin < l.YMax) {
			return fmt.Errorf("plots: limits are empty or inverted (need XMin < XMax and YMin < YMax): %+v", *l)
		}
	}
	return nil
}

// hidden reports whether class j's center is left out (NoCenter).
func (e *Embedding) hidden(j int) bool { return j < len(e.NoCenter) && e.NoCenter[j] }

// shownCenters returns the centers that are drawn, in class order (for the limits and the legend's placement).
func (e *Embedding) shownCenters() [][2]float32 {
	var shown [][2]float32
	for j, c := range e.Centers {
		if !e.hidden(j) {
			shown = append(shown, c)
		}
	}
	return shown
}

func finite32(v float32) bool {
	f := float64(v)
	return !math.IsNaN(f) && !math.IsInf(f, 0)
}

// limits returns e.Limits, or when nil the bounding box of the features and
// centers, made square (both axes get the same span, so that on a square image
// angles between features are not distorted, which is what a softmax-trained
// embedding is about) and widened by autoMargin on each side.
func (e *Embedding) limits() Limits {
	if e.Limits != nil {
		return *e.Limits
	}
	xmin, ymin := math.Inf(1), math.Inf(1)
	xmax, ymax := math.Inf(-1), math.Inf(-1)
	add := func(p [2]float32) {
		x, y := float64(p[0]), float64(p[1])
		xmin, xmax = math.Min(xmin, x), math.Max(xmax, x)
		ymin, ymax = math.Min(ymin, y), math.Max(ymax, y)
	}
	for _, p := range e.Features {
		add(p)
	}
	for _, p := range e.shownCenters() {
		add(p)
	}
	if xmin > xmax { // nothing to show
		return Limits{XMin: -1, XMax: 1, YMin: -1, YMax: 1}
	}
	span := math.Max(xmax-xmin, ymax-ymin)
	if span == 0 { // a single point, or all points equal
		span = math.Max(1, 0.1*math.Max(math.Abs(xmin), math.Abs(ymin)))
	}
	half := span * (0.5 + autoMargin)
	cx, cy := xmin+(xmax-xmin)/2, ymin+(ymax-ymin)/2
	return Limits{XMin: cx - half, XMax: cx + half, YMin: cy - half, YMax: cy + half}
}

// Plot builds the gonum plot (for callers that want to render to another format), without its legend: PNG draws
// the legend beside the data area, where it hides nothing, and gives both axes the same scale.
func (e *Embedding) Plot() (*plot.Plot, error) {
	p, _, err := e.build()
	return p, err
}

// build is Plot, also returning the legend plotter (for tests).
func (e *Embedding) build() (*plot.Plot, *legendBox, error) {
	if err := e.validate(); err != nil {
		return nil, nil, err
	}
	names := e.classNames()
	lim := e.limits()

	p := newFeaturePlot(e.Title)
	if e.XLabel != "" {
		p.X.Label.Text = e.XLabel
	}
	if e.YLabel != "" {
		p.Y.Label.Text = e.YLabel
	}
	p.X.Min, p.X.Max = lim.XMin, lim.XMax
	p.Y.Min, p.Y.Max = lim.YMin, lim.YMax

	grid := plotter.NewGrid()
	grid.Vertical.Color = color.Gray{Y: 0xe4}
	grid.Horizontal.Color = color.Gray{Y: 0xe4}
	p.Add(grid)

	pts := &pointCloud{features: e.Features, labels: e.Labels, styles: make([]draw.GlyphStyle, len(names))}
	for i := range names {
		pts.styles[i] = draw.GlyphStyle{
			Color:  translucent(classRGBA(i), pointAlpha),
			Radius: vg.Points(pointRadius),
			Shape:  draw.CircleGlyph{},
		}
	}
	p.Add(pts)

	if e.Centers != nil {
		p.Add(&centerMarkers{centers: e.Centers, hidden: e.NoCenter})
	}
	if len(e.Marks) > 0 {
		p.Add(&markStars{marks: e.Marks})
	}

	leg := &legendBox{features: e.Features, centers: e.shownCenters(), style: p.Legend.TextStyle}
	leg.style.Font = font.From(plot.DefaultFont, 11)
	for i, name := range names {
		leg.names = append(leg.names, name)
		leg.colors = append(leg.colors, classRGBA(i))
	}
	return p, leg, nil
}

// PNG renders into memory (for notebooks).
func (e *Embedding) PNG(widthPx, heightPx int) ([]byte, error) {
	c, err := e.render(widthPx, heightPx)
	if err != nil {
		return nil, err
	}
	return encodeCanvas(c)
}

// render draws the plot and its legend beside it on a canvas of widthPx x heightPx.
func (e *Embedding) render(widthPx, heightPx int) (*vgimg.Canvas, error) {
	p, leg, err := e.build()
	if err != nil {
		return nil, err
	}
	return renderWith(widthPx, heightPx, func(c draw.Canvas) {
		plotArea, legendArea := layOutBeside(c, p, leg)
		p.Draw(plotArea)
		leg.drawIn(c, legendArea)
	})
}

// legendGap is the distance between the data area and the legend beside it, points.
const legendGap = 6

// layOutBeside splits c into the plot's part and the legend's box to the right of the data area, at its top, and
// widens one axis's limits of p so that a unit is as long on both axes (distances and angles on screen are those of
// the embedding, though the data area is no longer square).
func layOutBeside(c draw.Canvas, p *plot.Plot, leg *legendBox) (draw.Canvas, vg.Rectangle) {
	w, h := leg.size()
	plotArea := c
	if len(leg.names) > 0 {
		plotArea = draw.Crop(c, 0, -(w + vg.Points(legendGap)), 0, 0)
	}
	// The data area depends on the tick labels, which depend on the limits: rounds until the area stands still.
	asked := Limits{XMin: p.X.Min, XMax: p.X.Max, YMin: p.Y.Min, YMax: p.Y.Max}
	data := p.DataCanvas(plotArea)
	for range 8 {
		lim := sameScale(asked, float64(data.Max.X-data.Min.X), float64(data.Max.Y-data.Min.Y))
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = lim.XMin, lim.XMax, lim.YMin, lim.YMax
		next := p.DataCanvas(plotArea)
		if next.Rectangle == data.Rectangle {
			break
		}
		data = next
	}
	x := data.Max.X + vg.Points(legendGap)
	top := data.Max.Y
	if top-h < c.Min.Y { // a legend taller than the data area starts at the canvas's top, and ends at its bottom
		top = min(c.Max.Y, c.Min.Y+h)
	}
	return plotArea, vg.Rectangle{Min: vg.Point{X: x, Y: top - h}, Max: vg.Point{X: x + w, Y: top}}
}

// WritePNG renders to a PNG file of widthPx x heightPx (e.g. 800x800) atomically:
// write to a temp file in the same dir, then rename, so a reader never sees a
// half-written image.
func (e *Embedding) WritePNG(path string, widthPx, heightPx int) (err error) {
	data, err := e.PNG(widthPx, heightPx)
	if err != nil {
		return err
	}
	if err := atomicfile.Write(path, data, 0o644); err != nil {
		return fmt.Errorf("plots: writing %s: %w", path, err)
	}
	return nil
}

// render draws p onto a new white widthPx x heightPx image canvas at DPI.
func render(p *plot.Plot, widthPx, heightPx int) (*vgimg.Canvas, error) {
	return renderWith(widthPx, heightPx, p.Draw)
}

// renderWith is render for pictures laid out by hand (a plot and a legend beside it): drawFn draws into the
// canvas less its blank border.
func renderWith(widthPx, heightPx int, drawFn func(draw.Canvas)) (c *vgimg.Canvas, err error) {
	if widthPx <= 0 || heightPx <= 0 || widthPx > maxPixels || heightPx > maxPixels {
		return nil, fmt.Errorf("plots: image size %dx%d pixels out of range [1, %d]", widthPx, heightPx, maxPixels)
	}
	defer func() { // gonum/plot panics on some inputs; never pass that on
		if r := recover(); r != nil {
			c, err = nil, fmt.Errorf("plots: rendering: %v", r)
		}
	}()
	c = newCanvas(widthPx, heightPx)
	drawFn(withMargin(draw.New(c)))
	return c, nil
}

// withMargin returns c less a blank border (gonum/plot draws right up to the
// canvas edges, so the title and the rightmost tick label would touch them).
func withMargin(c draw.Canvas) draw.Canvas {
	m := vg.Points(imageMargin)
	return draw.Crop(c, m, -m, m, -m)
}

// newCanvas returns a white image canvas of exactly widthPx x heightPx pixels at DPI.
func newCanvas(widthPx, heightPx int) *vgimg.Canvas {
	return vgimg.NewWith(
		vgimg.UseWH(pxToLength(widthPx), pxToLength(heightPx)),
		vgimg.UseDPI(DPI),
	)
}

func pxToLength(px int) vg.Length { return vg.Length(px) * vg.Inch / DPI }

// pointCloud draws every feature as a small translucent dot of its class
// colour, in the order given (so that no class is systematically on top when
// the data are shuffled, as a test set usually is).
type pointCloud struct {
	features [][2]float32
	labels   []int
	styles   []draw.GlyphStyle // by class
}

// Plot implements plot.Plotter.
func (pc *pointCloud) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i, f := range pc.features {
		c.DrawGlyph(pc.styles[pc.labels[i]], vg.Point{X: trX(float64(f[0])), Y: trY(float64(f[1]))})
	}
}

// centerMarkers draws each class center as an opaque disc of the class colour
// with a black edge, so that it stands out inside its own cluster.
type centerMarkers struct {
	centers [][2]float32
	hidden  []bool // [numClasses] or nil: Embedding.NoCenter
}

// Plot implements plot.Plotter.
func (cm *centerMarkers) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i, ctr := range cm.centers {
		if i < len(cm.hidden) && cm.hidden[i] {
			continue
		}
		pt := vg.Point{X: trX(float64(ctr[0])), Y: trY(float64(ctr[1]))}
		if !c.Contains(pt) {
			continue
		}
		drawCenter(&c, pt, classRGBA(i))
	}
}

func drawCenter(c *draw.Canvas, pt vg.Point, clr color.Color) {
	r := vg.Points(centerRadius)
	var path vg.Path
	path.Move(vg.Point{X: pt.X + r, Y: pt.Y})
	path.Arc(pt, r, 0, 2*math.Pi)
	path.Close()
	c.SetColor(clr)
	c.Fill(path)
	c.SetLineStyle(draw.LineStyle{Color: color.Black, Width: vg.Points(centerEdge)})
	c.Stroke(path)
}

// legendBox draws the legend, one entry per class, in a framed, mostly opaque
// box in the corner of the data area that covers the fewest features (and
// class centers, which count much more).
type legendBox struct {
	names    []string
	colors   []color.RGBA
	style    draw.TextStyle
	features [][2]float32
	centers  [][2]float32
}

const (
	legendInset  = 6 // distance of the box from the data area's edge, points
	legendMargin = 5 // distance of the entries from the box's edge, points
	legendThumb  = 12
)

// legend returns the gonum legend holding the entries.
func (lb *legendBox) legend() plot.Legend {
	l := plot.NewLegend()
	l.TextStyle = lb.style
	l.Top, l.Left = true, true
	l.ThumbnailWidth = vg.Points(legendThumb)
	for i, name := range lb.names {
		l.Add(name, legendThumbnail{clr: lb.colors[i]})
	}
	return l
}

// size returns the width and height of the framed box.
func (lb *legendBox) size() (w, h vg.Length) {
	l := lb.legend()
	em := l.TextStyle.Rectangle(" ").Max.X
	var textW, entryH vg.Length
	for _, name := range lb.names {
		r := l.TextStyle.Rectangle(name)
		textW = max(textW, r.Max.X)
		entryH = max(entryH, r.Max.Y)
	}
	n := vg.Length(len(lb.names))
	w = l.ThumbnailWidth + em + textW
	h = n*entryH + (n-1)*l.Padding + l.TextStyle.FontExtents().Descent
	return w + 2*vg.Points(legendMargin), h + 2*vg.Points(legendMargin)
}

// box returns where the framed box goes in the data canvas c.
func (lb *legendBox) box(c draw.Canvas, p *plot.Plot) vg.Rectangle {
	w, h := lb.size()
	inset := vg.Points(legendInset)
	left, right := c.Min.X+inset, c.Max.X-inset-w
	bottom, top := c.Min.Y+inset, c.Max.Y-inset-h
	// Preference order on ties: top-right, top-left, bottom-right, bottom-left.
	candidates := []vg.Point{{X: right, Y: top}, {X: left, Y: top}, {X: right, Y: bottom}, {X: left, Y: bottom}}
	trX, trY := p.Transforms(&c)
	covered := func(min vg.Point) int {
		slop := vg.Points(pointRadius)
		in := func(f [2]float32) bool {
			x, y := trX(float64(f[0])), trY(float64(f[1]))
			return x >= min.X-slop && x <= min.X+w+slop && y >= min.Y-slop && y <= min.Y+h+slop
		}
		n := 0
		for _, f := range lb.features {
			if in(f) {
				n++
			}
		}
		for _, f := range lb.centers {
			if in(f) {
				n += len(lb.features) + 1
			}
		}
		return n
	}
	best, bestN := candidates[0], covered(candidates[0])
	for _, cand := range candidates[1:] {
		if n := covered(cand); n < bestN {
			best, bestN = cand, n
		}
	}
	return vg.Rectangle{Min: best, Max: vg.Point{X: best.X + w, Y: best.Y + h}}
}

// drawIn draws the legend, framed, in the box r of c.
func (lb *legendBox) drawIn(c draw.Canvas, r vg.Rectangle) {
	if len(lb.names) == 0 {
		return
	}
	l := lb.legend()
	l.Draw(legendFrame(c, r))
}

// legendThumbnail is a legend entry's icon: an opaque dot of the class colour.
type legendThumbnail struct{ clr color.Color }

// Thumbnail implements plot.Thumbnailer.
func (t legendThumbnail) Thumbnail(c *draw.Canvas) {
	c.DrawGlyphNoClip(draw.GlyphStyle{Color: t.clr, Radius: vg.Points(legendDot), Shape: draw.CircleGlyph{}}, c.Center())
}

// newFeaturePlot starts a plot of the 2-D feature plane: the title and the axis names all our pictures share.
func newFeaturePlot(title string) *plot.Plot {
	p := newPlot()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(plot.DefaultFont, 13)
	p.Title.Padding = vg.Points(8)
	p.X.Label.Text = language.InPicture("feature 1")
	p.Y.Label.Text = language.InPicture("feature 2")
	return p
}

// legendFrame draws the legend's white, grey-framed box r and returns the canvas inside its margin.
func legendFrame(c draw.Canvas, r vg.Rectangle) draw.Canvas {
	frame := r.Path()
	c.SetColor(color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xe0})
	c.Fill(frame)
	c.SetLineStyle(draw.LineStyle{Color: color.Gray{Y: 0xb0}, Width: vg.Points(0.75)})
	c.Stroke(frame)
	m := vg.Points(legendMargin)
	return draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: r.Min.X + m, Y: r.Min.Y + m},
		Max: vg.Point{X: r.Max.X - m, Y: r.Max.Y - m},
	}}
}
