package metrics

import (
	"math"
	"testing"
)

func TestOpenSetScoresByHand(t *testing.T) {
	// Centers (0,0) and (10,0); class 2 is held out (nil). (3,4) is 5 from (0,0); (10,1) is 1 from (10,0);
	// (5,0) is 5 from both.
	got, err := OpenSetScores(pts(3, 4, 10, 1, 5, 0), [][]float32{{0, 0}, {10, 0}, nil})
	want := []float64{5, 1, 5}
	if err != nil || len(got) != 3 {
		t.Fatalf("got %v, %v", got, err)
	}
	for i := range want {
		if !near(got[i], want[i]) {
			t.Errorf("score %d: %v, want %v", i, got[i], want[i])
		}
	}
	// The held-out class's center is skipped: (0,1) scores its distance to (10,0), √101, not 1 to the origin.
	got, err = OpenSetScores(pts(0, 1), [][]float32{nil, {10, 0}})
	if err != nil || !near(got[0], math.Sqrt(101)) {
		t.Errorf("nil center: got %v, %v; want √101", got, err)
	}
}

func TestOpenSetAUROCByHand(t *testing.T) {
	centers := [][]float32{{0, 0}, {10, 0}, nil} // class 2 unseen
	// Known: (0,1) scores 1, (10,2) scores 2. Unseen: (5,0) scores 5, (0,3) scores 3. All unseen farther: 1.
	features, labels := pts(0, 1, 10, 2, 5, 0, 0, 3), []int{0, 1, 2, 2}
	if got, err := OpenSetAUROC(features, labels, centers, 2); err != nil || got != 1 {
		t.Errorf("separable: got %v, %v; want 1", got, err)
	}
	// A known (0,4) scoring 4: 5 beats 1, 2, 4 (3); 3 beats 1, 2 but not 4 (2): 5/6.
	features, labels = append(features, []float32{0, 4}), append(labels, 0)
	if got, err := OpenSetAUROC(features, labels, centers, 2); err != nil || !near(got, 5.0/6) {
		t.Errorf("one overlap: got %v, %v; want 5/6", got, err)
	}
}

func TestOpenSetErrors(t *testing.T) {
	_, err := OpenSetScores(pts(0, 0), [][]float32{nil, nil})
	wantError(t, "no centers", err, "at least one center")
	_, err = OpenSetScores(nil, pts(0, 0))
	wantError(t, "no features", err, "no features")
	_, err = OpenSetScores([][]float32{{0, 0, 0}}, pts(0, 0))
	wantError(t, "dimension", err, "dimension 3, want 2")
	_, err = OpenSetAUROC(pts(0, 0), []int{0}, [][]float32{{0, 0}, nil}, 1)
	wantError(t, "no unknowns", err, "no feature of the unknown class 1")
	_, err = OpenSetAUROC(pts(0, 0), []int{1}, [][]float32{{0, 0}, nil}, 1)
	wantError(t, "no knowns", err, "have 1 and 0")
	_, err = OpenSetAUROC(pts(0, 0), []int{1, 0}, [][]float32{{0, 0}, nil}, 1)
	wantError(t, "lengths", err, "1 features but 2 labels")
}
