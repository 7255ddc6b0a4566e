package centerloss

import (
	"testing"

	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

func TestPReLU(t *testing.T) {
	backend := backendForTest(t)
	ctx := context.New()
	// x is [2, 3]: two samples of three channels. The slope starts at 0.25 for every channel.
	x := [][]float32{{-2, 0, 3}, {1, -4, -0.5}}
	exec := context.MustNewExec(backend, ctx, func(ctx *context.Context, x *graph.Node) []*graph.Node {
		y := PReLU(ctx, x)
		slope := ctx.GetVariable("prelu_slope").ValueGraph(x.Graph())
		// d(Σ y)/d slope_c = Σ over the batch of min(x, 0) in channel c.
		return []*graph.Node{y, graph.Gradient(graph.ReduceAllSum(y), slope)[0]}
	})
	outputs := exec.MustExec(x)
	assertClose(t, "prelu", []float32{-0.5, 0, 3, 1, -1, -0.125}, tensors.MustCopyFlatData[float32](outputs[0]), 1e-7)
	assertClose(t, "∂/∂slope", []float32{-2, -4, -0.5}, tensors.MustCopyFlatData[float32](outputs[1]), 1e-7)

	// A learned slope is used as is: set channel 1's slope to −1 (|x| there).
	ctx.GetVariable("prelu_slope").MustSetValue(tensors.FromValue([]float32{0.25, -1, 0}))
	outputs = exec.MustExec(x)
	assertClose(t, "prelu after update", []float32{-0.5, 0, 3, 1, 4, 0}, tensors.MustCopyFlatData[float32](outputs[0]), 1e-7)
}
