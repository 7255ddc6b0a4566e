package plots

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// cluster returns n points drawn from an isotropic Gaussian around (cx, cy).
func cluster(rng *rand.Rand, n int, cx, cy, std float32) [][2]float32 {
	pts := make([][2]float32, n)
	for i := range pts {
		pts[i] = [2]float32{cx + std*float32(rng.NormFloat64()), cy + std*float32(rng.NormFloat64())}
	}
	return pts
}

// hueOf returns the hue in degrees [0, 360) and the chroma (max-min channel,
// 0..255) of c. Blending an opaque colour with white (alpha) or black
// (anti-aliased black edges) leaves its hue unchanged.
func hueOf(c color.Color) (hue, chroma float64) {
	r32, g32, b32, _ := c.RGBA()
	r, g, b := float64(r32>>8), float64(g32>>8), float64(b32>>8)
	mx, mn := math.Max(r, math.Max(g, b)), math.Min(r, math.Min(g, b))
	chroma = mx - mn
	if chroma == 0 {
		return 0, 0
	}
	switch mx {
	case r:
		hue = 60 * math.Mod((g-b)/chroma+6, 6)
	case g:
		hue = 60 * ((b-r)/chroma + 2)
	default:
		hue = 60 * ((r-g)/chroma + 4)
	}
	return hue, chroma
}

// isClass reports whether pixel colour c is (a blend with white or black of)
// the colour of class k.
func isClass(c color.Color, k int) bool {
	h, chroma := hueOf(c)
	hk, _ := hueOf(ClassColor(k))
	d := math.Abs(h - hk)
	d = math.Min(d, 360-d)
	return chroma >= 30 && d <= 6
}

// countClass counts pixels of class k's colour in img within rect r.
func countClass(img image.Image, r image.Rectangle, k int) int {
	r = r.Intersect(img.Bounds())
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if isClass(img.At(x, y), k) {
				n++
			}
		}
	}
	return n
}

// geometry is where things land in a rendered image.
type geometry struct {
	toPx   func(x, y float64) (px, py float64) // data → image pixel coordinates (y down)
	data   image.Rectangle                     // the data area
	legend image.Rectangle                     // the legend box
}

// geometryOf replays the layout of e rendered at w x h pixels.
func geometryOf(t *testing.T, e *Embedding, w, h int) geometry {
	t.Helper()
	p, leg, err := e.build()
	require.NoError(t, err)
	dc := withMargin(draw.New(newCanvas(w, h)))
	plotArea, legendBox := layOutBeside(dc, p, leg)
	da := p.DataCanvas(plotArea)
	trX, trY := p.Transforms(&da)
	scale := float64(DPI) / 72 // pixels per point
	px := func(l vg.Length) float64 { return float64(l) * scale }
	py := func(l vg.Length) float64 { return float64(h) - float64(l)*scale }
	rect := func(r vg.Rectangle) image.Rectangle {
		return image.Rect(int(math.Floor(px(r.Min.X))), int(math.Floor(py(r.Max.Y))),
			int(math.Ceil(px(r.Max.X))), int(math.Ceil(py(r.Min.Y))))
	}
	return geometry{
		toPx:   func(x, y float64) (float64, float64) { return px(trX(x)), py(trY(y)) },
		data:   rect(da.Rectangle),
		legend: rect(legendBox),
	}
}

func decode(t *testing.T, data []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	require.NoError(t, err)
	return img
}

func around(px, py float64, r int) image.Rectangle {
	x, y := int(px), int(py)
	return image.Rect(x-r, y-r, x+r+1, y+r+1)
}

func TestClassColorIsTab10(t *testing.T) {
	// matplotlib's tab10 (matplotlib/_cm.py, "_tab10_data"), as hex.
	want := []string{"1f77b4", "ff7f0e", "2ca02c", "d62728", "9467bd", "8c564b", "e377c2", "7f7f7f", "bcbd22", "17becf"}
	hex := func(c color.Color) string {
		r, g, b, a := c.RGBA()
		require.Equal(t, uint32(0xffff), a, "opaque")
		return string([]byte{
			"0123456789abcdef"[r>>12], "0123456789abcdef"[(r>>8)&15],
			"0123456789abcdef"[g>>12], "0123456789abcdef"[(g>>8)&15],
			"0123456789abcdef"[b>>12], "0123456789abcdef"[(b>>8)&15],
		})
	}
	for i, w := range want {
		assert.Equal(t, w, hex(ClassColor(i)), "class %d", i)
		assert.Equal(t, w, hex(ClassColor(i+10)), "class %d wraps", i+10)
		assert.Equal(t, w, hex(ClassColor(i-10)), "class %d wraps", i-10)
	}
}

// threeClusters returns three well separated clusters of classes 0 (blue),
// 1 (orange) and 2 (green) with their centers.
func threeClusters() *Embedding {
	rng := rand.New(rand.NewPCG(1, 2))
	means := [][2]float32{{-10, -4}, {10, -4}, {0, 12}}
	e := &Embedding{
		Title:      "three clusters",
		ClassNames: []string{"zero", "one", "two"},
		Centers:    means,
	}
	for k, m := range means {
		pts := cluster(rng, 300, m[0], m[1], 0.8)
		e.Features = append(e.Features, pts...)
		for range pts {
			e.Labels = append(e.Labels, k)
		}
	}
	// Shuffle, as a test set would be.
	rng.Shuffle(len(e.Labels), func(i, j int) {
		e.Features[i], e.Features[j] = e.Features[j], e.Features[i]
		e.Labels[i], e.Labels[j] = e.Labels[j], e.Labels[i]
	})
	return e
}

func TestPNGDrawsEachClusterInItsColourWhereItIs(t *testing.T) {
	e := threeClusters()
	const w, h = 600, 500
	data, err := e.PNG(w, h)
	require.NoError(t, err)
	img := decode(t, data)
	require.Equal(t, image.Rect(0, 0, w, h), img.Bounds())

	g := geometryOf(t, e, w, h)
	for k, m := range e.Centers {
		px, py := g.toPx(float64(m[0]), float64(m[1]))
		require.True(t, image.Pt(int(px), int(py)).In(g.data), "cluster %d center at pixel (%.0f, %.0f) outside the data area %v", k, px, py, g.data)
		// ±2σ of the cluster: 1.6 data units, a few tens of pixels here.
		r := int(math.Abs(px - func() float64 { x, _ := g.toPx(float64(m[0])+1.6, 0); return x }()))
		require.Greater(t, r, 5)
		win := around(px, py, r)
		assert.Greater(t, countClass(img, win, k), r*r, "class %d colour near its cluster", k)
		for other := range e.Centers {
			if other != k {
				assert.Zero(t, countClass(img, win, other), "class %d colour near cluster %d", other, k)
			}
		}
		// The center marker is drawn on top: opaque class colour in its middle...
		cr, cg, cb, _ := img.At(int(px), int(py)).RGBA()
		kr, kg, kb, _ := ClassColor(k).RGBA()
		assert.InDelta(t, kr>>8, cr>>8, 12, "center %d red", k)
		assert.InDelta(t, kg>>8, cg>>8, 12, "center %d green", k)
		assert.InDelta(t, kb>>8, cb>>8, 12, "center %d blue", k)
		// ... and a black edge around it, at radius centerRadius points.
		edge := centerRadius * DPI / 72.0
		dark := 0
		for a := 0.0; a < 2*math.Pi; a += math.Pi / 8 {
			x, y := px+edge*math.Cos(a), py+edge*math.Sin(a)
			r, gg, b, _ := img.At(int(math.Round(x)), int(math.Round(y))).RGBA()
			if (r>>8)+(gg>>8)+(b>>8) < 3*90 {
				dark++
			}
		}
		assert.GreaterOrEqual(t, dark, 12, "black edge around center %d", k)
	}
	// The legend shows every class's colour.
	require.False(t, g.legend.Overlaps(g.data), "legend %v beside the data area %v", g.legend, g.data)
	for k := range e.ClassNames {
		assert.Positive(t, countClass(img, g.legend, k), "legend entry of class %d", k)
	}
}

func TestPointsAreTranslucent(t *testing.T) {
	// One point at a known place, no centers: its middle pixel is fully
	// covered by the dot, so it is class colour blended 50/50 with white.
	e := &Embedding{
		Features: [][2]float32{{0.3, -0.2}},
		Labels:   []int{4},
		Limits:   &Limits{XMin: -1, XMax: 1, YMin: -1, YMax: 1},
	}
	const w, h = 300, 300
	data, err := e.PNG(w, h)
	require.NoError(t, err)
	img := decode(t, data)
	px, py := geometryOf(t, e, w, h).toPx(0.3, -0.2)
	got := color.RGBAModel.Convert(img.At(int(px), int(py))).(color.RGBA)
	c := ClassColor(4).(color.RGBA)
	blend := func(v uint8) float64 { return pointAlpha*float64(v) + (1-pointAlpha)*255 }
	assert.InDelta(t, blend(c.R), float64(got.R), 4, "red of %v", got)
	assert.InDelta(t, blend(c.G), float64(got.G), 4, "green of %v", got)
	assert.InDelta(t, blend(c.B), float64(got.B), 4, "blue of %v", got)
}

func TestOnlyUsedClassColoursAppearInTheData(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	pts := cluster(rng, 500, 2, 3, 1)
	e := &Embedding{Features: pts, Labels: make([]int, len(pts))}
	for i := range e.Labels {
		e.Labels[i] = 1
	}
	const w, h = 400, 400
	data, err := e.PNG(w, h)
	require.NoError(t, err)
	img := decode(t, data)
	g := geometryOf(t, e, w, h)

	// Default class names: ten legend entries, so the legend shows class 0
	// too; everywhere else, only class 1's colour.
	class0, class1 := 0, 0
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if image.Pt(x, y).In(g.legend) {
				continue
			}
			c := img.At(x, y)
			if isClass(c, 0) {
				class0++
			}
			if isClass(c, 1) {
				class1++
			}
		}
	}
	assert.Zero(t, class0, "class 0 (blue) pixels outside the legend")
	assert.Greater(t, class1, 1000, "class 1 (orange) pixels")
	for k := range 10 {
		if k == 7 { // tab:gray has no hue
			continue
		}
		assert.Positive(t, countClass(img, g.legend, k), "legend entry of class %d", k)
	}
	// The auto limits are square around the data.
	l := e.limits()
	assert.InDelta(t, l.XMax-l.XMin, l.YMax-l.YMin, 1e-9)
	for _, p := range pts {
		assert.True(t, float64(p[0]) > l.XMin && float64(p[0]) < l.XMax && float64(p[1]) > l.YMin && float64(p[1]) < l.YMax)
	}
}

func TestFixedLimits(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	in := cluster(rng, 200, 10, 10, 0.5)
	e := &Embedding{
		Features:   append(in, [2]float32{100, 100}, [2]float32{-100, 0}), // the last two are off limits
		Labels:     make([]int, len(in)+2),
		ClassNames: []string{"in", "out"},
		Limits:     &Limits{XMin: -20, XMax: 20, YMin: -20, YMax: 20},
	}
	e.Labels[len(in)], e.Labels[len(in)+1] = 1, 1
	const w, h = 400, 400
	data, err := e.PNG(w, h)
	require.NoError(t, err)
	img := decode(t, data)
	g := geometryOf(t, e, w, h)

	// The limits are kept, and one of them widened about 0 so that both axes have one scale (the legend beside the
	// data area makes it no longer square): (0, 0) is in the middle, and (10, 10) as far right of it as above it,
	// at least a quarter of the data area's side away.
	px, py := g.toPx(10, 10)
	cx, cy := float64(g.data.Min.X+g.data.Max.X)/2, float64(g.data.Min.Y+g.data.Max.Y)/2
	ox, oy := g.toPx(0, 0)
	assert.InDelta(t, cx, ox, 2)
	assert.InDelta(t, cy, oy, 2)
	assert.InDelta(t, px-cx, cy-py, 2)
	assert.InDelta(t, 0.25*float64(min(g.data.Dx(), g.data.Dy())), px-cx, 3)
	assert.Greater(t, countClass(img, around(px, py, 10), 0), 100)

	// The points outside the limits are not drawn anywhere.
	n := 0
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if !image.Pt(x, y).In(g.legend) && isClass(img.At(x, y), 1) {
				n++
			}
		}
	}
	assert.Zero(t, n, "pixels of the off-limits class")
}

func TestLegendIsBesideTheDataAtTheSameScale(t *testing.T) {
	// Dense data in the top-right corner: the legend hides none of it, to the right of the data area, at its top;
	// and a unit is as long on both axes, the data area being wider than high.
	rng := rand.New(rand.NewPCG(7, 8))
	pts := append(cluster(rng, 400, 9, 9, 0.5), [2]float32{0, 0})
	e := &Embedding{Features: pts, Labels: make([]int, len(pts)), Limits: &Limits{XMin: 0, XMax: 10, YMin: 0, YMax: 10}}
	g := geometryOf(t, e, 500, 400)
	assert.GreaterOrEqual(t, g.legend.Min.X, g.data.Max.X, "legend %v right of %v", g.legend, g.data)
	assert.LessOrEqual(t, g.legend.Max.X, 500)
	assert.Less(t, g.legend.Min.Y-g.data.Min.Y, 3, "legend %v at the top of %v", g.legend, g.data)
	x0, y0 := g.toPx(0, 0)
	x1, _ := g.toPx(1, 0)
	_, y1 := g.toPx(0, 1)
	assert.InDelta(t, x1-x0, y0-y1, 1e-6, "one unit across and one up")
}

func TestInvalidInput(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	ok := func() *Embedding {
		return &Embedding{Features: [][2]float32{{0, 0}, {1, 1}, {2, 2}}, Labels: []int{0, 1, 2}}
	}
	tests := []struct {
		name   string
		modify func(e *Embedding)
		want   string
	}{
		{"fewer labels", func(e *Embedding) { e.Labels = e.Labels[:2] }, "3 features but 2 labels"},
		{"more labels", func(e *Embedding) { e.Labels = append(e.Labels, 0) }, "3 features but 4 labels"},
		{"label too large", func(e *Embedding) { e.Labels[1] = 10 }, "label 10 of feature 1 is out of range [0, 10)"},
		{"negative label", func(e *Embedding) { e.Labels[2] = -1 }, "label -1 of feature 2 is out of range"},
		{"label beyond class names", func(e *Embedding) { e.ClassNames = []string{"a", "b"} }, "label 2 of feature 2 is out of range [0, 2)"},
		{"NaN feature", func(e *Embedding) { e.Features[2][1] = nan }, "feature 2 is not finite: (2, NaN)"},
		{"Inf feature", func(e *Embedding) { e.Features[0][0] = inf }, "feature 0 is not finite: (+Inf, 0)"},
		{"too few centers", func(e *Embedding) { e.Centers = make([][2]float32, 3) }, "3 centers but 10 classes"},
		{"NaN center", func(e *Embedding) { e.Centers = make([][2]float32, 10); e.Centers[4][0] = nan }, "center of class 4 is not finite"},
		{"empty class names", func(e *Embedding) { e.ClassNames = []string{} }, "ClassNames is empty"},
		{"inverted limits", func(e *Embedding) { e.Limits = &Limits{XMin: 1, XMax: 0, YMin: 0, YMax: 1} }, "limits are empty or inverted"},
		{"empty limits", func(e *Embedding) { e.Limits = &Limits{XMin: 0, XMax: 1, YMin: 1, YMax: 1} }, "limits are empty or inverted"},
		{"NaN limits", func(e *Embedding) { e.Limits = &Limits{XMin: 0, XMax: 1, YMin: 0, YMax: math.NaN()} }, "limits are not finite"},
	}
	dir := t.TempDir()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := ok()
			tc.modify(e)
			_, err := e.Plot()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			_, err = e.PNG(100, 100)
			assert.ErrorContains(t, err, tc.want)
			path := filepath.Join(dir, "bad.png")
			assert.ErrorContains(t, e.WritePNG(path, 100, 100), tc.want)
			assert.NoFileExists(t, path)
		})
	}
	t.Run("nil embedding", func(t *testing.T) {
		var e *Embedding
		_, err := e.PNG(100, 100)
		assert.ErrorContains(t, err, "nil")
	})
	t.Run("bad image size", func(t *testing.T) {
		for _, wh := range [][2]int{{0, 100}, {100, -1}, {1 << 20, 100}} {
			_, err := ok().PNG(wh[0], wh[1])
			assert.ErrorContains(t, err, "image size", "%v", wh)
		}
	})
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries, "files left behind")
}

func TestEmptyAndDegenerateEmbeddingsRender(t *testing.T) {
	for name, e := range map[string]*Embedding{
		"empty":        {},
		"centers only": {Centers: make([][2]float32, 10)},
		"one point":    {Features: [][2]float32{{5, 5}}, Labels: []int{3}},
		"huge values":  {Features: [][2]float32{{-3e38, 3e38}, {3e38, -3e38}}, Labels: []int{0, 1}},
	} {
		data, err := e.PNG(200, 150)
		require.NoError(t, err, name)
		assert.Equal(t, image.Rect(0, 0, 200, 150), decode(t, data).Bounds(), name)
	}
}

func TestWritePNG(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "embedding.png")
	e := threeClusters()
	require.NoError(t, e.WritePNG(path, 320, 240))
	// Overwriting an existing image works the same way.
	require.NoError(t, e.WritePNG(path, 300, 200))

	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, de := range entries {
		names = append(names, de.Name())
	}
	assert.Equal(t, []string{"embedding.png"}, names, "no temp file left behind")
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), info.Mode().Perm())

	data, err := os.ReadFile(path)
	require.NoError(t, err)
	img := decode(t, data)
	assert.Equal(t, image.Rect(0, 0, 300, 200), img.Bounds())
	for k := range 3 {
		assert.Positive(t, countClass(img, img.Bounds(), k), "class %d colour", k)
	}
	// Same bytes as the in-memory rendering.
	mem, err := e.PNG(300, 200)
	require.NoError(t, err)
	assert.Equal(t, mem, data)

	// A missing directory is an error, not a panic, and creates nothing.
	err = e.WritePNG(filepath.Join(dir, "missing", "x.png"), 100, 100)
	assert.Error(t, err)
	assert.NoDirExists(t, filepath.Join(dir, "missing"))
}

// TestSample writes /tmp/embedding_sample.png, a synthetic look-alike of
// Wen et al.'s Fig. 3 (ten radial clusters), when PLOTS_SAMPLE=1.
func TestSample(t *testing.T) {
	if os.Getenv("PLOTS_SAMPLE") != "1" {
		t.Skip("set PLOTS_SAMPLE=1 to write /tmp/embedding_sample.png")
	}
	rng := rand.New(rand.NewPCG(9, 10))
	e := &Embedding{
		Title:   "epoch 3 — test features (λ=0.01, α=0.5)",
		Centers: make([][2]float32, 10),
	}
	for i := range 10000 {
		k := i % 10
		angle := 2 * math.Pi * (float64(k) + 0.25) / 10
		r := 20 + 60*math.Abs(rng.NormFloat64())*0.5 + 15*rng.Float64() // stretched along the ray
		a := angle + 0.08*rng.NormFloat64()
		e.Features = append(e.Features, [2]float32{float32(r * math.Cos(a)), float32(r * math.Sin(a))})
		e.Labels = append(e.Labels, k)
	}
	rng.Shuffle(len(e.Labels), func(i, j int) {
		e.Features[i], e.Features[j] = e.Features[j], e.Features[i]
		e.Labels[i], e.Labels[j] = e.Labels[j], e.Labels[i]
	})
	var sums [10][3]float64
	for i, f := range e.Features {
		sums[e.Labels[i]][0] += float64(f[0])
		sums[e.Labels[i]][1] += float64(f[1])
		sums[e.Labels[i]][2]++
	}
	for k, s := range sums {
		e.Centers[k] = [2]float32{float32(s[0] / s[2]), float32(s[1] / s[2])}
	}
	require.NoError(t, e.WritePNG("/tmp/embedding_sample.png", 800, 800))
}

func TestAxisLabels(t *testing.T) {
	// The network's own 2-D features by default; a projection names its axes.
	p, err := (&Embedding{}).Plot()
	require.NoError(t, err)
	assert.Equal(t, "feature 1", p.X.Label.Text)
	assert.Equal(t, "feature 2", p.Y.Label.Text)
	p, err = (&Embedding{XLabel: "principal component 1", YLabel: "principal component 2"}).Plot()
	require.NoError(t, err)
	assert.Equal(t, "principal component 1", p.X.Label.Text)
	assert.Equal(t, "principal component 2", p.Y.Label.Text)
}

func TestNoCenterLeavesTheCenterOut(t *testing.T) {
	// Class 1's center is left out: no disc (no black edge) where it would be, and the automatic limits do not
	// reach out to it; class 0's center is drawn.
	e := threeClusters()
	e.Centers[1] = [2]float32{-30, 30} // far from every feature: drawn, it would stretch the axes
	e.NoCenter = []bool{false, true, false}
	const w, h = 500, 500
	img := decode(t, must(e.PNG(w, h)))
	g := geometryOf(t, e, w, h)
	lim := e.limits()
	assert.Greater(t, lim.XMin, -20.0, "the hidden center is out of the limits %+v", lim)
	assert.Less(t, lim.YMax, 20.0)
	px, py := g.toPx(float64(e.Centers[0][0]), float64(e.Centers[0][1]))
	assert.Positive(t, countDark(img, around(px, py, 8)), "class 0's center has its black edge")

	// With limits that take in (-30, 30), the place of the hidden center stays blank.
	e.Limits = &Limits{XMin: -35, XMax: 35, YMin: -35, YMax: 35}
	img = decode(t, must(e.PNG(w, h)))
	g = geometryOf(t, e, w, h)
	px, py = g.toPx(-30, 30)
	require.True(t, image.Pt(int(px), int(py)).In(g.data))
	require.False(t, around(px, py, 8).Overlaps(g.legend), "the legend is elsewhere")
	assert.Zero(t, countDark(img, around(px, py, 8)), "no center drawn at (-30, 30)")
	assert.Zero(t, countClass(img, around(px, py, 8), 1), "no class 1 colour at (-30, 30)")

	e.NoCenter = []bool{true}
	assert.ErrorContains(t, e.validate(), "NoCenter has 1 entries but there are 3 classes")
	e.NoCenter = []bool{false, true, false}
	e.Centers[1] = [2]float32{float32(math.NaN()), 0}
	assert.NoError(t, e.validate(), "a center left out need not be finite")
}

// countDark counts the pixels of r darker than mid grey: black edges and text.
func countDark(img image.Image, r image.Rectangle) int {
	r = r.Intersect(img.Bounds())
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if (cr>>8)+(cg>>8)+(cb>>8) < 3*110 {
				n++
			}
		}
	}
	return n
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
