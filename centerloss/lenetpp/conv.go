package lenetpp

import (
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers/regularizer"
	"github.com/gomlx/gomlx/ml/model"
)

// Convolution5x5 is layers.Convolution(scope, x).Channels(channels).KernelSize(5).PadSame().Done() for images x
// [batch, height, width, channels]: the same variables ("conv/weights" [5, 5, in, channels] and "conv/biases"
// [channels] in scope, so checkpoints are interchangeable), the same initialisation and the same convolution.
// Two things differ, both in how XLA's CPU backend is asked to compute the gradient, not in what it computes:
//
//   - the bias reaches the feature map through BroadcastChannels, whose gradient is a product with ones;
//   - the gradient of the kernel is summed over KernelGradientParts parts of the batch, each a convolution of its
//     own (convolveKernelGradientInParts).
func Convolution5x5(scope *model.Scope, x *graph.Node, channels int) *graph.Node {
	regularize := regularizer.FromScope(scope) // as layers.Convolution: read in the layer's scope
	scope = scope.In("conv")
	g, dims := x.Graph(), x.Shape().Dimensions
	kernelVar := scope.VariableWithShape("weights", shapes.Make(x.DType(), 5, 5, dims[3], channels))
	if regularize != nil {
		regularize(g, kernelVar)
	}
	y := convolveKernelGradientInParts(x, kernelVar.NodeValue(g)) // [batch, height, width, channels]
	bias := scope.VariableWithShape("biases", shapes.Make(x.DType(), channels)).NodeValue(g)
	return graph.Add(y, BroadcastChannels(bias, y.Shape().Dimensions[:3]...))
}

// KernelGradientParts is the number of parts of the batch whose kernel gradients Convolution5x5's gradient computes
// apart, then adds. On XLA's CPU backend a kernel gradient is a convolution whose window is the whole feature map
// (28×28 for LeNet++'s first layers), which Eigen computes at half the rate of the forward convolution; four
// quarter-batch ones and their sum are faster than one whole-batch one (docs/speed.md). The sum is the same but
// for rounding.
const KernelGradientParts = 4

// convolveKernelGradientInParts is the 5×5 "same" convolution of x [batch, height, width, in] by kernel
// [5, 5, in, out], whose gradient with respect to the kernel is the sum of GoMLX's own kernel gradients of the
// convolutions of KernelGradientParts slices of the batch. The gradient with respect to x is GoMLX's own.
func convolveKernelGradientInParts(x, kernel *graph.Node) *graph.Node {
	convolve := func(x, kernel *graph.Node) *graph.Node { return graph.Convolve(x, kernel).PadSame().Done() }
	batch := x.Shape().Dimensions[0]
	if batch < KernelGradientParts {
		return convolve(x, kernel)
	}
	// GoMLX's gradient of a convolution, read (never changed) from its table: [∂/∂x, ∂/∂kernel].
	convolutionVJP := graph.VJPRegistration[graph.NodeTypeConvGeneral]
	return withInputGradient(kernel, func(kernel *graph.Node) *graph.Node { return convolve(x, kernel) },
		func(v *graph.Node) *graph.Node { // v: [batch, height, width, out]
			var sum *graph.Node
			for i := range KernelGradientParts {
				part := graph.AxisRange(i*batch/KernelGradientParts, (i+1)*batch/KernelGradientParts)
				yPart := convolve(graph.Slice(x, part), kernel)
				partGradient := convolutionVJP(yPart, []*graph.Node{graph.Slice(v, part)}, yPart.Shape())[1]
				if sum == nil {
					sum = partGradient
				} else {
					sum = graph.Add(sum, partGradient)
				}
			}
			return sum
		})
}
