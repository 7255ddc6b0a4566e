package plots

import (
	"image"
	"math"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// plotGeometry replays the layout of p rendered at w x h pixels (as
// geometryOf does for an Embedding): data → pixel (y down), the data area,
// and the legend box of leg.
type plotGeometry struct {
	toPx   func(x, y float64) (px, py float64)
	data   image.Rectangle
	legend image.Rectangle
}

func replay(t *testing.T, p *plot.Plot, leg *thumbLegend, w, h int) plotGeometry {
	t.Helper()
	dc := withMargin(draw.New(newCanvas(w, h)))
	da := p.DataCanvas(dc)
	trX, trY := p.Transforms(&da)
	scale := float64(DPI) / 72
	px := func(l vg.Length) float64 { return float64(l) * scale }
	py := func(l vg.Length) float64 { return float64(h) - float64(l)*scale }
	rect := func(r vg.Rectangle) image.Rectangle {
		return image.Rect(int(math.Floor(px(r.Min.X))), int(math.Floor(py(r.Max.Y))),
			int(math.Ceil(px(r.Max.X))), int(math.Ceil(py(r.Min.Y))))
	}
	return plotGeometry{
		toPx:   func(x, y float64) (float64, float64) { return px(trX(x)), py(trY(y)) },
		data:   rect(da.Rectangle),
		legend: rect(leg.place.box(da, p)),
	}
}

func line(n int, f func(x float64) float64) Series {
	s := Series{}
	for i := range n {
		x := float64(i)
		s.X, s.Y = append(s.X, x), append(s.Y, f(x))
	}
	return s
}

func TestCurvesDrawsEachSeriesInItsColour(t *testing.T) {
	up, down := line(11, func(x float64) float64 { return x }), line(11, func(x float64) float64 { return 10 - x })
	up.Name, down.Name = "up", "down"
	series := []Series{up, down}
	const w, h = 500, 400
	data, err := Curves("two lines", "step", "value", series, w, h)
	require.NoError(t, err)
	img := decode(t, data)
	require.Equal(t, image.Rect(0, 0, w, h), img.Bounds())

	p, leg, err := curvesPlot("two lines", "step", "value", series, false, 0)
	require.NoError(t, err)
	g := replay(t, p, leg, w, h)
	for _, tc := range []struct {
		x, y  float64
		class int // -1: no series colour
	}{
		{3, 3, 0}, {6.5, 6.5, 0}, // on "up", blue
		{3, 7, 1}, {6.5, 3.5, 1}, // on "down", orange
		{3, 5, -1}, {5, 8, -1}, {5, 2, -1}, // between the lines
	} {
		px, py := g.toPx(tc.x, tc.y)
		require.False(t, image.Pt(int(px), int(py)).In(g.legend), "(%v, %v) is under the legend %v", tc.x, tc.y, g.legend)
		win := around(px, py, 2)
		for k := range 2 {
			if k == tc.class {
				assert.Positive(t, countClass(img, win, k), "series %d colour at (%v, %v)", k, tc.x, tc.y)
			} else {
				assert.Zero(t, countClass(img, win, k), "series %d colour at (%v, %v)", k, tc.x, tc.y)
			}
		}
	}
	// The legend shows both colours, and y has a margin: the top point (0, 10)
	// lies inside the data area, not on its edge.
	for k := range 2 {
		assert.Positive(t, countClass(img, g.legend, k), "legend entry %d", k)
	}
	_, top := g.toPx(0, 10)
	assert.Greater(t, top-float64(g.data.Min.Y), 5.0)
}

func TestCurvesLogY(t *testing.T) {
	s := line(7, func(x float64) float64 { return math.Pow(10, -x/2) }) // 1 .. 1e-3, straight on a log axis
	s.Name = "loss"
	series := []Series{s}
	const w, h = 400, 400
	data, err := CurvesLogY("log", "epoch", "loss", series, w, h)
	require.NoError(t, err)
	img := decode(t, data)
	require.Equal(t, image.Rect(0, 0, w, h), img.Bounds())

	p, leg, err := curvesPlot("log", "epoch", "loss", series, true, 0)
	require.NoError(t, err)
	g := replay(t, p, leg, w, h)
	// On a log axis 10^-1.5 lies half-way between 1 and 10^-3.
	_, y0 := g.toPx(0, 1)
	_, y3 := g.toPx(3, math.Pow(10, -1.5))
	_, y6 := g.toPx(6, 1e-3)
	assert.InDelta(t, (y0+y6)/2, y3, 0.5)
	assert.Greater(t, y6-y0, 200.0, "the data span most of the height")
	px, py := g.toPx(3.5, math.Pow(10, -1.75)) // between two points, on the line
	assert.Positive(t, countClass(img, around(px, py, 1), 0))
}

func TestLogTicks(t *testing.T) {
	labels := func(lo, hi float64) []string {
		var out []string
		for _, tk := range (logTicks{}).Ticks(lo, hi) {
			if tk.Label != "" {
				out = append(out, tk.Label)
			}
		}
		return out
	}
	assert.Equal(t, []string{"0.001", "0.01", "0.1", "1"}, labels(9e-4, 1.2), "three decades or more: powers of 10")
	assert.Equal(t, []string{"0.05", "0.1", "0.2", "0.5", "1", "2"}, labels(0.05, 2.3), "1, 2, 5 when 1 alone gives two labels")
	assert.Equal(t, []string{"20", "50", "100"}, labels(15, 120))
	assert.Equal(t, []string{"0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"}, labels(0.3, 0.9), "less than a decade: all labelled, exact decimals")
	assert.Equal(t, []string{"0.3", "0.4"}, labels(0.29, 0.41))
	assert.GreaterOrEqual(t, len(labels(0.31, 0.39)), 2, "linear ticks inside one step")
	for _, tk := range (logTicks{}).Ticks(0.05, 2.3) {
		assert.True(t, tk.Value >= 0.05 && tk.Value <= 2.3, "tick %v in range", tk.Value)
	}
}

func TestCurvesDotsOnShortSeriesOnly(t *testing.T) {
	// A flat series at y = 1: 2 pixels above a data point, a dot (radius 2.9
	// pixels) covers the pixel and the line (2 pixels wide) does not.
	for _, n := range []int{5, curveMaxDots + 1} {
		s := line(n, func(float64) float64 { return 1 })
		p, leg, err := curvesPlot("", "", "", []Series{s}, false, 0)
		require.NoError(t, err)
		data, err := Curves("", "", "", []Series{s}, 400, 300)
		require.NoError(t, err)
		img := decode(t, data)
		g := replay(t, p, leg, 400, 300)
		px, py := g.toPx(2, 1)
		above := image.Rect(int(px)-1, int(py)-2, int(px)+2, int(py)-1) // 1.5 to 2.5 pixels above
		_, between := g.toPx(2.5, 1)
		if n <= curveMaxDots {
			assert.Positive(t, countClass(img, above, 0), "dot at a data point, %d points", n)
			assert.Zero(t, countClass(img, image.Rect(int(between)-1, int(py)-2, int(between)+2, int(py)-1), 0), "no dot between points")
		} else {
			assert.Zero(t, countClass(img, above, 0), "no dots on %d points", n)
		}
		assert.Positive(t, countClass(img, around(px, py, 0), 0), "the line itself")
	}
}

func TestCurvesInvalidInput(t *testing.T) {
	ok := func() []Series { return []Series{{Name: "a", X: []float64{0, 1}, Y: []float64{1, 2}}} }
	for _, tc := range []struct {
		name   string
		series func() []Series
		logY   bool
		want   string
	}{
		{"no series", func() []Series { return nil }, false, "no series"},
		{"lengths", func() []Series { s := ok(); s[0].Y = s[0].Y[:1]; return s }, false, `series 0 ("a") has 2 x but 1 y values`},
		{"empty", func() []Series { return []Series{{Name: "e"}} }, false, `series 0 ("e") is empty`},
		{"NaN", func() []Series { s := ok(); s[0].Y[1] = math.NaN(); return s }, false, `point 1 is not finite: (1, NaN)`},
		{"Inf x", func() []Series { s := ok(); s[0].X[0] = math.Inf(-1); return s }, false, `point 0 is not finite: (-Inf, 1)`},
		{"log of 0", func() []Series { s := ok(); s[0].Y[0] = 0; return s }, true, "a log y axis needs y > 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			curvesFn := Curves
			if tc.logY {
				curvesFn = CurvesLogY
			}
			_, err := curvesFn("t", "x", "y", tc.series(), 200, 200)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Regexp(t, `^plots: [^\n]*$`, err.Error())
		})
	}
	_, err := Curves("t", "x", "y", ok(), 0, 200)
	assert.ErrorContains(t, err, "image size")
	// Negative values are fine on a linear axis, and a flat curve on a log one.
	_, err = Curves("t", "x", "y", []Series{{X: []float64{0, 1}, Y: []float64{-1, -1}}}, 200, 200)
	assert.NoError(t, err)
	_, err = CurvesLogY("t", "x", "y", []Series{{X: []float64{3}, Y: []float64{0.5}}}, 200, 200)
	assert.NoError(t, err)
}

// TestCurvesSample writes /tmp/curves_sample.png and /tmp/curves_logy_sample.png
// when PLOTS_SAMPLE=1.
func TestCurvesSample(t *testing.T) {
	if os.Getenv("PLOTS_SAMPLE") != "1" {
		t.Skip("set PLOTS_SAMPLE=1 to write /tmp/curves_sample.png")
	}
	var loss, lossC, acc, accC Series
	loss.Name, lossC.Name, acc.Name, accC.Name = "softmax (λ = 0)", "center loss (λ = 0.01)", "softmax (λ = 0)", "center loss (λ = 0.01)"
	for i := range 2340 {
		x := float64(i)
		loss.X, loss.Y = append(loss.X, x), append(loss.Y, 2.3*math.Exp(-x/150)+0.05+0.03*math.Sin(x))
		lossC.X, lossC.Y = append(lossC.X, x), append(lossC.Y, 2.4*math.Exp(-x/120)+0.08+0.03*math.Cos(x))
	}
	for e := 1; e <= 5; e++ {
		acc.X, acc.Y = append(acc.X, float64(e)), append(acc.Y, 96+0.6*float64(e))
		accC.X, accC.Y = append(accC.X, float64(e)), append(accC.Y, 96.3+0.62*float64(e))
	}
	data, err := CurvesLogY("training loss", "step", "loss", []Series{loss, lossC}, 700, 450)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile("/tmp/curves_logy_sample.png", data, 0o644))
	data, err = Curves("test accuracy", "epoch", "accuracy (%)", []Series{acc, accC}, 700, 450)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile("/tmp/curves_sample.png", data, 0o644))
}

func TestCurvesPanelsEachWithItsOwnYAxis(t *testing.T) {
	// A curve from 1 to 0 beside one from 200 to 100: each panel's y range is its own data widened by
	// curveYMargin (by hand: [−0.04, 1.04] and [96, 204]), and each curve is drawn in its panel, in its colour.
	small, large := line(6, func(x float64) float64 { return 1 - x/5 }), line(6, func(x float64) float64 { return 200 - 20*x })
	panels := []Panel{
		{Title: "softmax loss", XLabel: "step", YLabel: "loss", Series: []Series{small}},
		{Title: "center loss L_C", XLabel: "step", YLabel: "L_C", Series: []Series{large}},
	}
	const w, h = 800, 360
	img := decode(t, must(CurvesPanels(panels, w, h)))
	require.Equal(t, image.Rect(0, 0, w, h), img.Bounds())
	ps, err := panelPlots(panels)
	require.NoError(t, err)
	assert.InDelta(t, -0.04, ps[0].Y.Min, 1e-12)
	assert.InDelta(t, 1.04, ps[0].Y.Max, 1e-12)
	assert.InDelta(t, 96, ps[1].Y.Min, 1e-12)
	assert.InDelta(t, 204, ps[1].Y.Max, 1e-12)
	assert.Equal(t, "center loss L_C", ps[1].Title.Text)
	assert.Equal(t, "L_C", ps[1].Y.Label.Text)

	tiles := panelCanvases(withMargin(draw.New(newCanvas(w, h))), 2)
	scale := float64(DPI) / 72
	var areas [2]image.Rectangle
	for i, p := range ps {
		da := p.DataCanvas(tiles[i])
		trX, trY := p.Transforms(&da)
		areas[i] = image.Rect(int(float64(da.Min.X)*scale), h-int(float64(da.Max.Y)*scale),
			int(float64(da.Max.X)*scale), h-int(float64(da.Min.Y)*scale))
		s := panels[i].Series[0]
		for _, k := range []int{1, 3} { // half-way between points: the line, not a dot
			x, y := (s.X[k]+s.X[k+1])/2, (s.Y[k]+s.Y[k+1])/2
			px, py := float64(trX(x))*scale, float64(h)-float64(trY(y))*scale
			require.True(t, image.Pt(int(px), int(py)).In(areas[i]))
			assert.Positive(t, countClass(img, around(px, py, 1), i), "panel %d's curve at (%v, %v)", i, x, y)
			assert.Zero(t, countClass(img, around(px, py, 3), 1-i), "panel %d has no curve of the other", i)
		}
	}
	assert.False(t, areas[0].Overlaps(areas[1]), "data areas %v and %v apart", areas[0], areas[1])
	assert.Less(t, areas[0].Max.X, w/2)
	assert.Greater(t, areas[1].Min.X, w/2)

	_, err = CurvesPanels(nil, w, h)
	assert.ErrorContains(t, err, "no panels")
	panels[1].Series[0].Y = panels[1].Series[0].Y[:2]
	_, err = CurvesPanels(panels, w, h)
	assert.ErrorContains(t, err, `plots: panel 1 ("center loss L_C"): series 0 ("") has 6 x but 2 y values`)
}

// TestCurvesPanelsSample writes /tmp/curves_panels_sample.png when PLOTS_SAMPLE=1.
func TestCurvesPanelsSample(t *testing.T) {
	if os.Getenv("PLOTS_SAMPLE") != "1" {
		t.Skip("set PLOTS_SAMPLE=1 to write /tmp/curves_panels_sample.png")
	}
	steps := []float64{100, 200, 300, 400, 500, 600}
	data, err := CurvesPanels([]Panel{
		{Title: "softmax loss", XLabel: "step", YLabel: "softmax loss",
			Series: []Series{{X: steps, Y: []float64{1.9, 0.6, 0.3, 0.2, 0.15, 0.12}}}},
		{Title: "center loss L_C", XLabel: "step", YLabel: "L_C",
			Series: []Series{{X: steps, Y: []float64{0.011, 0.03, 0.024, 0.018, 0.015, 0.013}}}},
	}, 960, 400)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile("/tmp/curves_panels_sample.png", data, 0o644))
}
