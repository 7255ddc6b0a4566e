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

// myUpdateCenters is the paper's Eq. 4: Δc_j = Σ_{i: y_i=j} (c_j − x_i) / (1 + n_j), c_j ← c_j − α·Δc_j, by
// gather and scatter, as centerloss.UpdateCenters does: each sample i brings the term (c_{y_i} − x_i)/(1 + n_{y_i})
// of its own class, and a scatter adds the terms of each class into its center. A class absent from the batch gets
// no term and stays put; the work is O(batch·dim + batch²), whatever the number of classes.
func myUpdateCenters(x, y, c *graph.Node, alpha float64) *graph.Node {
	x = graph.StopGradient(x)        // Moving the centers must not move the network.
	index := graph.InsertAxes(y, -1) // [batch, 1]: the row of c that holds each sample's center
	// n_{y_i}, the samples of the batch in sample i's class: [batch, 1]
	same := graph.ConvertDType(graph.Equal(graph.InsertAxes(y, 1), graph.InsertAxes(y, 0)), x.DType())
	n := graph.InsertAxes(graph.ReduceSum(same, -1), -1)
	// Each sample's term (c_{y_i} − x_i) / (1 + n_{y_i}): [batch, dim]
	terms := graph.Div(graph.Sub(graph.Gather(c, index), x), graph.OnePlus(n))
	// c_j − α·Σ_{i: y_i=j} terms_i: the scatter adds up the terms of each class in its row of c.
	return graph.ScatterSum(c, index, graph.MulScalar(terms, -alpha), false, false)
}
