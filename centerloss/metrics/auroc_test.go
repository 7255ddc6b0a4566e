package metrics

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestAUROCByHand(t *testing.T) {
	for _, c := range []struct {
		name     string
		pos, neg []float64
		want     float64
	}{
		{"perfect", []float64{3, 4}, []float64{1, 2}, 1},
		{"reversed", []float64{1, 2}, []float64{3, 4}, 0},
		{"all equal", []float64{7, 7, 7}, []float64{7, 7}, 0.5},
		// 0.8 beats all three negatives: 3; 0.4 beats 0.1 (1), ties 0.4 (½), loses to 0.5: 1.5. (3 + 1.5)/6.
		{"by hand", []float64{0.8, 0.4}, []float64{0.5, 0.4, 0.1}, 0.75},
		{"one each, tied", []float64{1}, []float64{1}, 0.5},
	} {
		if got, err := AUROC(c.pos, c.neg); err != nil || !near(got, c.want) {
			t.Errorf("%s: got %v, %v; want %v", c.name, got, err, c.want)
		}
	}
}

// TestAUROCMatchesPairCounting checks the rank formula against counting all pairs, on scores with many ties.
func TestAUROCMatchesPairCounting(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 50 {
		pos := make([]float64, 1+rng.IntN(30))
		neg := make([]float64, 1+rng.IntN(30))
		for i := range pos {
			pos[i] = float64(rng.IntN(6)) + 0.5 // shifted up a little: AUROC above ½ on average
		}
		for i := range neg {
			neg[i] = float64(rng.IntN(6))
		}
		var wins float64
		for _, p := range pos {
			for _, n := range neg {
				switch {
				case p > n:
					wins++
				case p == n:
					wins += 0.5
				}
			}
		}
		want := wins / float64(len(pos)*len(neg))
		if got, err := AUROC(pos, neg); err != nil || !near(got, want) {
			t.Fatalf("trial %d: got %v, %v; want %v", trial, got, err, want)
		}
	}
}

func TestAUROCErrors(t *testing.T) {
	_, err := AUROC(nil, []float64{1})
	wantError(t, "no positives", err, "have 0 and 1")
	_, err = AUROC([]float64{1}, []float64{})
	wantError(t, "no negatives", err, "have 1 and 0")
	_, err = AUROC([]float64{1}, []float64{math.NaN()})
	wantError(t, "NaN", err, "score 0 of the negatives is not finite")
	_, err = AUROC([]float64{math.Inf(-1)}, []float64{1})
	wantError(t, "Inf", err, "score 0 of the positives is not finite")
}
