package plots

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func solidPNG(t *testing.T, w, h int, c color.Color) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(c), image.Point{}, draw.Src)
	data, err := encodePNG(img)
	require.NoError(t, err)
	return data
}

func rgbaAt(img image.Image, x, y int) color.RGBA {
	return color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
}

// allEqual reports whether every pixel of r in img is c.
func allEqual(img image.Image, r image.Rectangle, c color.RGBA) bool {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if rgbaAt(img, x, y) != c {
				return false
			}
		}
	}
	return true
}

func TestGridPlacesTilesAndCaptions(t *testing.T) {
	const tw, th = 80, 30 // wide enough for the longest caption
	colours := []color.RGBA{{R: 255, A: 255}, {G: 200, A: 255}, {B: 255, A: 255}}
	var pngs [][]byte
	for _, c := range colours {
		pngs = append(pngs, solidPNG(t, tw, th, c))
	}
	captions := []string{"red", "green", "λ = 0.01"}
	data, err := Grid(pngs, captions, 2)
	require.NoError(t, err)
	img := decode(t, data)

	// Two columns, two rows; the caption band is at least one line of 13 pt (17 pixels at 96 DPI).
	width := gridGap + 2*(tw+gridGap)
	require.Equal(t, width, img.Bounds().Dx())
	cellH := (img.Bounds().Dy() - gridGap) / 2
	require.Equal(t, gridGap+2*cellH, img.Bounds().Dy())
	captionH := cellH - th - gridGap
	assert.GreaterOrEqual(t, captionH, int(math.Ceil(gridCaptionPt*DPI/72.0)))

	white := color.RGBA{R: 255, G: 255, B: 255, A: 255}
	for i := range 4 {
		x0, y0 := gridGap+(i%2)*(tw+gridGap), gridGap+(i/2)*cellH
		tile := image.Rect(x0, y0, x0+tw, y0+th)
		band := image.Rect(x0-gridGap/2, tile.Max.Y, tile.Max.X+gridGap/2, tile.Max.Y+captionH)
		if i == 3 { // the empty cell
			assert.True(t, allEqual(img, tile.Union(band), white), "empty cell is white")
			continue
		}
		assert.True(t, allEqual(img, tile, colours[i]), "tile %d is exactly its colour", i)
		// The gaps around it are white.
		assert.True(t, allEqual(img, image.Rect(x0-gridGap, y0, x0, y0+th), white), "gap left of tile %d", i)
		assert.True(t, allEqual(img, image.Rect(x0, y0-gridGap, x0+tw, y0), white), "gap above tile %d", i)
		// The caption: dark ink in the band under the tile, centered on it.
		ink := inkBox(img, band)
		require.False(t, ink.Empty(), "caption %d", i)
		assert.InDelta(t, float64(x0)+tw/2, float64(ink.Min.X+ink.Max.X)/2, 3, "caption %d centered", i)
		assert.Greater(t, ink.Min.Y, tile.Max.Y, "caption %d below its tile", i)
	}
}

func TestGridWithoutCaptionsAndFewImages(t *testing.T) {
	blue := color.RGBA{B: 255, A: 255}
	pngs := [][]byte{solidPNG(t, 10, 20, blue), solidPNG(t, 10, 20, blue)}
	data, err := Grid(pngs, nil, 5) // more columns than images: one row of two
	require.NoError(t, err)
	img := decode(t, data)
	assert.Equal(t, image.Rect(0, 0, gridGap+2*(10+gridGap), gridGap+20+gridGap), img.Bounds())
	assert.True(t, allEqual(img, image.Rect(gridGap, gridGap, gridGap+10, gridGap+20), blue))
	assert.True(t, allEqual(img, image.Rect(2*gridGap+10, gridGap, 2*gridGap+20, gridGap+20), blue))
}

func TestGridOfPlots(t *testing.T) {
	// Two real embeddings side by side keep their pixels.
	rng := rand.New(rand.NewPCG(1, 1))
	a := &Embedding{Features: cluster(rng, 100, 0, 0, 1), Labels: make([]int, 100)}
	pa, err := a.PNG(200, 150)
	require.NoError(t, err)
	data, err := Grid([][]byte{pa, pa}, []string{"baseline", "center loss"}, 2)
	require.NoError(t, err)
	img, tile := decode(t, data), decode(t, pa)
	for _, pt := range []image.Point{image.Pt(50, 40), image.Pt(100, 75), image.Pt(199, 149)} {
		assert.Equal(t, rgbaAt(tile, pt.X, pt.Y), rgbaAt(img, gridGap+pt.X, gridGap+pt.Y))
		assert.Equal(t, rgbaAt(tile, pt.X, pt.Y), rgbaAt(img, 2*gridGap+200+pt.X, gridGap+pt.Y))
	}
}

func TestGridInvalid(t *testing.T) {
	red := color.RGBA{R: 255, A: 255}
	a, b := solidPNG(t, 10, 10, red), solidPNG(t, 10, 11, red)
	for _, tc := range []struct {
		pngs     [][]byte
		captions []string
		cols     int
		want     string
	}{
		{nil, nil, 1, "at least one image"},
		{[][]byte{a}, nil, 0, "cols >= 1"},
		{[][]byte{a, b}, nil, 2, "image 1 is (10,11) pixels but image 0 is (10,10)"},
		{[][]byte{a, []byte("not a png")}, nil, 2, "Grid image 1:"},
		{[][]byte{a, a}, []string{"x"}, 2, "2 images but 1 captions"},
	} {
		_, err := Grid(tc.pngs, tc.captions, tc.cols)
		require.Error(t, err, tc.want)
		assert.Contains(t, err.Error(), tc.want)
		assert.Regexp(t, `^plots: [^\n]*$`, err.Error())
	}
}

// TestGridSample writes /tmp/grid_sample.png when PLOTS_SAMPLE=1: three
// embeddings as in Fig. 3 of the paper, captioned by λ.
func TestGridSample(t *testing.T) {
	if os.Getenv("PLOTS_SAMPLE") != "1" {
		t.Skip("set PLOTS_SAMPLE=1 to write /tmp/grid_sample.png")
	}
	var pngs [][]byte
	var captions []string
	rng := rand.New(rand.NewPCG(2, 3))
	for _, c := range []struct {
		lambda float64
		spread float32
	}{{0, 6}, {0.01, 3}, {0.1, 1}} {
		e := &Embedding{Title: "test features"}
		for k := range 10 {
			a := 2 * math.Pi * float64(k) / 10
			pts := cluster(rng, 300, float32(20*math.Cos(a)), float32(20*math.Sin(a)), c.spread)
			e.Features = append(e.Features, pts...)
			for range pts {
				e.Labels = append(e.Labels, k)
			}
		}
		data, err := e.PNG(360, 360)
		require.NoError(t, err)
		pngs = append(pngs, data)
		captions = append(captions, "λ = "+strconv.FormatFloat(c.lambda, 'g', -1, 64)+"\ntest accuracy 99.0%")
	}
	data, err := Grid(pngs, captions, 3)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile("/tmp/grid_sample.png", data, 0o644))
}

func TestGridWrapsLongCaptions(t *testing.T) {
	// Two 120-pixel tiles with captions several times as wide: each caption stays over its own tile, so the
	// gaps between the tiles stay white all the way down through the caption band.
	const tw, th = 120, 40
	grey := color.RGBA{R: 200, G: 200, B: 200, A: 255}
	pngs := [][]byte{solidPNG(t, tw, th, grey), solidPNG(t, tw, th, grey)}
	captions := []string{
		"softmax + center loss, λ = 0.01, α = 0.5, accuracy 99.12%, kNN 99.05%",
		"contrastive loss, margin 1, 3000 steps\naccuracy 98.70% (nearest center), kNN 98.91%, ratio 0.123",
	}
	data, err := Grid(pngs, captions, 2)
	require.NoError(t, err)
	img := decode(t, data)
	white := color.RGBA{R: 255, G: 255, B: 255, A: 255}
	height := img.Bounds().Dy()
	for i := range 2 {
		x0 := gridGap + i*(tw+gridGap)
		band := image.Rect(x0-gridGap, gridGap+th, x0+tw+gridGap, height)
		ink := inkBox(img, band)
		require.False(t, ink.Empty(), "caption %d drawn", i)
		assert.GreaterOrEqual(t, ink.Min.X, x0, "caption %d starts inside its tile", i)
		assert.LessOrEqual(t, ink.Max.X, x0+tw, "caption %d ends inside its tile", i)
		assert.Greater(t, ink.Dy(), 3*17, "caption %d wrapped onto several lines", i)
		// The gap left of each tile, and right of the last, is white from top to bottom.
		assert.True(t, allEqual(img, image.Rect(x0-gridGap, 0, x0, height), white), "gap left of tile %d", i)
	}
	assert.True(t, allEqual(img, image.Rect(gridGap+2*tw+gridGap, 0, img.Bounds().Dx(), height), white), "right margin")

	// By hand: lines fit the width in the font they are drawn in, and a word wider than any line shrinks the
	// captions, then is broken.
	lines, style := wrapCaptions([]string{"one two three four five six"}, captionStyle(gridCaptionPt).Width("one two three"))
	assert.Equal(t, []string{"one two three\nfour five six"}, lines)
	assert.Equal(t, captionStyle(gridCaptionPt).Font.Size, style.Font.Size)
	narrow := captionStyle(gridCaptionPt).Width("abcdefghij") - 0.01
	lines, style = wrapCaptions([]string{"abcdefghij"}, narrow)
	assert.Equal(t, []string{"abcdefghij"}, lines, "fits once a point smaller")
	assert.Less(t, style.Font.Size, captionStyle(gridCaptionPt).Font.Size)
	lines, style = wrapCaptions([]string{"abcdefghij xy"}, captionStyle(gridCaptionMin).Width("abcde"))
	assert.Equal(t, []string{"abcde\nfghij\nxy"}, lines, "broken between letters at the smallest size")
	assert.Equal(t, captionStyle(gridCaptionMin).Font.Size, style.Font.Size)
}

// TestGridLongCaptionsSample writes /tmp/grid_captions_sample.png when PLOTS_SAMPLE=1: the rivals' captions under
// narrow tiles.
func TestGridLongCaptionsSample(t *testing.T) {
	if os.Getenv("PLOTS_SAMPLE") != "1" {
		t.Skip("set PLOTS_SAMPLE=1 to write /tmp/grid_captions_sample.png")
	}
	rng := rand.New(rand.NewPCG(4, 5))
	e := &Embedding{Title: "test features", Features: cluster(rng, 200, 0, 0, 1), Labels: make([]int, 200)}
	tile, err := e.PNG(260, 260)
	require.NoError(t, err)
	data, err := Grid([][]byte{tile, tile, tile}, []string{
		"softmax + center loss, 3000 steps\naccuracy 99.12% (softmax), kNN 99.05%, ratio 0.123",
		"contrastive, 3000 steps\naccuracy 98.70% (nearest center), kNN 98.91%, ratio 0.201",
		"a_very_long_setting_name_without_spaces_at_all=0.5",
	}, 3)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile("/tmp/grid_captions_sample.png", data, 0o644))
}
