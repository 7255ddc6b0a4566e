package plots

import (
	"bytes"
	"image/color"
	"image/gif"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// spiral returns n features of class label around (x, y), spread on a small deterministic spiral.
func spiral(label, n int, x, y float64) ([][2]float32, []int) {
	f, l := make([][2]float32, n), make([]int, n)
	for i := range f {
		r, a := 0.02*float64(i%10), float64(i)
		f[i] = [2]float32{float32(x + r*math.Cos(a)), float32(y + r*math.Sin(a))}
		l[i] = label
	}
	return f, l
}

func join(f1 [][2]float32, l1 []int, f2 [][2]float32, l2 []int) ([][2]float32, []int) {
	return append(append([][2]float32{}, f1...), f2...), append(append([]int{}, l1...), l2...)
}

// threeFrames: class 0 stays at (0, −1) throughout; class 1 arrives at (4, −1), class 2 at (2, 3).
func threeFrames() []Embedding {
	f0, l0 := spiral(0, 60, 0, -1)
	f1, l1 := spiral(1, 60, 4, -1)
	f2, l2 := spiral(2, 60, 2, 3)
	fa, la := join(f0, l0, f1, l1)
	fb, lb := join(fa, la, f2, l2)
	return []Embedding{
		{Title: "epoch 1", Features: f0, Labels: l0},
		{Title: "epoch 2", Features: fa, Labels: la},
		{Title: "epoch 3", Features: fb, Labels: lb},
	}
}

func TestAnimationGIF(t *testing.T) {
	a := &Animation{Frames: threeFrames(), Width: 300, Height: 300, Delay: 250 * time.Millisecond, Last: 2 * time.Second}
	data, err := a.GIF()
	if err != nil {
		t.Fatal(err)
	}
	g, err := gif.DecodeAll(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Image) != 3 {
		t.Fatalf("%d frames, want 3", len(g.Image))
	}
	for i, img := range g.Image {
		if img.Bounds() != g.Image[0].Bounds() || img.Bounds().Dx() != 300 || img.Bounds().Dy() != 300 {
			t.Errorf("frame %d: bounds %v", i, img.Bounds())
		}
	}
	if g.Config.Width != 300 || g.Config.Height != 300 || g.LoopCount != 0 {
		t.Errorf("config %dx%d, loop count %d; want 300x300 looping forever", g.Config.Width, g.Config.Height, g.LoopCount)
	}
	if want := []int{25, 25, 200}; !equalInts(g.Delay, want) {
		t.Errorf("delays %v, want %v (centiseconds, the last held)", g.Delay, want)
	}
	palette := g.Image[0].Palette
	for i, c := range tab10 {
		if !hasColor(palette, c) {
			t.Errorf("class colour %d (%v) is not in the palette", i, c)
		}
	}
}

// TestAnimationAxesAreFixed: class 0 does not move between frames, so it must be drawn at the same pixels, even
// though the later frames hold more data (per-frame automatic axes would move and shrink it).
func TestAnimationAxesAreFixed(t *testing.T) {
	data, err := (&Animation{Frames: threeFrames(), Width: 600, Height: 600}).GIF()
	if err != nil {
		t.Fatal(err)
	}
	g, err := gif.DecodeAll(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	// Class 0's pixels (any of its palette entries) in the bottom-left quarter, where it is: the data, not the
	// legend (top right).
	centroid := func(i int) (x, y float64, n int) {
		img := g.Image[i]
		b := img.Bounds()
		for py := b.Min.Y + b.Dy()/2; py < b.Max.Y; py++ {
			for px := b.Min.X; px < b.Min.X+b.Dx()/2; px++ {
				if k := int(img.ColorIndexAt(px, py)) - gifGreys; k >= 0 && k < len(gifAlphas) {
					x, y, n = x+float64(px), y+float64(py), n+1
				}
			}
		}
		return x / float64(n), y / float64(n), n
	}
	x0, y0, n0 := centroid(0)
	if n0 < 20 {
		t.Fatalf("class 0 covers %d pixels of frame 0", n0)
	}
	t.Logf("class 0 at (%.1f, %.1f), %d pixels", x0, y0, n0)
	for i := 1; i < 3; i++ {
		if x, y, n := centroid(i); math.Abs(x-x0) > 0.5 || math.Abs(y-y0) > 0.5 || n != n0 {
			t.Errorf("frame %d: class 0 at (%.1f, %.1f), %d pixels; frame 0 had (%.1f, %.1f), %d", i, x, y, n, x0, y0, n0)
		}
	}
}

func TestAnimationErrors(t *testing.T) {
	if _, err := (&Animation{}).GIF(); err == nil || !strings.Contains(err.Error(), "at least one frame") {
		t.Errorf("no frames: %v", err)
	}
	frames := threeFrames()
	frames[1].Labels = frames[1].Labels[:3]
	if _, err := (&Animation{Frames: frames}).GIF(); err == nil || !strings.Contains(err.Error(), "frame 1") {
		t.Errorf("bad frame: %v", err)
	}
}

func TestWriteGIF(t *testing.T) {
	path := filepath.Join(t.TempDir(), "evolution.gif")
	if err := (&Animation{Frames: threeFrames()[:1], Width: 120, Height: 100}).WriteGIF(path); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g, err := gif.DecodeAll(f)
	if err != nil || len(g.Image) != 1 || g.Image[0].Bounds().Dx() != 120 || g.Image[0].Bounds().Dy() != 100 {
		t.Errorf("decoded %v, %v", g, err)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func hasColor(p color.Palette, c color.RGBA) bool {
	for _, q := range p {
		if q == c {
			return true
		}
	}
	return false
}
