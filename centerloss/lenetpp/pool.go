package lenetpp

import (
	"github.com/gomlx/gomlx/core/graph"
)

// MaxPool2x2 is graph.MaxPool(x).Window(2).Done() for images x [batch, height, width, channels]: the largest value of
// each 2×2 window, stride 2, no padding (an odd last row or column is dropped: 7 → 3, as PyTorch's MaxPool2d does).
//
// Its value is the same, and so is its gradient: the whole gradient of a window goes to the first of its largest
// values in row-major window order (0,0), (0,1), (1,0), (1,1), which is what XLA's SelectAndScatter (the gradient
// GoMLX gives a max-pool) does, ties included. (Ties are common here: over MNIST's constant background every
// position of a feature map holds the same value.) What differs is how XLA runs it on CPU: GoMLX's max-pool
// gradient is a SelectAndScatter, which the CPU compiler expands to a reduce-window over the values and four index
// arrays followed by a scatter, several passes over the largest activations of the network; here the forward pass
// is one elementwise loop over four strided views of x, and its gradient (through graph.Where) another one.
//
// For inputs holding NaN the choice within a window may differ (comparisons with NaN are false); training stops on
// a NaN loss anyway.
func MaxPool2x2(x *graph.Node) *graph.Node {
	dims := x.Shape().Dimensions
	batch, height, width, channels := dims[0], dims[1]/2, dims[2]/2, dims[3]
	all := graph.AxisRange()
	if dims[1] != 2*height || dims[2] != 2*width {
		x = graph.Slice(x, all, graph.AxisRange(0, 2*height), graph.AxisRange(0, 2*width), all)
	}
	x = graph.Reshape(x, batch, height, 2, width, 2, channels)
	window := func(row, col int) *graph.Node { // [batch, height, width, channels]: element (row, col) of every window
		v := graph.Slice(x, all, all, graph.AxisElem(row), all, graph.AxisElem(col), all)
		return graph.Reshape(v, batch, height, width, channels)
	}
	a, b, c, d := window(0, 0), window(0, 1), window(1, 0), window(1, 1)
	ge, and := graph.GreaterOrEqual, graph.LogicalAnd
	takeA := and(and(ge(a, b), ge(a, c)), ge(a, d)) // a is a largest value: the first one wins
	takeB := and(ge(b, c), ge(b, d))                // (a is not) b is
	takeC := ge(c, d)                               // (neither a nor b is) c is
	return graph.Where(takeA, a, graph.Where(takeB, b, graph.Where(takeC, c, d)))
}
