package lenetpp

import (
	"math/rand"
	"testing"

	"github.com/centerloss/centerloss/centerloss/internal/testbackend"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// TestMaxPool2x2MatchesMaxPool checks that MaxPool2x2 gives exactly GoMLX's max-pool and exactly its gradient
// (SelectAndScatter's: a window's gradient goes to its first largest value), on feature maps full of ties and of
// the sizes LeNet++ pools (28, 14 and the odd 7).
func TestMaxPool2x2MatchesMaxPool(t *testing.T) {
	backend := testbackend.Get(t)
	rng := rand.New(rand.NewSource(3))
	for _, side := range []int{28, 14, 7, 5} {
		dims := []int{3, side, side, 4}
		x := make([]float32, 3*side*side*4)
		for i := range x {
			x[i] = float32(rng.Intn(4) - 1) // few values: many windows hold two, three or four equal largest values
			if rng.Intn(8) == 0 {
				x[i] = rng.Float32()
			}
		}
		weights := make([]float32, 3*(side/2)*(side/2)*4) // a different upstream gradient for every output
		for i := range weights {
			weights[i] = rng.Float32() + 0.5
		}
		run := func(pool func(*graph.Node) *graph.Node) (values, grads []float32) {
			exec := graph.MustNewExec(backend, func(x, w *graph.Node) []*graph.Node {
				y := pool(x)
				return []*graph.Node{y, graph.Gradient(graph.ReduceAllSum(graph.Mul(y, w)), x)[0]}
			})
			outs := exec.MustExec(tensors.FromFlatDataAndDimensions(x, dims...),
				tensors.FromFlatDataAndDimensions(weights, 3, side/2, side/2, 4))
			return tensors.MustCopyFlatData[float32](outs[0]), tensors.MustCopyFlatData[float32](outs[1])
		}
		wantValues, wantGrads := run(func(x *graph.Node) *graph.Node { return graph.MaxPool(x).Window(2).Done() })
		gotValues, gotGrads := run(MaxPool2x2)
		testbackend.AssertClose(t, "max-pool values", wantValues, gotValues, 0)
		testbackend.AssertClose(t, "max-pool gradient", wantGrads, gotGrads, 0)
	}
}
