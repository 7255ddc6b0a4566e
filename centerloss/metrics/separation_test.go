package metrics

import (
	"math"
	"testing"
)

func TestInterClassSeparationByHand(t *testing.T) {
	// Pairs: (0,1) at 5, (0,2) at 1, (1,2) at √18 ≈ 4.24: the closest is (0,2) at 1.
	got, err := InterClassSeparation(pts(0, 0, 3, 4, 0, 1))
	if err != nil || got != (Separation{Distance: 1, A: 0, B: 2}) {
		t.Errorf("got %+v, %v; want 1 between 0 and 2", got, err)
	}
	// Without center 2 (nil, e.g. a held-out class), the closest is (0,1) at 5.
	got, err = InterClassSeparation([][]float32{{0, 0}, {3, 4}, nil})
	if err != nil || got != (Separation{Distance: 5, A: 0, B: 1}) {
		t.Errorf("nil center: got %+v, %v; want 5 between 0 and 1", got, err)
	}
	// Equal gaps: the first pair in order.
	got, err = InterClassSeparation(pts(0, 0, 1, 0, 2, 0))
	if err != nil || got != (Separation{Distance: 1, A: 0, B: 1}) {
		t.Errorf("tie: got %+v, %v; want 1 between 0 and 1", got, err)
	}
	// Coinciding centers: separation 0, a valid figure (the ratio is what cannot be computed).
	got, err = InterClassSeparation(pts(1, 1, 1, 1))
	if err != nil || got.Distance != 0 {
		t.Errorf("coinciding: got %+v, %v", got, err)
	}
}

func TestInterClassSeparationErrors(t *testing.T) {
	for _, c := range []struct {
		name    string
		centers [][]float32
		says    string
	}{
		{"none", nil, "at least two centers, have 0"},
		{"one class", pts(1, 2), "at least two centers, have 1"},
		{"one left", [][]float32{nil, {1, 2}, nil}, "have 1"},
		{"dimension", [][]float32{{0, 0}, {1}}, "dimension 1, want 2"},
		{"infinite", [][]float32{{0, 0}, {float32(math.Inf(1)), 0}}, "not finite"},
	} {
		_, err := InterClassSeparation(c.centers)
		wantError(t, c.name, err, c.says)
	}
}

func TestIntraInterRatio(t *testing.T) {
	for _, c := range []struct{ spread, separation, want float64 }{{2, 1, 2}, {0.5, 2, 0.25}, {0, 3, 0}} {
		if got, err := IntraInterRatio(c.spread, c.separation); err != nil || got != c.want {
			t.Errorf("%v/%v: got %v, %v; want %v", c.spread, c.separation, got, err, c.want)
		}
	}
	for _, c := range [][2]float64{{1, 0}, {1, -1}, {math.NaN(), 1}, {1, math.Inf(1)}, {-1, 1}} {
		_, err := IntraInterRatio(c[0], c[1])
		wantError(t, "bad ratio", err, "needs a finite spread")
	}
}
