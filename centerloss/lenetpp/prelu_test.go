package lenetpp

import (
	"testing"

	"github.com/centerloss/centerloss/centerloss/internal/testbackend"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

func TestPReLU(t *testing.T) {
	backend := testbackend.Get(t)
	store := model.NewStore()
	// x is [2, 3]: two samples of three channels. The slope starts at 0.25 for every channel.
	x := [][]float32{{-2, 0, 3}, {1, -4, -0.5}}
	exec := model.MustNewExec(backend, store, func(scope *model.Scope, x *graph.Node) []*graph.Node {
		y := PReLU(scope, x)
		slope := scope.GetVariable("prelu_slope").NodeValue(x.Graph())
		// d(Σ y)/d slope_c = Σ over the batch of min(x, 0) in channel c.
		return []*graph.Node{y, graph.Gradient(graph.ReduceAllSum(y), slope)[0]}
	})
	outputs := exec.MustCall(x)
	testbackend.AssertClose(t, "prelu", []float32{-0.5, 0, 3, 1, -1, -0.125}, tensors.MustCopyFlatData[float32](outputs[0]), 1e-7)
	testbackend.AssertClose(t, "∂/∂slope", []float32{-2, -4, -0.5}, tensors.MustCopyFlatData[float32](outputs[1]), 1e-7)

	// A learned slope is used as is: set channel 1's slope to −1 (|x| there).
	store.GetVariable("/prelu_slope").MustSetValue(tensors.FromValue([]float32{0.25, -1, 0}))
	outputs = exec.MustCall(x)
	testbackend.AssertClose(t, "prelu after update", []float32{-0.5, 0, 3, 1, 4, 0}, tensors.MustCopyFlatData[float32](outputs[0]), 1e-7)
}
