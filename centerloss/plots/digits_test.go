package plots

import (
	"compress/gzip"
	"image"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testDigits returns n images of rows x cols with distinct known values:
// pixel (i, j) of image k is 40·k + 3·i + j.
func testDigits(n, rows, cols int) []byte {
	px := make([]byte, 0, n*rows*cols)
	for k := range n {
		for i := range rows {
			for j := range cols {
				px = append(px, byte(40*k+3*i+j))
			}
		}
	}
	return px
}

func grayAt(img image.Image, x, y int) uint8 {
	return color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y
}

// inkBox returns the bounding box of the pixels darker than 128 in r.
func inkBox(img image.Image, r image.Rectangle) image.Rectangle {
	box := image.Rectangle{}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if grayAt(img, x, y) < 128 {
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return box
}

func TestDigitGridLayoutAndPixels(t *testing.T) {
	const rows, cols, n = 4, 3, 3
	const gridRows, gridCols, scale = 2, 2, 5
	// Exactly scale pixels per source pixel, no centering slack.
	width := gridCols*cols*scale + (gridCols+1)*digitGap
	data, err := DigitGrid(testDigits(n, rows, cols), rows, cols, []int{7, 1, 42}, gridRows, gridCols, width)
	require.NoError(t, err)
	img := decode(t, data)

	textScale := 2 // 1 + scale/5: the 13-pixel font doubled for images 5x enlarged
	labelH := 13*textScale + 2*digitLabelPad
	cellH := rows*scale + labelH + digitGap
	require.Equal(t, image.Rect(0, 0, width, digitGap+gridRows*cellH), img.Bounds())

	for k := range gridRows * gridCols {
		x0 := digitGap + (k%gridCols)*(cols*scale+digitGap)
		y0 := digitGap + (k/gridCols)*cellH
		tile := image.Rect(x0, y0, x0+cols*scale, y0+rows*scale)
		band := image.Rect(x0, tile.Max.Y, tile.Max.X, tile.Max.Y+labelH)
		if k >= n { // blank cell
			for y := tile.Min.Y; y < band.Max.Y; y++ {
				for x := tile.Min.X; x < tile.Max.X; x++ {
					require.Equal(t, uint8(255), grayAt(img, x, y), "blank cell %d at (%d, %d)", k, x, y)
				}
			}
			continue
		}
		// Every pixel of the scale x scale block of source pixel (i, j) is its value, unchanged (white on black).
		for y := tile.Min.Y; y < tile.Max.Y; y++ {
			for x := tile.Min.X; x < tile.Max.X; x++ {
				i, j := (y-y0)/scale, (x-x0)/scale
				require.Equal(t, uint8(40*k+3*i+j), grayAt(img, x, y), "image %d pixel (%d, %d) at (%d, %d)", k, i, j, x, y)
			}
		}
		// The gap left of and above the tile is white.
		assert.Equal(t, uint8(255), grayAt(img, x0-1, y0+3), "gap left of image %d", k)
		assert.Equal(t, uint8(255), grayAt(img, x0+3, y0-1), "gap above image %d", k)
		// The label is under its image, roughly centered, as high as the doubled font's digits.
		ink := inkBox(img, image.Rect(band.Min.X-digitGap/2, band.Min.Y, band.Max.X+digitGap/2, band.Max.Y)) // not the (dark) tile
		require.False(t, ink.Empty(), "label of image %d", k)
		assert.InDelta(t, float64(tile.Min.X+tile.Max.X)/2, float64(ink.Min.X+ink.Max.X)/2, float64(textScale*2), "label %d centered", k)
		assert.GreaterOrEqual(t, ink.Min.Y, band.Min.Y, "label %d below its image", k)
		assert.InDelta(t, 9*textScale, ink.Dy(), float64(2*textScale), "label %d height", k)
	}
	// "42" is two digits wide, "1" one.
	wide := inkBox(img, image.Rect(0, digitGap+cellH+rows*scale, width/2, digitGap+2*cellH))
	narrow := inkBox(img, image.Rect(width/2, digitGap+rows*scale, width, digitGap+cellH))
	assert.Greater(t, wide.Dx(), narrow.Dx()+5*textScale)
}

func TestDigitGridCentersAndSkipsLabels(t *testing.T) {
	const rows, cols = 2, 2
	// Width 33: scale (33 − 3·4)/(2·2) = 5, the grid 2·10 + 3·4 = 32 wide, 1 pixel of slack: left margin 4 + 0.
	data, err := DigitGrid(testDigits(2, rows, cols), rows, cols, nil, 1, 2, 33)
	require.NoError(t, err)
	img := decode(t, data)
	assert.Equal(t, image.Rect(0, 0, 33, digitGap+2*5+digitGap), img.Bounds(), "no label band")
	assert.Equal(t, uint8(0), grayAt(img, digitGap, digitGap), "image 0 pixel (0, 0)")
	assert.Equal(t, uint8(40+3+1), grayAt(img, digitGap+10+digitGap+9, digitGap+9), "image 1 pixel (1, 1)")

	// Width 35: still scale 5, 3 pixels of slack, the grid moves right by 1.
	data, err = DigitGrid(testDigits(2, rows, cols), rows, cols, nil, 1, 2, 35)
	require.NoError(t, err)
	img = decode(t, data)
	assert.Equal(t, 35, img.Bounds().Dx())
	assert.Equal(t, uint8(255), grayAt(img, digitGap, digitGap), "slack on the left")
	assert.Equal(t, uint8(0), grayAt(img, digitGap+1, digitGap), "image 0 pixel (0, 0)")
	assert.Equal(t, uint8(1), grayAt(img, digitGap+1+5, digitGap), "image 0 pixel (0, 1)")
}

func TestDigitGridInvalid(t *testing.T) {
	px := testDigits(3, 4, 4)
	for _, tc := range []struct {
		name string
		f    func() ([]byte, error)
		want string
	}{
		{"ragged", func() ([]byte, error) { return DigitGrid(px[:47], 4, 4, nil, 1, 3, 100) }, "47 pixel values, not a whole number of 4x4 images"},
		{"labels", func() ([]byte, error) { return DigitGrid(px, 4, 4, []int{1}, 1, 3, 100) }, "3 images but 1 labels"},
		{"zero grid", func() ([]byte, error) { return DigitGrid(px, 4, 4, nil, 0, 3, 100) }, "at least 1x1"},
		{"zero rows", func() ([]byte, error) { return DigitGrid(px, 0, 4, nil, 1, 3, 100) }, "at least 1x1"},
		{"too narrow", func() ([]byte, error) { return DigitGrid(px, 4, 4, nil, 1, 3, 15) }, "width 15 pixels out of range"},
		{"too wide", func() ([]byte, error) { return DigitGrid(px, 4, 4, nil, 1, 3, 1<<20) }, "out of range"},
		{"too high", func() ([]byte, error) { return DigitGrid(px, 4, 4, nil, 5000, 1, 100) }, "pixels high"},
	} {
		_, err := tc.f()
		require.Error(t, err, tc.name)
		assert.Contains(t, err.Error(), tc.want, tc.name)
		assert.Regexp(t, `^plots: [^\n]*$`, err.Error(), tc.name)
	}
	// No images at all: a blank grid.
	data, err := DigitGrid(nil, 28, 28, nil, 2, 2, 200)
	require.NoError(t, err)
	assert.Equal(t, 200, decode(t, data).Bounds().Dx())
}

// readIDX reads the payload of a gzipped IDX file after its header of
// headerLen bytes.
func readIDX(t *testing.T, path string, headerLen int) []byte {
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	z, err := gzip.NewReader(f)
	require.NoError(t, err)
	data, err := io.ReadAll(z)
	require.NoError(t, err)
	return data[headerLen:]
}

// TestDigitGridSample writes /tmp/digits_sample.png when PLOTS_SAMPLE=1: the
// first 40 test digits of the MNIST IDX files in $PLOTS_MNIST (a directory,
// e.g. GoMNIST's data), or synthetic blocks without it.
func TestDigitGridSample(t *testing.T) {
	if os.Getenv("PLOTS_SAMPLE") != "1" {
		t.Skip("set PLOTS_SAMPLE=1 to write /tmp/digits_sample.png")
	}
	px, labels := testDigits(6, 28, 28), []int{0, 1, 2, 3, 4, 5}
	if dir := os.Getenv("PLOTS_MNIST"); dir != "" {
		px = readIDX(t, filepath.Join(dir, "t10k-images-idx3-ubyte.gz"), 16)[:40*28*28]
		raw := readIDX(t, filepath.Join(dir, "t10k-labels-idx1-ubyte.gz"), 8)[:40]
		labels = labels[:0]
		for _, l := range raw {
			labels = append(labels, int(l))
		}
	}
	data, err := DigitGrid(px, 28, 28, labels, 4, 10, 700)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile("/tmp/digits_sample.png", data, 0o644))
}
