package exercise

import "github.com/gomlx/gomlx/core/graph"

// The learners' likely mistakes, each a named function as in a notebook cell, so that the report names it.

func nilLoss(x, y, c *graph.Node) *graph.Node { return nil }

// squares is ‖x_i − c_{y_i}‖² per coordinate, with the centers stopped or not: [batch, dim].
func squares(x, y, c *graph.Node, stop bool) *graph.Node {
	if stop {
		c = graph.StopGradient(c)
	}
	return graph.Square(graph.Sub(x, graph.Gather(c, graph.InsertAxes(y, -1))))
}

func lossWithoutHalf(x, y, c *graph.Node) *graph.Node {
	return graph.ReduceAllMean(graph.ReduceSum(squares(x, y, c, true), -1))
}

func lossSummed(x, y, c *graph.Node) *graph.Node {
	return graph.MulScalar(graph.ReduceAllSum(squares(x, y, c, true)), 0.5)
}

func lossMeanOverFeatures(x, y, c *graph.Node) *graph.Node {
	return graph.MulScalar(graph.ReduceAllMean(squares(x, y, c, true)), 0.5)
}

func lossPerSample(x, y, c *graph.Node) *graph.Node {
	return graph.MulScalar(graph.ReduceSum(squares(x, y, c, true), -1), 0.5)
}

func lossReachingCenters(x, y, c *graph.Node) *graph.Node {
	return graph.MulScalar(graph.ReduceAllMean(graph.ReduceSum(squares(x, y, c, false), -1)), 0.5)
}

func lossStoppingFeatures(x, y, c *graph.Node) *graph.Node {
	return myCenterLoss(graph.StopGradient(x), y, c)
}

func lossPanics(x, y, c *graph.Node) *graph.Node {
	return myCenterLoss(graph.Reshape(x, 7), y, c)
}

// lossHardCoded2 is right for features of dimension 2 only.
func lossHardCoded2(x, y, c *graph.Node) *graph.Node {
	perSample := graph.Reshape(squares(x, y, c, true), x.Shape().Dimensions[0], 2)
	return graph.MulScalar(graph.ReduceAllMean(graph.ReduceSum(perSample, -1)), 0.5)
}

func nilUpdate(x, y, c *graph.Node, alpha float64) *graph.Node { return nil }

// classSums are n_j [classes, 1] and Σ_{i: y_i=j} x_i [classes, dim], by a one-hot matrix.
func classSums(x, y, c *graph.Node) (n, sums *graph.Node) {
	oneHot := graph.OneHot(y, c.Shape().Dimensions[0], x.DType())
	return graph.InsertAxes(graph.ReduceSum(oneHot, 0), -1), graph.MatMul(graph.Transpose(oneHot, 0, 1), x)
}

func updateByNj(x, y, c *graph.Node, alpha float64) *graph.Node {
	n, sums := classSums(x, y, c)
	delta := graph.Div(graph.Sub(graph.Mul(n, c), sums), graph.MaxScalar(n, 1))
	return graph.Sub(c, graph.MulScalar(delta, alpha))
}

func updateByNjNaN(x, y, c *graph.Node, alpha float64) *graph.Node {
	n, sums := classSums(x, y, c)
	return graph.Sub(c, graph.MulScalar(graph.Div(graph.Sub(graph.Mul(n, c), sums), n), alpha))
}

// updateDenseMean pulls every center towards its class's mean, 0 for an absent class: c_j ← c_j − α(c_j − x̄_j).
func updateDenseMean(x, y, c *graph.Node, alpha float64) *graph.Node {
	n, sums := classSums(x, y, c)
	return graph.Sub(c, graph.MulScalar(graph.Sub(c, graph.Div(sums, graph.MaxScalar(n, 1))), alpha))
}

func updatePlusAlpha(x, y, c *graph.Node, alpha float64) *graph.Node {
	return myUpdateCenters(x, y, c, -alpha)
}

// updateTowardsBatchMean uses the whole batch's mean where Eq. 4 sums over the class's own samples.
func updateTowardsBatchMean(x, y, c *graph.Node, alpha float64) *graph.Node {
	n, _ := classSums(x, y, c)
	toMean := graph.Sub(c, graph.InsertAxes(graph.ReduceMean(x, 0), 0))
	return graph.Sub(c, graph.MulScalar(graph.Div(graph.Mul(n, toMean), graph.OnePlus(n)), alpha))
}

func updatePanics(x, y, c *graph.Node, alpha float64) *graph.Node {
	return myUpdateCenters(graph.Reshape(x, 7), y, c, alpha)
}

func updatePerSample(x, y, c *graph.Node, alpha float64) *graph.Node {
	return graph.Gather(c, graph.InsertAxes(y, -1))
}

func updateFixedAlpha(x, y, c *graph.Node, alpha float64) *graph.Node {
	return myUpdateCenters(x, y, c, 0.5)
}
