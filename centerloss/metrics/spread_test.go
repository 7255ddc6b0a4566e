package metrics

import (
	"math"
	"testing"
)

// Class 0: (0,0) and (3,4) around center (0,0), at distances 0 and 5; class 1: (1,1) around (1,0), at 1.
// Mean: (0 + 5 + 1)/3 = 2.
func TestIntraClassSpreadByHand(t *testing.T) {
	got, err := IntraClassSpread(pts(0, 0, 3, 4, 1, 1), []int{0, 0, 1}, pts(0, 0, 1, 0))
	if err != nil || !near(got, 2) {
		t.Errorf("got %v, %v; want 2", got, err)
	}
	// One class only, features on its center: spread 0.
	got, err = IntraClassSpread(pts(2, 2, 2, 2), []int{0, 0}, pts(2, 2))
	if err != nil || got != 0 {
		t.Errorf("one class on its center: got %v, %v; want 0", got, err)
	}
	// A class without a center (nil) is fine as long as no feature belongs to it.
	got, err = IntraClassSpread(pts(0, 1), []int{1}, [][]float32{nil, {0, 0}})
	if err != nil || got != 1 {
		t.Errorf("nil center of an absent class: got %v, %v; want 1", got, err)
	}
}

func TestIntraClassSpreadErrors(t *testing.T) {
	centers := pts(0, 0, 1, 0)
	for _, c := range []struct {
		name     string
		features [][]float32
		labels   []int
		centers  [][]float32
		says     string
	}{
		{"empty", nil, nil, centers, "no features"},
		{"lengths", pts(0, 0), []int{0, 1}, centers, "1 features but 2 labels"},
		{"label", pts(0, 0), []int{2}, centers, "label 2 of features 0 is out of range [0, 2)"},
		{"negative label", pts(0, 0), []int{-1}, centers, "out of range"},
		{"dimension", [][]float32{{0, 0, 0}}, []int{0}, centers, "dimension 3, want 2"},
		{"NaN", [][]float32{{float32(math.NaN()), 0}}, []int{0}, centers, "not finite"},
		{"no center", pts(0, 0), []int{0}, [][]float32{nil, {0, 0}}, "class 0, which has no center"},
		{"centers differ", pts(0, 0), []int{0}, [][]float32{{0, 0}, {0}}, "center 1 has dimension 1"},
	} {
		_, err := IntraClassSpread(c.features, c.labels, c.centers)
		wantError(t, c.name, err, c.says)
	}
}
