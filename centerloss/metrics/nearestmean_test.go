package metrics

import "testing"

func TestClassMeansAndNearestMeanByHand(t *testing.T) {
	// Class 0 around (0,0), class 2 around (4,0); class 1 has no feature.
	features := pts(-1, 0, 1, 0, 3, 1, 5, -1)
	labels := []int{0, 0, 2, 2}
	means, err := ClassMeans(features, labels, 3)
	if err != nil {
		t.Fatal(err)
	}
	if means[1] != nil || means[0][0] != 0 || means[0][1] != 0 || means[2][0] != 4 || means[2][1] != 0 {
		t.Fatalf("means %v, want [(0,0) nil (4,0)]", means)
	}
	// (1.9, 0) is nearer (0,0): right for class 0; (2.1, 0) labelled 0 is nearer (4,0): wrong. 3 of 4 right.
	acc, err := NearestMeanAccuracy(pts(1.9, 0, 2.1, 0, 3, 3, -2, 1), []int{0, 0, 2, 0}, means)
	if err != nil || !near(acc, 0.75) {
		t.Errorf("accuracy %v (%v), want 0.75", acc, err)
	}
}

func TestNearestMeanErrors(t *testing.T) {
	_, err := NearestMeanAccuracy(pts(0, 0), []int{0}, [][]float32{nil})
	wantError(t, "no centers", err, "at least one center")
	_, err = ClassMeans(pts(0, 0), []int{3}, 2)
	wantError(t, "label out of range", err, "out of range")
}
