package plots

import (
	"image/color"
)

// tab10 is matplotlib's default categorical palette ("tab10", the Tableau 10
// colours), in matplotlib's order: blue, orange, green, red, purple, brown,
// pink, grey, olive, cyan.
var tab10 = [10]color.RGBA{
	{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}, // tab:blue
	{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff}, // tab:orange
	{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff}, // tab:green
	{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}, // tab:red
	{R: 0x94, G: 0x67, B: 0xbd, A: 0xff}, // tab:purple
	{R: 0x8c, G: 0x56, B: 0x4b, A: 0xff}, // tab:brown
	{R: 0xe3, G: 0x77, B: 0xc2, A: 0xff}, // tab:pink
	{R: 0x7f, G: 0x7f, B: 0x7f, A: 0xff}, // tab:gray
	{R: 0xbc, G: 0xbd, B: 0x22, A: 0xff}, // tab:olive
	{R: 0x17, G: 0xbe, B: 0xcf, A: 0xff}, // tab:cyan
}

// ClassColor returns the fixed colour of class i (the 10-colour "tab10" palette of
// matplotlib, so users of PyTorch tutorials recognise it; wraps around).
// Negative i wraps around as well. The colour is opaque.
func ClassColor(i int) color.Color {
	return classRGBA(i)
}

func classRGBA(i int) color.RGBA {
	n := len(tab10)
	return tab10[((i%n)+n)%n]
}

// translucent returns c (opaque) with the given alpha in [0, 1], as a
// non-premultiplied colour.
func translucent(c color.RGBA, alpha float64) color.NRGBA {
	return color.NRGBA{R: c.R, G: c.G, B: c.B, A: uint8(alpha*255 + 0.5)}
}
