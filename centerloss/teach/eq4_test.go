package teach

import (
	"math"
	"testing"
)

// TestCenterStepHandWorked: c = (0, 0), x = (1, 0), (3, 0), (2, 3), α = 0.5: Σ (c − x_i) = (−6, −3),
// Δc = (−6, −3)/4 = (−1.5, −0.75), c − α·Δc = (0.75, 0.375). A class not in the batch keeps its center.
func TestCenterStepHandWorked(t *testing.T) {
	sum, delta, next := CenterStep([]float64{0, 0}, [][]float64{{1, 0}, {3, 0}, {2, 3}}, 0.5)
	for _, c := range []struct {
		name      string
		got, want []float64
	}{
		{"sum", sum, []float64{-6, -3}}, {"delta", delta, []float64{-1.5, -0.75}}, {"next", next, []float64{0.75, 0.375}},
	} {
		for d := range c.want {
			if math.Abs(c.got[d]-c.want[d]) > 1e-12 {
				t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
				break
			}
		}
	}
	if _, _, next := CenterStep([]float64{3, 4}, nil, 0.5); next[0] != 3 || next[1] != 4 {
		t.Errorf("absent class: center moved to %v", next)
	}
}
