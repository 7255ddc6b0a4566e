package metricloss

import (
	"math"
	"testing"

	"github.com/centerloss/centerloss/centerloss/internal/testbackend"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// A hand-made batch: class 0 at (0,0) and (3,4), class 1 at (0,0.5) and (0,3).
var (
	pairFeatures = [][]float32{{0, 0}, {3, 4}, {0, 0.5}, {0, 3}}
	pairLabels   = []int32{0, 0, 1, 1}
)

// Pairs (margin 1): positives (0,1) d=5 and (2,3) d=2.5 → mean d² = (25 + 6.25)/2 = 15.625; negatives (0,2) d=0.5,
// (0,3) d=3, (1,2) d=√21.25, (1,3) d=√10 → only (0,2) is inside the margin: mean max(0, 1 − d)² = 0.25/4 = 0.0625.
// L = ½·(15.625 + 0.0625) = 7.84375.
func TestContrastiveLossHandWorked(t *testing.T) {
	backend := testbackend.Get(t)
	got := graph.MustExecOnce(backend, func(x, y *graph.Node) *graph.Node {
		return ContrastiveLoss(x, y, 1.0)
	}, pairFeatures, pairLabels)
	if v := tensors.ToScalar[float32](got); math.Abs(float64(v)-7.84375) > 1e-5 {
		t.Errorf("contrastive loss = %v, want 7.84375", v)
	}
}

// TestContrastiveLossGradientIsFinite: coinciding features of different classes (d = 0) must not give NaN.
func TestContrastiveLossGradientIsFinite(t *testing.T) {
	backend := testbackend.Get(t)
	got := graph.MustExecOnce(backend, func(x, y *graph.Node) *graph.Node {
		return graph.Gradient(ContrastiveLoss(x, y, 1.0), x)[0]
	}, [][]float32{{1, 1}, {1, 1}, {0, 0}}, []int32{0, 1, 1})
	for _, v := range tensors.MustCopyFlatData[float32](got) {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			t.Fatalf("gradient %v", tensors.MustCopyFlatData[float32](got))
		}
	}
}

// The same batch through GoMLX's triplet loss, margin 1. With d01 = 5, d02 = 0.5, d03 = 3, d12 = √21.25,
// d13 = √10, d23 = 2.5, the hinges max(0, d(a,p) − d(a,n) + 1) are, anchor by anchor:
//
//	a=0 (p=1): 5.5 (n=2), 3 (n=3);   a=1 (p=0): 6 − √21.25, 6 − √10;
//	a=2 (p=3): 3 (n=0), 0 (n=1);     a=3 (p=2): 0.5 (n=0), 3.5 − √10.
//
// "all" averages the eight; "hard" takes each anchor's farthest positive and nearest negative:
// (5.5 + (6 − √10) + 3 + 0.5)/4.
func TestTripletLossHandWorked(t *testing.T) {
	backend := testbackend.Get(t)
	r21, r10 := math.Sqrt(21.25), math.Sqrt(10)
	for _, c := range []struct {
		mining string
		want   float64
	}{
		{"all", (5.5 + 3 + (6 - r21) + (6 - r10) + 3 + 0 + 0.5 + (3.5 - r10)) / 8},
		{"hard", (5.5 + (6 - r10) + 3 + 0.5) / 4},
	} {
		scope := model.NewStore().RootScope()
		TripletMining.Set(scope, c.mining)
		Margin.Set(scope, 1.0)
		got := graph.MustExecOnce(backend, func(x, y *graph.Node) *graph.Node {
			return TripletLoss(scope, x, y)
		}, pairFeatures, pairLabels)
		if v := tensors.ToScalar[float32](got); math.Abs(float64(v)-c.want) > 1e-4 {
			t.Errorf("triplet loss (%s) = %v, want %v", c.mining, v, c.want)
		}
	}
}
