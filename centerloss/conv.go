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
// Two things differ, both in how XLA's CPU backend is asked to compute the gradient, not in what it computes:
//
//   - the bias reaches the feature map through BroadcastChannels, whose gradient is a product with ones;
//   - the gradient of the kernel is summed over KernelGradientParts parts of the batch, each a convolution of its
//     own (see kernelGradientInParts).
func Convolution5x5(ctx *context.Context, x *graph.Node, channels int) *graph.Node {
	regularizer := regularizers.FromContext(ctx) // as layers.Convolution: read in the layer's scope
	ctx = ctx.In("conv")
	dims := x.Shape().Dimensions
	kernelVar := ctx.VariableWithShape("weights", shapes.Make(x.DType(), 5, 5, dims[3], channels))
	if regularizer != nil {
		regularizer(ctx, x.Graph(), kernelVar)
	}
	y := graph.Convolve(x, kernelVar.ValueGraph(x.Graph())).PadSame().Done()
	kernelGradientInParts.mark(y)
	bias := ctx.VariableWithShape("biases", shapes.Make(x.DType(), channels)).ValueGraph(x.Graph())
	return graph.Add(y, BroadcastChannels(bias, y.Shape().Dimensions[:3]...))
}

// KernelGradientParts is the number of parts of the batch whose kernel gradients Convolution5x5's gradient computes
// apart, then adds. On XLA's CPU backend a kernel gradient is a convolution whose window is the whole feature map
// (28×28 for LeNet++'s first layers), which Eigen computes at half the rate of the forward convolution; four
// quarter-batch ones and their sum took 0.93× the time of the whole step's single ones in a paired comparison on
// the 2-core development machine (two, 0.99×; eight, no better than four). The sum is the same but for rounding.
const KernelGradientParts = 4

// kernelGradientInParts holds the convolutions made by Convolution5x5.
var kernelGradientInParts nodeSet

func init() {
	// GoMLX looks the gradient of each node type up in graph.VJPRegistration (which it documents may be changed);
	// other convolutions keep GoMLX's own gradient.
	original := graph.VJPRegistration[graph.NodeTypeConvGeneral]
	graph.VJPRegistration[graph.NodeTypeConvGeneral] = func(node *graph.Node, v []*graph.Node, outputShape shapes.Shape) []*graph.Node {
		grads := original(node, v, outputShape) // [∂/∂x, ∂/∂kernel]
		x, kernel := node.Inputs()[0], node.Inputs()[1]
		batch := x.Shape().Dimensions[0]
		if !kernelGradientInParts.has(node) || batch < KernelGradientParts {
			return grads
		}
		// The kernel gradient of each part is GoMLX's own, for the same convolution of that part of the batch; the
		// whole-batch one in grads[1] is then unused, and XLA drops it (as it does the parts' forward convolutions).
		var kernelGrad *graph.Node
		for i := range KernelGradientParts {
			part := graph.AxisRange(i*batch/KernelGradientParts, (i+1)*batch/KernelGradientParts)
			yPart := graph.Convolve(graph.Slice(x, part), kernel).PadSame().Done()
			g := original(yPart, []*graph.Node{graph.Slice(v[0], part)}, outputShape)[1]
			if kernelGrad == nil {
				kernelGrad = g
			} else {
				kernelGrad = graph.Add(kernelGrad, g)
			}
		}
		return []*graph.Node{grads[0], kernelGrad}
	}
}
