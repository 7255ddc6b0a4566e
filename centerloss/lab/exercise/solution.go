package exercise

// The reference solutions of the notebook's exercises, written as a learner would: plain graph ops, nothing of the
// centerloss package. Solution returns each function's text, to be pasted into a GoNB cell that imports
// "github.com/gomlx/gomlx/core/graph": so each function uses only graph ops and builtins, no helper of this file.

import "github.com/gomlx/gomlx/core/graph"

// myCenterLoss is L_C = ½ · mean_i ‖x_i − c_{y_i}‖², with x [batch, dim] features, y [batch] labels and c
// [classes, dim] centers. The centers are behind a StopGradient: the loss trains the network, Eq. 4 moves them.
func myCenterLoss(x, y, c *graph.Node) *graph.Node {
	own := graph.Gather(graph.StopGradient(c), graph.InsertAxes(y, -1)) // [batch, dim]: each sample's center c_{y_i}
	squared := graph.ReduceSum(graph.Square(graph.Sub(x, own)), -1)     // [batch]: ‖x_i − c_{y_i}‖²
	return graph.MulScalar(graph.ReduceAllMean(squared), 0.5)           // scalar: ½ · mean over the batch
}

// myUpdateCenters is the paper's Eq. 4: Δc_j = Σ_{i: y_i=j} (c_j − x_i) / (1 + n_j), c_j ← c_j − α·Δc_j. The sum
// over the samples of class j is n_j·c_j − Σ_{i: y_i=j} x_i, and a one-hot matrix gives both n_j and Σ x_i; a class
// absent from the batch has n_j = 0 and Σ x_i = 0, so Δc_j = 0 and it stays put.
func myUpdateCenters(x, y, c *graph.Node, alpha float64) *graph.Node {
	x = graph.StopGradient(x) // Moving the centers must not move the network.
	classes := c.Shape().Dimensions[0]
	oneHot := graph.OneHot(y, classes, x.DType())                          // [batch, classes]: 1 where y_i = j
	n := graph.InsertAxes(graph.ReduceSum(oneHot, 0), -1)                  // [classes, 1]: n_j
	sums := graph.MatMul(graph.Transpose(oneHot, 0, 1), x)                 // [classes, dim]: Σ_{i: y_i=j} x_i
	delta := graph.Div(graph.Sub(graph.Mul(n, c), sums), graph.OnePlus(n)) // [classes, dim]: Δc_j
	return graph.Sub(c, graph.MulScalar(delta, alpha))
}
