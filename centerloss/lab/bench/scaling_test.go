package bench

import (
	"math"
	"math/rand"
	"testing"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/internal/testbackend"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// TestOldUpdateEqualsNew: the formulation of before and UpdateCenters compute the same Eq. 4, on a batch with
// repeated classes, a class seen once and absent classes (which neither moves).
func TestOldUpdateEqualsNew(t *testing.T) {
	backend := testbackend.Get(t)
	const numClasses, dim, alpha = 12, 5, 0.5
	rng := rand.New(rand.NewSource(1))
	labels := []int32{3, 3, 7, 0, 3, 7, 11} // 3 three times, 7 twice, 0 and 11 once; the others absent
	features := tensors.FromFlatDataAndDimensions(normals(rng, len(labels)*dim, 3), len(labels), dim)
	centersFlat := normals(rng, numClasses*dim, 1)
	centers := tensors.FromFlatDataAndDimensions(centersFlat, numClasses, dim)
	outputs := graph.MustExecOnceN(backend, func(x, y, c *graph.Node) []*graph.Node {
		return []*graph.Node{UpdateCentersOneHot(x, y, c, alpha), centerloss.UpdateCenters(x, y, c, alpha)}
	}, features, labels, centers)
	old, updated := tensors.MustCopyFlatData[float32](outputs[0]), tensors.MustCopyFlatData[float32](outputs[1])
	testbackend.AssertClose(t, "old vs new", old, updated, 1e-5)
	if d := maxAbsDiff(old, centersFlat); d == 0 {
		t.Fatal("the update moved no center")
	}
	for _, j := range []int{1, 2, 4, 5, 6, 8, 9, 10} {
		testbackend.AssertClose(t, "absent class (old)", centersFlat[j*dim:(j+1)*dim], old[j*dim:(j+1)*dim], 0)
	}
}

func TestMedianAndPairedRatio(t *testing.T) {
	if m := Median([]float64{5, 1, 3}); m != 3 {
		t.Errorf("Median odd = %v", m)
	}
	if m := Median([]float64{4, 1, 3, 2}); m != 2.5 {
		t.Errorf("Median even = %v", m)
	}
	if !math.IsNaN(Median(nil)) {
		t.Error("Median of nothing is not NaN")
	}
	// Ratios 2, 4, 10: the paired Median is 4, not Median(a)/Median(b) = 8/2.
	if r := PairedRatio([]float64{2, 8, 30}, []float64{1, 2, 3}); r != 4 {
		t.Errorf("paired ratio = %v, want 4", r)
	}
}
