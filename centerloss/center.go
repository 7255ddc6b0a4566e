// Package centerloss is the method of Wen et al., "A Discriminative Feature Learning Approach for Deep Face
// Recognition" (ECCV 2016), for any GoMLX model: the center loss L_C (Eq. 2), the paper's center update (Eq. 4)
// and the gradient step on the centers that other implementations use instead, and the joint objective
// L = L_S + λ·L_C (Eq. 5) as a GoMLX loss function that moves the centers inside the compiled training step.
//
// A model only has to return its logits and the features the loss pulls together:
//
//	trainer := train.NewTrainer(backend, store, myModel, centerloss.Loss(store.RootScope()), optimizer, …)
//
// where myModel returns [logits [batch, classes], features [batch, dim]]. Its settings (Lambda, Alpha,
// CenterUpdate, CenterLR) are read from the model.Store, listed in Settings.
package centerloss

import (
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
)

// CentersScope and CentersVariableName locate the class centers in a model.Store: "/center_loss/centers".
const (
	CentersScope        = "center_loss"
	CentersVariableName = "centers"
)

// CentersVar returns the class centers c_j, a variable [numClasses, dim] that starts at zero. It is not trainable:
// the optimizer never touches it; only the center update (Eq. 4, or the gradient step) moves it.
func CentersVar(scope *model.Scope, numClasses, dim int, dtype dtypes.DType) *model.Variable {
	return scope.Store().VariableWithShape(model.JoinPath("/", CentersScope, CentersVariableName),
		shapes.Make(dtype, numClasses, dim), initializer.Zero).SetTrainable(false)
}

// CenterLoss is L_C = ½ · mean_i ‖x_i − c_{y_i}‖² (Eq. 2 of the paper, averaged over the batch so that λ keeps the
// paper's meaning next to the batch-averaged softmax loss).
//
// features [batch, dim], labels [batch] or [batch, 1] (any int dtype), centers [numClasses, dim]. The centers are
// behind a StopGradient, so the loss's gradient reaches only the features: ∂L_C/∂x_i = (x_i − c_{y_i}) / batch.
func CenterLoss(features, labels, centers *graph.Node) *graph.Node {
	own := ownCenters(graph.StopGradient(centers), labels)                 // [batch, dim]: c_{y_i}
	squared := graph.ReduceSum(graph.Square(graph.Sub(features, own)), -1) // [batch]: ‖x_i − c_{y_i}‖²
	return graph.MulScalar(graph.ReduceAllMean(squared), 0.5)
}

// ownCenters gathers each sample's class center: centers [numClasses, dim], labels [batch] or [batch, 1] →
// [batch, dim]. A gather reads batch·dim values, whatever the number of classes.
func ownCenters(centers, labels *graph.Node) *graph.Node {
	return graph.Gather(centers, classIndices(labels))
}

// classIndices shapes labels as the indices of a gather or scatter over the classes: [batch, 1].
func classIndices(labels *graph.Node) *graph.Node {
	return graph.Reshape(labels, labels.Shape().Dimensions[0], 1)
}
