package centerloss

import (
	"github.com/gomlx/gomlx/core/graph"
)

// UpdateCenters returns the centers after one step of the paper's Eq. 4:
//
//	Δc_j = Σ_{i: y_i=j} (c_j − x_i) / (1 + n_j),    c_j ← c_j − α · Δc_j
//
// where n_j counts the samples of class j in the batch. A class absent from the batch has Δc_j = 0 and stays put;
// the 1 in the denominator keeps a class seen once from jumping all the way onto its single sample.
//
// features [batch, dim] (their gradient is stopped here), labels [batch] or [batch, 1], centers [numClasses, dim].
//
// It works on the batch's own classes only: each sample's term (c_{y_i} − x_i)/(1 + n_{y_i}) is computed from
// a gather of its center and added back into the centers by a scatter, so its cost is O(batch·dim + batch²),
// whatever the number of classes (and the centers are updated in place when XLA can).
func UpdateCenters(features, labels, centers *graph.Node, alpha float64) *graph.Node {
	differences, counts := sampleDifferences(features, labels, centers)
	terms := graph.Div(differences, graph.OnePlus(counts)) // [batch, dim]: (c_{y_i} − x_i) / (1 + n_{y_i})
	return scatterToCenters(centers, labels, graph.MulScalar(terms, -alpha))
}

// sampleDifferences returns, per sample i, c_{y_i} − x_i [batch, dim] and n_{y_i} [batch, 1], the number of
// samples in the batch that share its class: what both center updates (Eq. 4 and the gradient step) are made of.
// The features' gradient is stopped: moving the centers must not move the network.
func sampleDifferences(features, labels, centers *graph.Node) (differences, counts *graph.Node) {
	features = graph.StopGradient(features)
	differences = graph.Sub(ownCenters(centers, labels), features)
	flat := graph.Reshape(labels, labels.Shape().Dimensions[0]) // [batch]
	same := graph.Equal(graph.InsertAxes(flat, 1), graph.InsertAxes(flat, 0))
	counts = graph.ReduceSum(graph.ConvertDType(same, centers.DType()), -1) // [batch]: n_{y_i}
	return differences, graph.InsertAxes(counts, -1)
}

// scatterToCenters adds each sample's update [batch, dim] to its class's center; samples of one class add up.
func scatterToCenters(centers, labels, updates *graph.Node) *graph.Node {
	return graph.ScatterSum(centers, classIndices(labels), updates, false, false)
}
