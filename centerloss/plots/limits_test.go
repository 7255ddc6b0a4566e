package plots

import (
	"math"
	"testing"
)

func TestPercentileRange(t *testing.T) {
	values := make([]float64, 101)
	for i := range values {
		values[100-i] = float64(i) // unsorted on purpose
	}
	if lo, hi := percentileRange(values, 0.5, 99.5); math.Abs(lo-0.5) > 1e-12 || math.Abs(hi-99.5) > 1e-12 {
		t.Errorf("0..100: got %v, %v; want 0.5, 99.5", lo, hi)
	}
	if lo, hi := percentileRange([]float64{3}, 0.5, 99.5); lo != 3 || hi != 3 {
		t.Errorf("one value: got %v, %v", lo, hi)
	}
	if lo, hi := percentileRange([]float64{0, 10}, 0, 100); lo != 0 || hi != 10 {
		t.Errorf("the extremes: got %v, %v", lo, hi)
	}
}

// diagonal returns features (i, i) for i in [from, to], all of class 0.
func diagonal(from, to int) ([][2]float32, []int) {
	var f [][2]float32
	for i := from; i <= to; i++ {
		f = append(f, [2]float32{float32(i), float32(i)})
	}
	return f, make([]int, len(f))
}

func TestFrameLimitsByHand(t *testing.T) {
	// The features of both frames together are 0..100 on each axis: the box of percentiles is [0.5, 99.5]², the
	// center (50, 50) is inside it; squared and widened by 5 % of the span (99) on each side, half-width
	// 99·0.55 = 54.45 around 50.
	f1, l1 := diagonal(0, 50)
	f2, l2 := diagonal(51, 100)
	frames := []Embedding{{Features: f1, Labels: l1}, {Features: f2, Labels: l2, Centers: [][2]float32{{50, 50}}}}
	got := FrameLimits(frames)
	want := Limits{XMin: 50 - 54.45, XMax: 50 + 54.45, YMin: 50 - 54.45, YMax: 50 + 54.45}
	for _, v := range [][2]float64{{got.XMin, want.XMin}, {got.XMax, want.XMax}, {got.YMin, want.YMin}, {got.YMax, want.YMax}} {
		if math.Abs(v[0]-v[1]) > 1e-4 {
			t.Fatalf("got %+v, want %+v", got, want)
		}
	}
	// A center far out is kept in view, whatever the percentiles say.
	frames[1].Centers = [][2]float32{{300, 50}}
	if got := FrameLimits(frames); got.XMax < 300 {
		t.Errorf("center at x=300 out of view: %+v", got)
	}
}

func TestFrameLimitsIgnoreAnOutlier(t *testing.T) {
	f, l := diagonal(0, 999)
	f[500] = [2]float32{1e6, -1e6} // one stray feature among a thousand
	got := FrameLimits([]Embedding{{Features: f, Labels: l}})
	if got.XMax > 1100 || got.YMin < -100 {
		t.Errorf("one outlier stretched the axes: %+v", got)
	}
}

func TestFrameLimitsOfNothing(t *testing.T) {
	if got := FrameLimits(nil); got != (Limits{XMin: -1, XMax: 1, YMin: -1, YMax: 1}) {
		t.Errorf("no frames: %+v", got)
	}
	got := FrameLimits([]Embedding{{Centers: [][2]float32{{0, 0}, {2, 0}}}})
	if got.XMin >= 0 || got.XMax <= 2 {
		t.Errorf("centers only: %+v", got)
	}
}

// TestFrameLimitsKeepAClusterAtTheEdgeWhole: a small class far out (a tenth of the points) keeps all but the
// outermost 0.5 % of its own points in view, where percentiles over all points together would cut off its tip.
func TestFrameLimitsKeepAClusterAtTheEdgeWhole(t *testing.T) {
	var features [][2]float32
	var labels []int
	for i := range 1000 { // class 0 along 0..10
		features, labels = append(features, [2]float32{float32(i) / 100, 0}), append(labels, 0)
	}
	for i := range 101 { // class 1 along 90..100
		features, labels = append(features, [2]float32{90 + float32(i)/10, 0}), append(labels, 1)
	}
	got := FrameLimits([]Embedding{{Features: features, Labels: labels}})
	// Class 1's 99.5th percentile is 99.95: the limits reach past it (made square and widened).
	if got.XMax < 99.95 {
		t.Errorf("x limit %v cuts class 1 (up to 100)", got.XMax)
	}
}
