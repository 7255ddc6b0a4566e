package bench

import "github.com/gomlx/gomlx/core/graph"

// UpdateCentersOneHot is Eq. 4 (centerloss.UpdateCenters) as this repository computed it before gather and
// scatter-add (centerloss/center.go up to commit 7c36128): the labels as a one-hot [batch, K] matrix, the per-class
// counts n_j as its column sums and the per-class sums Σ_{y_i=j} x_i as an einsum, then
//
//	c_j ← c_j − α · (n_j · c_j − Σ_{y_i=j} x_i) / (1 + n_j)
//
// for every class, present or not: O(batch·K·d) work and several passes over the K×d centers. The profile and
// centerloss-scaling time it beside the library's update.
func UpdateCentersOneHot(features, labels, centers *graph.Node, alpha float64) *graph.Node {
	numClasses, batch := centers.Shape().Dimensions[0], features.Shape().Dimensions[0]
	features = graph.StopGradient(features)
	oneHot := graph.OneHot(graph.Reshape(labels, batch), numClasses, centers.DType())      // [batch, numClasses]
	counts := graph.InsertAxes(graph.ReduceSum(oneHot, 0), -1)                             // [numClasses, 1]: n_j
	sums := graph.Einsum("bk,bd->kd", oneHot, features)                                    // [numClasses, dim]: Σ x_i
	delta := graph.Div(graph.Sub(graph.Mul(counts, centers), sums), graph.OnePlus(counts)) // Δc_j
	return graph.Sub(centers, graph.MulScalar(delta, alpha))
}
