package centerloss

import (
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// PReLUInitialSlope is the initial negative slope a of He et al. (2015), the value LeNet++ starts from.
const PReLUInitialSlope = 0.25

// PReLU is the parametric ReLU of He et al. (2015): f(x) = x for x > 0 and a·x otherwise, with one learned slope a
// per channel (the last axis of x). GoMLX has no PReLU, so the slope is a trainable variable named "prelu_slope"
// in ctx's scope, of shape [channels].
func PReLU(ctx *context.Context, x *graph.Node) *graph.Node {
	channels := x.Shape().Dimensions[x.Rank()-1]
	initialSlope := func(g *graph.Graph, shape shapes.Shape) *graph.Node {
		return graph.BroadcastToShape(graph.Scalar(g, shape.DType, PReLUInitialSlope), shape)
	}
	slopeVar := ctx.WithInitializer(initialSlope).VariableWithShape("prelu_slope", shapes.Make(x.DType(), channels))
	// [channels], broadcast over the leading axes (BroadcastChannels: the slope's gradient, a sum over them, is
	// faster on XLA's CPU backend than GoMLX's implicit broadcasting gives).
	slope := BroadcastChannels(slopeVar.ValueGraph(x.Graph()), x.Shape().Dimensions[:x.Rank()-1]...)
	return graph.Where(graph.GreaterThan(x, graph.ZerosLike(x)), x, graph.Mul(x, slope))
}
