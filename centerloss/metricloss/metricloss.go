// Package metricloss holds the rivals of center loss that learn an embedding from distances alone: the
// contrastive loss of Siamese networks and the triplet loss, and Objective, which picks the training objective,
// center loss's or one of theirs, by the Loss setting.
package metricloss

import (
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
)

// ContrastiveLoss is Hadsell, Chopra and LeCun's contrastive loss (CVPR 2006), the loss of the Siamese network,
// over all pairs (i < j) of the batch:
//
//	L = ½ · mean_{pairs, y_i = y_j} d_ij²  +  ½ · mean_{pairs, y_i ≠ y_j} max(0, m − d_ij)²,    d_ij = ‖x_i − x_j‖
//
// All pairs, rather than one shuffled partner per example: a batch of 128 gives 8,128 pairs for the price of one
// [batch, batch] distance matrix, uses no random source (so a seed fixes the run through the batch order alone),
// and every positive pair of the batch is used. Each kind of pair is averaged on its own: with 10 classes, 90 % of
// the pairs are negative, and one mean over all pairs would let them drown the pull of the positives. A batch with
// no pair of one kind contributes 0 for that kind.
//
// features [batch, dim], labels [batch] or [batch, 1] → scalar.
func ContrastiveLoss(features, labels *graph.Node, margin float64) *graph.Node {
	g := features.Graph()
	batch := features.Shape().Dimensions[0]
	dtype := features.DType()
	labels = graph.Reshape(labels, batch)
	diff := graph.Sub(graph.ExpandDims(features, 1), graph.ExpandDims(features, 0)) // [batch, batch, dim]
	squared := graph.ReduceSum(graph.Square(diff), -1)                              // [batch, batch]: d²
	// d = √d², with a zero gradient where d² ≈ 0 (√'s gradient is infinite there): GoMLX's pairwiseDistances trick.
	eps := graph.Scalar(g, dtype, 1e-12)
	tiny := graph.LessThan(squared, eps)
	distance := graph.Where(tiny, graph.ZerosLike(squared), graph.Sqrt(graph.Where(tiny, graph.OnesLike(squared), squared)))

	i := graph.Iota(g, shapes.Make(dtypes.Int32, batch, batch), 0)
	j := graph.Iota(g, shapes.Make(dtypes.Int32, batch, batch), 1)
	pair := graph.LessThan(i, j)                                                  // [batch, batch]: i < j
	same := graph.Equal(graph.ExpandDims(labels, 1), graph.ExpandDims(labels, 0)) // [batch, batch]
	positive := graph.ConvertDType(graph.LogicalAnd(pair, same), dtype)           // 1 for a pair of one class
	negative := graph.ConvertDType(graph.LogicalAnd(pair, graph.LogicalNot(same)), dtype)
	hinge := graph.Square(graph.MaxScalar(graph.AddScalar(graph.Neg(distance), margin), 0)) // max(0, m − d)²
	pull := maskedMean(squared, positive)
	push := maskedMean(hinge, negative)
	return graph.MulScalar(graph.Add(pull, push), 0.5)
}

// maskedMean is Σ values·mask / max(1, Σ mask): the mean over the masked entries, 0 when there are none.
func maskedMean(values, mask *graph.Node) *graph.Node {
	return graph.Div(graph.ReduceAllSum(graph.Mul(values, mask)), graph.MaxScalar(graph.ReduceAllSum(mask), 1))
}
