package plots

import (
	"image"
	"image/color"
	"math"
	"os"
	"testing"

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

func TestCenterStepPNG(t *testing.T) {
	feats := [][2]float64{{4, 1}, {5, 2}, {4.5, 3}, {6, 1.5}, {5, 0.5}}
	s := NewCenterStep("one center update", feats, [2]float64{1, 1}, 0.5)
	const w, h = 500, 500
	data, err := s.PNG(w, h)
	require.NoError(t, err)
	img := decode(t, data)
	require.Equal(t, image.Rect(0, 0, w, h), img.Bounds())

	p, leg, err := s.build()
	require.NoError(t, err)
	g := replay(t, p, leg, w, h)
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
	// Features and centers are clear of the legend; the legend has both colours.
	for _, pt := range append(feats, s.OldCenter, s.NewCenter) {
		x, y := g.toPx(pt[0], pt[1])
		assert.False(t, around(x, y, 6).Overlaps(g.legend), "%v under the legend %v", pt, g.legend)
	}
	assert.Positive(t, countClass(img, g.legend, red))
	assert.Positive(t, countClass(img, g.legend, blue))
	// Square limits around all points.
	assert.InDelta(t, p.X.Max-p.X.Min, p.Y.Max-p.Y.Min, 1e-9)
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

// TestCenterStepSample writes /tmp/update_sample.png when PLOTS_SAMPLE=1.
func TestCenterStepSample(t *testing.T) {
	if os.Getenv("PLOTS_SAMPLE") != "1" {
		t.Skip("set PLOTS_SAMPLE=1 to write /tmp/update_sample.png")
	}
	feats := [][2]float64{{3.1, 2.2}, {4.0, 1.1}, {3.6, 3.0}, {2.5, 1.6}, {4.4, 2.6}, {3.0, 0.9}, {3.8, 2.0}, {2.8, 2.8}}
	s := NewCenterStep("center update, Eq. 4: 8 features of class 3 in the batch", feats, [2]float64{0.5, 0.4}, 0.5)
	data, err := s.PNG(600, 600)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile("/tmp/update_sample.png", data, 0o644))
}
