package plots

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"strconv"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// Layout of a digit grid, in pixels.
const (
	digitGap      = 4 // between the cells and around the grid
	digitLabelPad = 2 // above and below a label
)

// DigitGrid draws the first gridRows x gridCols grey images of pixels in a
// grid, row by row, each with its label written under it, into a PNG
// widthPx wide (and as high as the grid needs).
//
//   - pixels: [n, rows, cols] bytes, row-major, 0..255: MNIST's IDX layout,
//     0 the background and 255 full ink.
//   - labels: [n], or nil for no labels.
//
// The images are drawn as MNIST is usually shown (matplotlib's
// imshow(cmap="gray"), the torchvision tutorials): white digits on black, each
// pixel value its brightness, unchanged. That is what the network sees, with
// no inversion to keep in mind, and each image's black square shows its
// 28x28 frame, so how a digit is placed and sized in it reads at a glance.
// The labels are black on the white page between the rows.
//
// Each source pixel becomes a square block of the largest integer size that
// fits widthPx (no blurring interpolation), the grid centered; fewer than
// gridRows x gridCols images leave the last cells blank.
func DigitGrid(pixels []byte, rows, cols int, labels []int, gridRows, gridCols int, widthPx int) ([]byte, error) {
	img, err := digitGrid(pixels, rows, cols, labels, gridRows, gridCols, widthPx)
	if err != nil {
		return nil, err
	}
	return encodePNG(img)
}

func digitGrid(pixels []byte, rows, cols int, labels []int, gridRows, gridCols int, widthPx int) (*image.Gray, error) {
	if rows < 1 || cols < 1 || gridRows < 1 || gridCols < 1 {
		return nil, fmt.Errorf("plots: DigitGrid needs images and a grid of at least 1x1, got %dx%d images in a %dx%d grid", rows, cols, gridRows, gridCols)
	}
	if len(pixels)%(rows*cols) != 0 {
		return nil, fmt.Errorf("plots: DigitGrid got %d pixel values, not a whole number of %dx%d images", len(pixels), rows, cols)
	}
	n := len(pixels) / (rows * cols)
	if labels != nil && len(labels) != n {
		return nil, fmt.Errorf("plots: DigitGrid got %d images but %d labels; give one label per image or nil", n, len(labels))
	}
	scale := (widthPx - (gridCols+1)*digitGap) / (gridCols * cols)
	if widthPx > maxPixels || scale < 1 {
		return nil, fmt.Errorf("plots: DigitGrid width %d pixels out of range for %d columns of %d-pixel images (need %d to %d)",
			widthPx, gridCols, cols, gridCols*cols+(gridCols+1)*digitGap, maxPixels)
	}
	textScale := 1 + scale/5 // basicfont's 13-pixel-high glyphs, enlarged for big images
	labelH := 0
	if labels != nil {
		labelH = basicfont.Face7x13.Height*textScale + 2*digitLabelPad
	}
	tileW, tileH := cols*scale, rows*scale
	cellH := tileH + labelH + digitGap
	height := digitGap + gridRows*cellH
	if height > maxPixels {
		return nil, fmt.Errorf("plots: DigitGrid image would be %d pixels high, more than %d", height, maxPixels)
	}
	left := (widthPx-(gridCols*(tileW+digitGap)+digitGap))/2 + digitGap // x of the first column: the grid centered

	img := image.NewGray(image.Rect(0, 0, widthPx, height))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	for k := range min(n, gridRows*gridCols) {
		x0 := left + (k%gridCols)*(tileW+digitGap)
		y0 := digitGap + (k/gridCols)*cellH
		src := pixels[k*rows*cols : (k+1)*rows*cols]
		for i := range tileH { // image row i/scale, column j/scale
			row := img.Pix[(y0+i)*img.Stride+x0 : (y0+i)*img.Stride+x0+tileW]
			for j := range row {
				row[j] = src[(i/scale)*cols+j/scale]
			}
		}
		if labels != nil {
			drawLabel(img, strconv.Itoa(labels[k]), x0+tileW/2, y0+tileH+digitLabelPad, textScale)
		}
	}
	return img, nil
}

// drawLabel writes text in black with basicfont's 7x13 face, each font pixel
// a scale x scale block, centered on x, its top at y.
func drawLabel(dst *image.Gray, text string, x, y, scale int) {
	face := basicfont.Face7x13
	w := font.MeasureString(face, text).Ceil()
	small := image.NewGray(image.Rect(0, 0, w, face.Height))
	draw.Draw(small, small.Bounds(), image.White, image.Point{}, draw.Src)
	d := font.Drawer{Dst: small, Src: image.Black, Face: face, Dot: fixed.P(0, face.Ascent)}
	d.DrawString(text)
	x0 := x - w*scale/2
	for sy := range face.Height {
		for sx := range w {
			v := small.GrayAt(sx, sy)
			if v.Y == 0xff {
				continue // ink only
			}
			for dy := range scale {
				for dx := range scale {
					dst.SetGray(x0+sx*scale+dx, y+sy*scale+dy, v) // clipped to dst
				}
			}
		}
	}
}

// encodePNG encodes img losslessly.
func encodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("plots: encoding PNG: %w", err)
	}
	return buf.Bytes(), nil
}
