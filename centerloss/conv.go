package centerloss

import (
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/layers/regularizers"
)

// Convolution5x5 is layers.Convolution(ctx, x).Channels(channels).KernelSize(5).PadSame().Done() for images x
// [batch, height, width, channels]: the same variables ("conv/weights" [5, 5, in, channels] and "conv/biases"
// [channels] in ctx's scope, so checkpoints are interchangeable), the same initialisation and the same convolution.
// Only the bias reaches the feature map through BroadcastChannels, whose gradient XLA computes faster on CPU.
func Convolution5x5(ctx *context.Context, x *graph.Node, channels int) *graph.Node {
	regularizer := regularizers.FromContext(ctx) // as layers.Convolution: read in the layer's scope
	ctx = ctx.In("conv")
	dims := x.Shape().Dimensions
	kernelVar := ctx.VariableWithShape("weights", shapes.Make(x.DType(), 5, 5, dims[3], channels))
	if regularizer != nil {
		regularizer(ctx, x.Graph(), kernelVar)
	}
	y := graph.Convolve(x, kernelVar.ValueGraph(x.Graph())).PadSame().Done()
	bias := ctx.VariableWithShape("biases", shapes.Make(x.DType(), channels)).ValueGraph(x.Graph())
	return graph.Add(y, BroadcastChannels(bias, y.Shape().Dimensions[:3]...))
}
