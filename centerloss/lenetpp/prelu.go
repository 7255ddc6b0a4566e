package lenetpp

import (
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// PReLUInitialSlope is the initial negative slope a of He et al. (2015), the value LeNet++ starts from.
const PReLUInitialSlope = 0.25

// PReLU is the parametric ReLU of He et al. (2015): f(x) = x for x > 0 and a·x otherwise, with one learned slope a
// per channel (the last axis of x). GoMLX has no PReLU, so the slope is a trainable variable named "prelu_slope"
// in scope, of shape [channels].
func PReLU(scope *model.Scope, x *graph.Node) *graph.Node {
	channels := x.Shape().Dimensions[x.Rank()-1]
	initialSlope := func(g *graph.Graph, shape shapes.Shape) *graph.Node {
		return graph.BroadcastToShape(graph.Scalar(g, shape.DType, PReLUInitialSlope), shape)
	}
	slopeVar := scope.WithInitializer(initialSlope).VariableWithShape("prelu_slope", shapes.Make(x.DType(), channels))
	// [channels], broadcast over the leading axes by BroadcastChannels (its gradient is faster on XLA's CPU).
	slope := BroadcastChannels(slopeVar.NodeValue(x.Graph()), x.Shape().Dimensions[:x.Rank()-1]...)
	return graph.Where(graph.GreaterThan(x, graph.ZerosLike(x)), x, graph.Mul(x, slope))
}
