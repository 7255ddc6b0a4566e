package plots

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	imagedraw "image/draw"
	_ "image/png" // image.Decode of PNGs
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Layout of a grid of images.
const (
	gridGap        = 8  // pixels between the tiles and around the grid
	gridCaptionPad = 4  // pixels above and below a caption
	gridCaptionPt  = 13 // caption font size, points (the plots' title size)
	gridCaptionMin = 9  // smallest caption font size, points, that a word too wide for its tile shrinks the captions to
)

// Grid tiles PNG images of equal size, cols per row in the order given, into
// one PNG on white, with each caption centered under its image (e.g. the
// embeddings of several λ settings, as in Fig. 3 of Wen et al., or the
// softmax baseline beside center loss).
//
// captions: [len(pngs)], or nil for none; "\n" starts a new line, and the
// caption band is as high as the tallest caption. Captions are drawn with the
// plots' font, so "λ = 0.01" works. A caption wider than its image is wrapped
// at spaces to the image's width (measured in that font), so neighbouring
// captions never run into each other; a word wider than the image shrinks
// all captions (down to gridCaptionMin points), and is broken if it still
// does not fit. A last row that is not full stays blank on the right.
func Grid(pngs [][]byte, captions []string, cols int) ([]byte, error) {
	if len(pngs) == 0 {
		return nil, fmt.Errorf("plots: Grid needs at least one image")
	}
	if cols < 1 {
		return nil, fmt.Errorf("plots: Grid needs cols >= 1, got %d", cols)
	}
	if captions != nil && len(captions) != len(pngs) {
		return nil, fmt.Errorf("plots: Grid got %d images but %d captions; give one caption per image or nil", len(pngs), len(captions))
	}
	tiles := make([]image.Image, len(pngs))
	for i, data := range pngs {
		img, _, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("plots: Grid image %d: %w", i, err)
		}
		if i > 0 && img.Bounds().Size() != tiles[0].Bounds().Size() {
			return nil, fmt.Errorf("plots: Grid image %d is %v pixels but image 0 is %v; they must have the same size",
				i, img.Bounds().Size(), tiles[0].Bounds().Size())
		}
		tiles[i] = img
	}

	tw, th := tiles[0].Bounds().Dx(), tiles[0].Bounds().Dy()
	style := captionStyle(gridCaptionPt)
	captionH := 0
	if captions != nil {
		captions, style = wrapCaptions(captions, pxToLength(tw-2)) // a pixel of white on each side
		var h vg.Length
		for _, c := range captions {
			h = max(h, style.Height(c))
		}
		captionH = int(math.Ceil(float64(h)*DPI/72)) + 2*gridCaptionPad
	}
	cols = min(cols, len(tiles))
	rows := (len(tiles) + cols - 1) / cols
	cellW, cellH := tw+gridGap, th+captionH+gridGap
	width, height := gridGap+cols*cellW, gridGap+rows*cellH
	if width > maxPixels || height > maxPixels {
		return nil, fmt.Errorf("plots: Grid image would be %dx%d pixels, more than %d on a side", width, height, maxPixels)
	}

	c := newCanvas(width, height) // white; its image is drawn on directly, the captions through gonum's text
	dst := c.Image()
	dc := draw.New(c)
	for i, tile := range tiles {
		x0, y0 := gridGap+(i%cols)*cellW, gridGap+(i/cols)*cellH // top-left, pixels, y down
		b := tile.Bounds()
		imagedraw.Draw(dst, image.Rect(x0, y0, x0+tw, y0+th), tile, b.Min, imagedraw.Over)
		if captions != nil && captions[i] != "" {
			// Points, y up; YTop aligns the caption's top with pt.
			pt := vg.Point{X: pxToLength(x0) + pxToLength(tw)/2, Y: pxToLength(height - (y0 + th + gridCaptionPad))}
			dc.FillText(style, pt, captions[i])
		}
	}
	return encodePNG(dst)
}

func captionStyle(sizePt float64) text.Style {
	return text.Style{
		Color:   color.Black,
		Font:    font.From(plot.DefaultFont, font.Length(sizePt)),
		Handler: textHandler(),
		XAlign:  draw.XCenter,
		YAlign:  draw.YTop,
	}
}

// wrapCaptions returns the captions broken into lines no wider than width, and the style to draw them in: the
// largest size from gridCaptionPt down to gridCaptionMin at which every word fits, else gridCaptionMin with the
// words that do not fit broken between letters.
func wrapCaptions(captions []string, width vg.Length) ([]string, text.Style) {
	var words []string
	for _, c := range captions {
		for _, seg := range segments(c) {
			words = append(words, seg.text)
		}
	}
	style := captionStyle(gridCaptionMin)
	for size := float64(gridCaptionPt); size >= gridCaptionMin; size-- {
		s := captionStyle(size)
		if !slices.ContainsFunc(words, func(w string) bool { return s.Width(w) > width }) {
			style = s
			break
		}
	}
	out := make([]string, len(captions))
	for i, c := range captions {
		var lines []string
		for _, paragraph := range strings.Split(strings.TrimRight(c, "\n"), "\n") { // no blank line at the end
			lines = append(lines, wrapLine(paragraph, style, width)...)
		}
		out[i] = strings.Join(lines, "\n")
	}
	return out, style
}
