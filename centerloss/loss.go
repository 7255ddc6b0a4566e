package centerloss

import (
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/metric"
)

// Graph-parameter keys under which the loss leaves its two terms, for TermMetrics to report.
const (
	softmaxTermKey = "centerloss_softmax_loss"
	centerTermKey  = "centerloss_center_loss"
)

// Loss returns the training objective of the paper, L = L_S + λ·L_C (Eq. 5), as a GoMLX loss function over the
// model's predictions [logits [batch, classes], features [batch, dim]] and labels [batch, 1].
//
// It returns the softmax cross-entropy L_S plus λ·L_C, and in a training graph it also moves the centers
// (MoveCenters), inside the same compiled step: the centers variable is set to its new value and the trainer
// writes it back after the step, like any optimizer state. λ = 0 is the softmax baseline: the centers are still
// tracked (and drawn), but add nothing to the loss.
func Loss(scope *model.Scope) train.LossFn {
	return func(labels, predictions []*graph.Node) *graph.Node {
		logits, features := predictions[0], predictions[1]
		softmax := SoftmaxLoss(labels[0], logits)
		center := TrackCenters(scope, features, labels[0], logits.Shape().Dimensions[1])
		return graph.Add(softmax, graph.MulScalar(center, Lambda.Get(scope)))
	}
}

// SoftmaxLoss is L_S, the batch mean of the softmax cross-entropy of logits [batch, classes] against labels
// [batch, 1], left for TermMetrics.
func SoftmaxLoss(labels, logits *graph.Node) *graph.Node {
	softmax := loss.SparseCategoricalCrossEntropyLogits([]*graph.Node{labels}, []*graph.Node{logits})
	if !softmax.IsScalar() {
		softmax = graph.ReduceAllMean(softmax)
	}
	model.SetGraphParam(logits.Graph(), softmaxTermKey, softmax)
	return softmax
}

// TrackCenters returns the center loss L_C of features [batch, dim] against the centers of their labels [batch, 1],
// left for TermMetrics; in a training graph it also moves the centers by the rule CenterUpdate names. Both use the
// centers before this step. A model trained by another loss can call it to keep centers it can be measured by.
func TrackCenters(scope *model.Scope, features, labels *graph.Node, numClasses int) *graph.Node {
	g := features.Graph()
	centersVar := CentersVar(scope, numClasses, features.Shape().Dimensions[1], features.DType())
	centers := centersVar.NodeValue(g) // c^t
	center := CenterLoss(features, labels, centers)
	if scope.IsTraining(g) {
		centersVar.SetNodeValue(MoveCenters(scope, features, labels, centers))
	}
	model.SetGraphParam(g, centerTermKey, center)
	return center
}

// MoveCenters returns the centers after this training step, by the rule CenterUpdate names: Eq. 4 with Alpha
// (UpdateCenters), or a gradient step with CenterLR (GradientStepCenters). It never touches the features' gradient.
func MoveCenters(scope *model.Scope, features, labels, centers *graph.Node) *graph.Node {
	if CenterUpdate.Get(scope) == CenterUpdateGradient {
		return GradientStepCenters(features, labels, centers, CenterLR.Get(scope))
	}
	return UpdateCenters(features, labels, centers, Alpha.Get(scope))
}

// TermMetrics are train metrics that report the batch's softmax loss and (unweighted) center loss, as SoftmaxLoss
// and TrackCenters left them.
func TermMetrics() []metric.Interface {
	term := func(key string) metric.BaseMetricGraph {
		return func(_ *model.Scope, _, predictions []*graph.Node) *graph.Node {
			value, _ := model.GetGraphParam(predictions[0].Graph(), key)
			return value.(*graph.Node)
		}
	}
	return []metric.Interface{
		metric.NewBaseMetric("Softmax loss", "softmax", metric.LossMetricType, term(softmaxTermKey), nil),
		metric.NewBaseMetric("Center loss", "center", metric.LossMetricType, term(centerTermKey), nil),
	}
}
