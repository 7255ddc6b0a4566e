package notebook

import (
	"math"
	"testing"

	"github.com/centerloss/centerloss/centerloss/data"
)

// TestPixelPCANamesItsAxes: four 2×2 "images" whose first pixel is 0 or 255 and second 0 or 51 (the others 0).
// By hand: the pixels scaled to [0, 1] vary most along pixel 1 (variance 0.25, against 0.01), so the first
// principal component is e₁ and the second e₂, and the centered points are (∓0.5, ∓0.1).
func TestPixelPCANamesItsAxes(t *testing.T) {
	split := data.Split{
		Images: &data.Images{N: 4, Rows: 2, Cols: 2, Pixels: []byte{0, 0, 0, 0, 255, 0, 0, 0, 0, 51, 0, 0, 255, 51, 0, 0}},
		Labels: []uint8{0, 1, 2, 3},
	}
	e, err := pixelPCA(split, 10)
	if err != nil {
		t.Fatal(err)
	}
	if e.XLabel != "principal component 1" || e.YLabel != "principal component 2" {
		t.Errorf("axes %q, %q", e.XLabel, e.YLabel)
	}
	want := [][2]float64{{-0.5, -0.1}, {0.5, -0.1}, {-0.5, 0.1}, {0.5, 0.1}}
	for i, w := range want {
		got := e.Features[i]
		if math.Abs(float64(got[0])-w[0]) > 1e-5 || math.Abs(float64(got[1])-w[1]) > 1e-5 {
			t.Errorf("image %d at %v, want %v", i, got, w)
		}
	}
	if _, err := e.PNG(200, 200); err != nil {
		t.Error(err)
	}
}
