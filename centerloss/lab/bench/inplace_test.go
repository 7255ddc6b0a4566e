package bench

import (
	"testing"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/internal/testbackend"
	"github.com/centerloss/centerloss/centerloss/xlabackend"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// TestUpdateCentersInPlaceWhenDonated: given its centers donated (as GoMLX donates a variable it updates), the
// compiled update writes the new centers into the very buffer of the old ones, so a step costs O(batch·dim) and
// not a fresh K×dim buffer (third_party/go-xla.patch, which this module builds against and the library's does not). Centers that are not donated stay as they were.
func TestUpdateCentersInPlaceWhenDonated(t *testing.T) {
	backend := testbackend.Get(t)
	const numClasses, dim = 1000, 8
	centersFlat := make([]float32, numClasses*dim)
	for i := range centersFlat {
		centersFlat[i] = float32(i % 7)
	}
	features := tensors.FromFlatDataAndDimensions([]float32{1, 2, 3, 4, 5, 6, 7, 8, 8, 7, 6, 5, 4, 3, 2, 1}, 2, dim)
	labels := tensors.FromFlatDataAndDimensions([]int32{3, 999}, 2)
	update := graph.MustNewExec(backend, func(x, y, c *graph.Node) *graph.Node { return centerloss.UpdateCenters(x, y, c, 0.5) })

	kept := tensors.FromFlatDataAndDimensions(centersFlat, numClasses, dim)
	keptBefore := bufferAddress(t, backend, kept)
	fresh := update.MustCall(features, labels, kept)[0]
	if got := tensors.MustCopyFlatData[float32](kept); got[3*dim] != centersFlat[3*dim] {
		t.Fatalf("centers not donated were changed: row 3 starts with %v, want %v", got[3*dim], centersFlat[3*dim])
	}
	if bufferAddress(t, backend, fresh) == keptBefore {
		t.Fatal("the update wrote into centers that were not donated")
	}

	before := bufferAddress(t, backend, fresh)
	donated, err := graph.DonateTensorBuffer(fresh, backend, 0)
	if err != nil {
		t.Fatal(err)
	}
	after := update.MustCall(features, labels, donated)[0]
	if got := bufferAddress(t, backend, after); got != before {
		t.Errorf("donated centers at %#x, the updated ones at %#x: XLA wrote a fresh K×dim buffer instead of "+
			"updating in place (is centerloss/lab/go.mod's replace of github.com/gomlx/go-xla by third_party/go-xla there?)",
			before, got)
	}
	// Row 3 after two steps of α = 0.5 on one sample each (n = 1): c ← c − 0.5·(c − x)/2, twice.
	x, c := float32(1), centersFlat[3*dim]
	for range 2 {
		c -= 0.5 * (c - x) / 2
	}
	if got := tensors.MustCopyFlatData[float32](after)[3*dim]; got != c {
		t.Errorf("row 3 after two in-place steps starts with %v, want %v", got, c)
	}
}

// bufferAddress is where the tensor's data lies on the CPU device; the test is skipped where the backend cannot
// say (a GPU).
func bufferAddress(t *testing.T, backend compute.Backend, tensor *tensors.Tensor) uintptr {
	t.Helper()
	address, ok := xlabackend.DataAddress(backend, tensor)
	if !ok {
		t.Skip("the backend does not expose its buffers' memory")
	}
	return address
}
