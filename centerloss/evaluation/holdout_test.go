package evaluation

import (
	"math"
	"testing"
)

func TestKnownCenters(t *testing.T) {
	centers := [][]float32{{1, 1}, {0, 0}, {2, 2}}
	got := knownCenters(centers, 1)
	if got[1] != nil || got[0] == nil || got[2] == nil || centers[1] == nil {
		t.Errorf("knownCenters(…, 1) = %v (input now %v)", got, centers)
	}
	if got := knownCenters(centers, -1); len(got) != 3 || got[1] == nil {
		t.Errorf("no holdout: %v", got)
	}
}

// TestKnownClassAccuracy on hand-made predictions: 5 examples, 2 of the held-out class 9 (never right, not
// counted); of the 3 others 2 are right.
func TestKnownClassAccuracy(t *testing.T) {
	predictions := []int{0, 1, 3, 9, 4}
	labels := []int{0, 1, 2, 9, 9}
	if got := KnownClassAccuracy(predictions, labels, 9); got != 2.0/3 {
		t.Errorf("holdout 9: %v, want 2/3", got)
	}
	if got := KnownClassAccuracy(predictions, labels, -1); got != 3.0/5 {
		t.Errorf("no holdout: %v, want 3/5", got)
	}
	if got := KnownClassAccuracy([]int{9}, []int{9}, 9); !math.IsNaN(got) {
		t.Errorf("only held-out examples: %v, want NaN", got)
	}
}
