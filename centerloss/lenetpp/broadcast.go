package lenetpp

import (
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
)

// BroadcastChannels broadcasts per-channel values x [channels] over leading axes: the result is [prefix...,
// channels], as graph.BroadcastPrefix. It is how the convolutions' biases and the PReLU slopes reach their feature
// maps.
//
// Its value is BroadcastPrefix's. Its gradient is the same sum too, Σ over every leading position of the incoming
// gradient, but built as a matrix-vector product with a vector of ones instead of a ReduceSum: XLA's CPU backend
// reduces a [128, 28, 28, 32] tensor over its three leading axes about four times slower than it multiplies it by
// a vector of ones, and LeNet++'s training step takes twelve such sums, one for each bias and each slope. Only the
// summation order differs (floating-point reassociation).
func BroadcastChannels(x *graph.Node, prefix ...int) *graph.Node {
	broadcast := func(x *graph.Node) *graph.Node { return graph.BroadcastPrefix(x, prefix...) }
	if x.Rank() != 1 || len(prefix) == 0 {
		return broadcast(x)
	}
	return withInputGradient(x, broadcast, func(v *graph.Node) *graph.Node { return sumAsDot(v) })
}

// sumAsDot is Σ over the leading axes of v [prefix..., channels] → [channels], as ones[n] · v[n, channels].
func sumAsDot(v *graph.Node) *graph.Node {
	channels := v.Shape().Dimensions[v.Rank()-1]
	n := v.Shape().Size() / channels
	ones := graph.Ones(v.Graph(), shapes.Make(v.DType(), n))
	return graph.DotGeneral(ones, []int{0}, nil, graph.Reshape(v, n, channels), []int{0}, nil)
}
