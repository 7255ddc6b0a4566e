package plots

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"os"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewCenterStepIsEquation4(t *testing.T) {
	// By hand: Σ (c − x_i) = (0−1 + 0−3 + 0−2, 0 + 0 + 0−3) = (−6, −3);
	// Δc = (−6, −3)/(1+3) = (−1.5, −0.75); c − 0.5·Δc = (0.75, 0.375).
	s := NewCenterStep("t", [][2]float64{{1, 0}, {3, 0}, {2, 3}}, [2]float64{0, 0}, 0.5)
	assert.InDelta(t, 0.75, s.NewCenter[0], 1e-12)
	assert.InDelta(t, 0.375, s.NewCenter[1], 1e-12)
	assert.Equal(t, [2]float64{0, 0}, s.OldCenter)
	assert.Equal(t, 0.5, s.Alpha)

	// One feature, α = 1: the 1/(1+n) damping stops the center half-way.
	s = NewCenterStep("", [][2]float64{{2, -4}}, [2]float64{1, 1}, 1)
	assert.InDelta(t, 1.5, s.NewCenter[0], 1e-12)
	assert.InDelta(t, -1.5, s.NewCenter[1], 1e-12)

	// No features: no move.
	s = NewCenterStep("", nil, [2]float64{3, 4}, 0.5)
	assert.Equal(t, [2]float64{3, 4}, s.NewCenter)
}

// stepGeometry replays the layout of s rendered at w x h pixels: data → pixel
// (y down), the data area, the legend box and the scene (arrows, labels).
type stepGeometry struct {
	toPx   func(x, y float64) (px, py float64)
	ptPx   func(p vg.Point) (px, py float64)
	data   image.Rectangle
	legend image.Rectangle
	scene  stepScene
	layout stepLayout
	plot   *plot.Plot
}

func replayStep(t *testing.T, s CenterStep, w, h int) stepGeometry {
	t.Helper()
	p, leg, err := s.build()
	require.NoError(t, err)
	dc := withMargin(draw.New(newCanvas(w, h)))
	l := s.layout(dc, p, leg)
	da := p.DataCanvas(l.plot)
	trX, trY := p.Transforms(&da)
	scale := float64(DPI) / 72
	px := func(v vg.Length) float64 { return float64(v) * scale }
	py := func(v vg.Length) float64 { return float64(h) - float64(v)*scale }
	rect := func(r vg.Rectangle) image.Rectangle {
		return image.Rect(int(math.Floor(px(r.Min.X))), int(math.Floor(py(r.Max.Y))),
			int(math.Ceil(px(r.Max.X))), int(math.Ceil(py(r.Min.Y))))
	}
	return stepGeometry{
		toPx:   func(x, y float64) (float64, float64) { return px(trX(x)), py(trY(y)) },
		ptPx:   func(v vg.Point) (float64, float64) { return px(v.X), py(v.Y) },
		data:   rect(da.Rectangle),
		legend: rect(l.legend),
		scene:  (&centerStepDrawing{s: s}).scene(da, p),
		layout: l,
		plot:   p,
	}
}

func TestCenterStepPNG(t *testing.T) {
	feats := [][2]float64{{4, 1}, {5, 2}, {4.5, 3}, {6, 1.5}, {5, 0.5}}
	s := NewCenterStep("one center update", feats, [2]float64{1, 1}, 0.5)
	const w, h = 700, 500
	data, err := s.PNG(w, h)
	require.NoError(t, err)
	img := decode(t, data)
	require.Equal(t, image.Rect(0, 0, w, h), img.Bounds())
	g := replayStep(t, s, w, h)
	const red, blue = 3, 0

	// The new center: an opaque tab:red disc with a black edge, where gonum
	// maps it.
	px, py := g.toPx(s.NewCenter[0], s.NewCenter[1])
	require.True(t, image.Pt(int(px), int(py)).In(g.data))
	got := color.RGBAModel.Convert(img.At(int(px), int(py))).(color.RGBA)
	want := ClassColor(red).(color.RGBA)
	assert.InDelta(t, float64(want.R), float64(got.R), 12, "new center red of %v", got)
	assert.InDelta(t, float64(want.G), float64(got.G), 12, "new center green of %v", got)
	assert.InDelta(t, float64(want.B), float64(got.B), 12, "new center blue of %v", got)

	// The old center is hollow: light inside, a dark ring at centerRadius.
	ox, oy := g.toPx(s.OldCenter[0], s.OldCenter[1])
	r, gg, b, _ := img.At(int(ox), int(oy)).RGBA()
	assert.Greater(t, (r>>8)+(gg>>8)+(b>>8), uint32(3*200), "inside the old center")
	edge := centerRadius * DPI / 72.0
	dark := 0
	for a := 0.0; a < 2*math.Pi; a += math.Pi / 8 {
		r, gg, b, _ := img.At(int(math.Round(ox+edge*math.Cos(a))), int(math.Round(oy+edge*math.Sin(a)))).RGBA()
		if (r>>8)+(gg>>8)+(b>>8) < 3*100 {
			dark++
		}
	}
	assert.GreaterOrEqual(t, dark, 12, "black ring of the old center")

	// The step arrow is red half-way between the centers; the features are blue.
	assert.Positive(t, countClass(img, around((ox+px)/2, (oy+py)/2, 2), red), "the step arrow")
	for i, f := range feats {
		fx, fy := g.toPx(f[0], f[1])
		assert.Positive(t, countClass(img, around(fx, fy, 1), blue), "feature %d", i)
		assert.Zero(t, countClass(img, around(fx, fy, 3), red), "no red at feature %d", i)
	}
	// The legend is beside the data area, not over it, and shows both colours.
	assert.False(t, g.legend.Overlaps(g.data), "legend %v apart from the data area %v", g.legend, g.data)
	assert.Greater(t, g.legend.Min.X, g.data.Max.X, "legend right of the data")
	assert.Positive(t, countClass(img, g.legend, red))
	assert.Positive(t, countClass(img, g.legend, blue))
	// One scale on both axes, whatever the image's shape.
	p := g.plot
	assert.InDelta(t, (p.X.Max-p.X.Min)/float64(g.data.Dx()), (p.Y.Max-p.Y.Min)/float64(g.data.Dy()), 0.01*(p.Y.Max-p.Y.Min)/float64(g.data.Dy()))
}

// isGreyInk reports whether c is the grey of the arrows c − x_i (or darker
// grey), not the light grid.
func isGreyInk(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	hi, lo := max(r, g, b)>>8, min(r, g, b)>>8
	return hi-lo < 20 && hi < 215
}

func TestCenterStepArrowsPointFromFeaturesToTheCenter(t *testing.T) {
	// By hand: Σ (c − x_i) = ((1−4) + 0, 0 + (1−4)) = (−3, −3); Δc = (−3, −3)/(1+2) = (−1, −1); with α = 0.5
	// the new center is (1, 1) + 0.5·(1, 1) = (1.5, 1.5).
	s := NewCenterStep("", [][2]float64{{4, 1}, {1, 4}}, [2]float64{1, 1}, 0.5)
	assert.InDelta(t, 1.5, s.NewCenter[0], 1e-12)
	assert.InDelta(t, 1.5, s.NewCenter[1], 1e-12)
	const w, h = 700, 500
	img := decode(t, must(s.PNG(w, h)))
	g := replayStep(t, s, w, h)
	// The arrow of x_1 = (4, 1) is horizontal: its head (wide) is at the old center, its tail (one line) at x_1.
	ox, oy := g.toPx(1, 1)
	fx, _ := g.toPx(4, 1)
	scale := DPI / 72.0
	tip := ox + (centerRadius+0.5)*scale
	tail := fx - (stepDotRadius+0.5)*scale
	column := func(x float64) int {
		n := 0
		for y := int(oy) - 5; y <= int(oy)+5; y++ {
			if isGreyInk(img.At(int(x), y)) {
				n++
			}
		}
		return n
	}
	assert.GreaterOrEqual(t, column(tip+0.7*stepThinHead*scale), 4, "the arrow's head is at the center")
	assert.LessOrEqual(t, column(tail-0.7*stepThinHead*scale), 2, "the arrow's tail is at the feature")
	// Its name says which difference it is.
	p, leg, err := s.build()
	require.NoError(t, err)
	require.NotNil(t, p)
	assert.Contains(t, leg.names, mathText("c − x_i, Eq. 4's terms"))
	for _, n := range leg.names {
		assert.NotContains(t, string(n), "x_i − c")
	}
}

func TestCenterStepFixedLimits(t *testing.T) {
	// On fixed limits the frame is the same whatever the features and α: the axes (the asked-for range, one of
	// them widened to the other's scale) and the data area do not move.
	lim := &Limits{XMin: -6, XMax: 6, YMin: -6, YMax: 6}
	const w, h = 760, 560
	var first stepGeometry
	for i, c := range []struct {
		alpha float64
		x     [2]float64
	}{{0.05, [2]float64{2, 2}}, {1, [2]float64{-5, 4.5}}, {0.5, [2]float64{4.9, -5}}} {
		s := NewCenterStep("slider", [][2]float64{{2, 1}, {3, 2}, {1, 3}, c.x}, [2]float64{0, 0}, c.alpha)
		s.Limits = lim
		g := replayStep(t, s, w, h)
		p := g.plot
		assert.True(t, p.X.Min <= -6 && p.X.Max >= 6 && p.Y.Min <= -6 && p.Y.Max >= 6, "%v..%v × %v..%v", p.X.Min, p.X.Max, p.Y.Min, p.Y.Max)
		assert.True(t, p.Y.Min == -6 || p.X.Min == -6, "one axis as asked")
		if i == 0 {
			first = g
			continue
		}
		assert.Equal(t, first.plot.X.Min, p.X.Min)
		assert.Equal(t, first.plot.Y.Max, p.Y.Max)
		assert.Equal(t, first.data, g.data)
		assert.Equal(t, first.legend, g.legend)
	}
	// A feature dragged out of the frame is left out, arrow clipped, and nothing is drawn outside the data area
	// but the legend.
	s := NewCenterStep("", [][2]float64{{9, 9}, {1, 1}}, [2]float64{0, 0}, 0.5)
	s.Limits = lim
	img := decode(t, must(s.PNG(w, h)))
	g := replayStep(t, s, w, h)
	outside := 0
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if pt := image.Pt(x, y); !pt.In(g.data.Inset(-2)) && !pt.In(g.legend) && isClass(img.At(x, y), 0) {
				outside++
			}
		}
	}
	assert.Zero(t, outside, "blue outside the data area")
}

func TestCenterStepInvalid(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		s    CenterStep
		want string
	}{
		{CenterStep{Features: [][2]float64{{0, 0}, {1, nan}}}, "feature 1 is not finite"},
		{CenterStep{OldCenter: [2]float64{math.Inf(1), 0}}, "centers are not finite"},
		{CenterStep{NewCenter: [2]float64{0, nan}}, "centers are not finite"},
		{CenterStep{Alpha: nan}, "alpha is not finite"},
		{CenterStep{Limits: &Limits{XMin: 0, XMax: nan, YMin: 0, YMax: 1}}, "limits are not finite"},
		{CenterStep{Limits: &Limits{XMin: 0, XMax: 1, YMin: 1, YMax: 1}}, "limits are empty or inverted"},
	} {
		_, err := tc.s.PNG(200, 200)
		require.Error(t, err)
		assert.Contains(t, err.Error(), tc.want)
		assert.Regexp(t, `^plots: `, err.Error())
	}
	_, err := CenterStep{}.PNG(200, -1)
	assert.ErrorContains(t, err, "image size")
	// Degenerate but valid: everything at one point.
	data, err := CenterStep{Features: [][2]float64{{2, 2}}, OldCenter: [2]float64{2, 2}, NewCenter: [2]float64{2, 2}}.PNG(200, 150)
	require.NoError(t, err)
	assert.Equal(t, image.Rect(0, 0, 200, 150), decode(t, data).Bounds())
}

// TestCenterStepSample writes /tmp/update_sample.png (the theory notebook's
// worked example), /tmp/update_sample8.png (eight features) and
// /tmp/update_slider_*.png (frames of a slider on fixed limits) when
// PLOTS_SAMPLE=1.
func TestCenterStepSample(t *testing.T) {
	if os.Getenv("PLOTS_SAMPLE") != "1" {
		t.Skip("set PLOTS_SAMPLE=1 to write /tmp/update_sample*.png")
	}
	write := func(name string, s CenterStep, w, h int) {
		data, err := s.PNG(w, h)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile("/tmp/"+name, data, 0o644))
	}
	worked := [][2]float64{{2, 1}, {3, 2}, {1, 3}, {2, 2}}
	write("update_sample.png", NewCenterStep("one center update, α = 0.5", worked, [2]float64{0, 0}, 0.5), 760, 560)
	feats := [][2]float64{{3.1, 2.2}, {4.0, 1.1}, {3.6, 3.0}, {2.5, 1.6}, {4.4, 2.6}, {3.0, 0.9}, {3.8, 2.0}, {2.8, 2.8}}
	write("update_sample8.png", NewCenterStep("center update, Eq. 4: 8 features of class 3 in the batch", feats, [2]float64{0.5, 0.4}, 0.5), 760, 560)
	lim := &Limits{XMin: -6, XMax: 6, YMin: -6, YMax: 6}
	for i, c := range []struct {
		alpha float64
		x4    [2]float64
	}{{0.05, [2]float64{2, 2}}, {1, [2]float64{-5, 4.5}}, {0.5, [2]float64{-4.8, -5}}} {
		f := append(append([][2]float64(nil), worked[:3]...), c.x4)
		s := NewCenterStep(fmt.Sprintf("one center update, α = %g", c.alpha), f, [2]float64{0, 0}, c.alpha)
		s.Limits = lim
		write(fmt.Sprintf("update_slider_%d.png", i), s, 760, 560)
	}
}
