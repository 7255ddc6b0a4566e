package notebook

import (
	"bytes"
	"image/png"
	"math"
	"os"
	"slices"
	"testing"
)

// TestLossCurves: two panels (wider than high), the starting point without losses (NaN) left out.
func TestLossCurves(t *testing.T) {
	nan := math.NaN()
	h := &History{
		Steps:       []float64{0, 100, 200, 300},
		SoftmaxLoss: []float64{nan, 2.1, 0.9, 0.4},
		CenterLoss:  []float64{nan, 0.02, 0.015, 0.011},
	}
	data, err := h.LossCurves()
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() < 2*b.Dy() {
		t.Errorf("%v: want two panels side by side", b)
	}
	s := finitePoints(h.Steps, h.SoftmaxLoss)
	if !slices.Equal(s.X, []float64{100, 200, 300}) || !slices.Equal(s.Y, []float64{2.1, 0.9, 0.4}) {
		t.Errorf("finite points %v", s)
	}
	if _, err := (&History{Steps: []float64{0}, SoftmaxLoss: []float64{nan}, CenterLoss: []float64{nan}}).LossCurves(); err == nil {
		t.Error("no error without losses")
	}
	if os.Getenv("PLOTS_SAMPLE") == "1" {
		if err := os.WriteFile("/tmp/loss_curves_sample.png", data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
