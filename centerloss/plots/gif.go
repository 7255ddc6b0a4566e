package plots

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"time"

	"github.com/centerloss/centerloss/centerloss/internal/atomicfile"
)

// GIF frames: how long each frame shows, and the last one longer, so that the final embedding can be read
// before the loop starts over.
const (
	GIFFrameDelay = 600 * time.Millisecond
	GIFLastDelay  = 3 * time.Second
)

// Animation is the evolution of an embedding through training, one scatter plot per snapshot, on FrameLimits.
// The frames' own Limits are ignored.
type Animation struct {
	Frames        []Embedding
	Delay, Last   time.Duration // 0: GIFFrameDelay and GIFLastDelay
	Width, Height int           // pixels; 0: 600 × 600
}

// GIF renders the frames and encodes them as a looping animated GIF.
func (a *Animation) GIF() ([]byte, error) {
	if len(a.Frames) == 0 {
		return nil, fmt.Errorf("plots: an animation needs at least one frame")
	}
	width, height := a.Width, a.Height
	if width == 0 && height == 0 {
		width, height = 600, 600
	}
	delay, last := orDefault(a.Delay, GIFFrameDelay), orDefault(a.Last, GIFLastDelay)
	limits := FrameLimits(a.Frames)
	palette := GIFPalette()
	anim := &gif.GIF{Config: image.Config{ColorModel: palette, Width: width, Height: height}}
	quantize := newQuantizer(palette)
	for i, frame := range a.Frames {
		frame.Limits = &limits
		c, err := frame.render(width, height)
		if err != nil {
			return nil, fmt.Errorf("plots: frame %d: %w", i, err)
		}
		anim.Image = append(anim.Image, quantize.paletted(c.Image()))
		anim.Delay = append(anim.Delay, centiseconds(delay))
	}
	anim.Delay[len(anim.Delay)-1] = centiseconds(last)
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, anim); err != nil {
		return nil, fmt.Errorf("plots: encoding GIF: %w", err)
	}
	return buf.Bytes(), nil
}

// WriteGIF writes the GIF to path atomically (see WritePNG).
func (a *Animation) WriteGIF(path string) error {
	data, err := a.GIF()
	if err != nil {
		return err
	}
	if err := atomicfile.Write(path, data, 0o644); err != nil {
		return fmt.Errorf("plots: writing %s: %w", path, err)
	}
	return nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// centiseconds is d in the GIF's unit of delay, at least 2: browsers show shorter delays as 100 ms.
func centiseconds(d time.Duration) int {
	return max(2, int((d+5*time.Millisecond)/(10*time.Millisecond)))
}

// gifAlphas are the opacities over white at which each class colour enters the palette: 1 for the centers and
// the legend, 0.5 for a lone translucent feature (pointAlpha), 0.75 where two of them overlap, and lighter ones
// for anti-aliased edges.
var gifAlphas = []float64{1, 0.75, 0.5, 0.35, 0.2, 0.1}

// gifGreys is the number of grey levels from black to white: text, axes, grid and edges.
const gifGreys = 32

// GIFPalette is the GIF's palette: the ten class colours (tab10, those of the scatter) at full strength and
// blended with the white background at gifAlphas, and a ramp of greys from black to white. It is fixed, not fitted
// to each frame, so that a class keeps exactly its colour from frame to frame.
func GIFPalette() color.Palette {
	var p color.Palette
	for i := range gifGreys {
		y := uint8(i * 255 / (gifGreys - 1))
		p = append(p, color.RGBA{R: y, G: y, B: y, A: 0xff})
	}
	for _, c := range tab10 {
		for _, a := range gifAlphas {
			blend := func(v uint8) uint8 { return uint8(a*float64(v) + (1-a)*255 + 0.5) }
			p = append(p, color.RGBA{R: blend(c.R), G: blend(c.G), B: blend(c.B), A: 0xff})
		}
	}
	return p
}

// quantizer maps rendered pixels to the nearest palette colour, without dithering (dither noise would crawl from
// frame to frame and bloat the file), remembering each colour it has mapped: a frame has few distinct colours.
type quantizer struct {
	palette color.Palette
	index   map[color.RGBA]uint8
}

func newQuantizer(p color.Palette) *quantizer {
	return &quantizer{palette: p, index: map[color.RGBA]uint8{}}
}

func (q *quantizer) paletted(img image.Image) *image.Paletted {
	b := img.Bounds()
	out := image.NewPaletted(image.Rect(0, 0, b.Dx(), b.Dy()), q.palette)
	rgba, _ := img.(*image.RGBA) // what vgimg renders to: read its bytes, not one interface call per pixel
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			var c color.RGBA
			if rgba != nil {
				o := rgba.PixOffset(x, y)
				c = color.RGBA{R: rgba.Pix[o], G: rgba.Pix[o+1], B: rgba.Pix[o+2], A: rgba.Pix[o+3]}
			} else {
				c = color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			}
			i, ok := q.index[c]
			if !ok {
				i = uint8(q.palette.Index(c))
				q.index[c] = i
			}
			out.Pix[(y-b.Min.Y)*out.Stride+(x-b.Min.X)] = i
		}
	}
	return out
}
