package lenetpp

import "github.com/gomlx/gomlx/core/graph"

// withInputGradient returns forward(x), whose gradient with respect to x is gradient(v) instead of what GoMLX
// derives from forward's operations, v being the gradient arriving at forward's output.
//
// It is built from two graph.IdentityWithCustomGradient nodes, one on the output that records v, one on the input
// that returns gradient(v); reverse-mode autodiff reaches the output before the input, so v is known by then. The
// gradient GoMLX derives through forward is still built, but nothing uses it and XLA removes it. Nothing global is
// changed: only the nodes made here carry the custom gradient.
func withInputGradient(x *graph.Node, forward func(x *graph.Node) *graph.Node, gradient func(v *graph.Node) *graph.Node) *graph.Node {
	var v *graph.Node
	input := graph.IdentityWithCustomGradient(x, func(_, _ *graph.Node) *graph.Node {
		if v == nil {
			panic("lenetpp: the gradient reached the input before the output")
		}
		return gradient(v)
	})
	return graph.IdentityWithCustomGradient(forward(input), func(_, vOut *graph.Node) *graph.Node {
		v = vOut
		return vOut
	})
}
