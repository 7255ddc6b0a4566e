package centerloss

import (
	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/context/initializers"
)

// CentersVariableName is the name of the class-centers variable, in the "center_loss" scope.
const CentersVariableName = "centers"

// CentersVar returns the class centers c_j, a variable [numClasses, embeddingDim] that starts at zero. It is not
// trainable: the optimizer never touches it; only the center update of Eq. 4 moves it.
func CentersVar(ctx *context.Context, dtype dtypes.DType) *context.Variable {
	numClasses := context.GetParamOr(ctx, ParamNumClasses, 10)
	dim := context.GetParamOr(ctx, ParamEmbeddingDim, 2)
	return ctx.In("center_loss").Checked(false).WithInitializer(initializers.Zero).
		VariableWithShape(CentersVariableName, shapes.Make(dtype, numClasses, dim)).SetTrainable(false)
}

// CenterLoss is L_C = ½ · mean_i ‖x_i − c_{y_i}‖² (Eq. 2 of the paper, averaged over the batch so that λ keeps the
// paper's meaning next to the batch-averaged softmax loss).
//
// features [batch, dim], labels [batch] (any int dtype), centers [numClasses, dim]. The centers are behind a
// StopGradient, so the loss's gradient reaches only the features: ∂L_C/∂x_i = (x_i − c_{y_i}) / batch.
func CenterLoss(features, labels, centers *graph.Node) *graph.Node {
	batch := features.Shape().Dimensions[0]
	own := graph.Gather(graph.StopGradient(centers), graph.Reshape(labels, batch, 1)) // [batch, dim]: c_{y_i}
	squared := graph.ReduceSum(graph.Square(graph.Sub(features, own)), -1)            // [batch]: ‖x_i − c_{y_i}‖²
	return graph.MulScalar(graph.ReduceAllMean(squared), 0.5)
}

// UpdateCenters returns the centers after one step of the paper's Eq. 4:
//
//	Δc_j = Σ_{i: y_i=j} (c_j − x_i) / (1 + n_j),    c_j ← c_j − α · Δc_j
//
// where n_j counts the samples of class j in the batch. A class absent from the batch has Δc_j = 0 and stays put;
// the 1 in the denominator keeps a class seen once from jumping all the way onto its single sample.
//
// features [batch, dim] (their gradient is stopped here), labels [batch], centers [numClasses, dim].
func UpdateCenters(features, labels, centers *graph.Node, alpha float64) *graph.Node {
	counts, differences := centerDifferences(features, labels, centers)
	delta := graph.Div(differences, graph.OnePlus(counts)) // Δc_j
	return graph.Sub(centers, graph.MulScalar(delta, alpha))
}

// centerDifferences returns, per class j, the count n_j of its samples in the batch [numClasses, 1] and
// Σ_{y_i=j} (c_j − x_i) [numClasses, dim]: what both center updates (Eq. 4 and the gradient step) are made of.
// The features' gradient is stopped: moving the centers must not move the network.
func centerDifferences(features, labels, centers *graph.Node) (counts, differences *graph.Node) {
	numClasses := centers.Shape().Dimensions[0]
	batch := features.Shape().Dimensions[0]
	features = graph.StopGradient(features)
	oneHot := graph.OneHot(graph.Reshape(labels, batch), numClasses, centers.DType()) // [batch, numClasses]
	counts = graph.ExpandDims(graph.ReduceSum(oneHot, 0), -1)                         // [numClasses, 1]: n_j
	sums := graph.Einsum("bk,bd->kd", oneHot, features)                               // [numClasses, dim]: Σ x_i
	return counts, graph.Sub(graph.Mul(counts, centers), sums)
}
