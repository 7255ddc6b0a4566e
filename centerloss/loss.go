package centerloss

import (
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/train"
	"github.com/gomlx/gomlx/pkg/ml/train/losses"
	"github.com/gomlx/gomlx/pkg/ml/train/metrics"
)

// Graph-parameter keys under which Loss leaves its two terms, for the metrics to report.
const (
	softmaxLossKey = "centerloss_softmax_loss"
	centerLossKey  = "centerloss_center_loss"
)

// Loss returns the training objective of the paper, L = L_S + λ·L_C, as a GoMLX loss function over the model's
// predictions [logits, features] and labels [batch, 1].
//
// It returns the softmax cross-entropy L_S (what GoMLX reports as the loss without regularisation) and adds λ·L_C
// with train.AddLoss. In a training graph it also moves the centers by Eq. 4, inside the same compiled step: the
// centers variable is set to UpdateCenters(...) and the trainer writes it back after the step, like any optimizer
// state. λ = 0 is the softmax baseline: the centers are still tracked (and drawn), but add nothing to the loss.
// ParamCenterUpdate chooses the rule that moves the centers (MoveCenters).
//
// With ParamLoss "contrastive" or "triplet" it returns that metric loss alone (ContrastiveLoss, TripletLoss): no
// softmax, no λ·L_C, so the classifier layer learns nothing (only weight decay shrinks it). The softmax and center
// terms are still computed and reported by LossTermMetrics, for information, and the centers are still moved, so
// that the pictures and the spread/separation metrics mean the same for every loss.
func Loss(ctx *context.Context) train.LossFn {
	return func(labels, predictions []*graph.Node) *graph.Node {
		logits, features := predictions[0], predictions[1] // [batch, classes], [batch, dim]
		g := logits.Graph()
		softmax := losses.SparseCategoricalCrossEntropyLogits(labels, []*graph.Node{logits})
		if !softmax.IsScalar() {
			softmax = graph.ReduceAllMean(softmax)
		}
		centersVar := CentersVar(ctx, features.DType())
		centers := centersVar.ValueGraph(g) // c^t: the loss and the update both use the centers before this step.
		center := CenterLoss(features, labels[0], centers)
		if ctx.IsTraining(g) {
			centersVar.SetValueGraph(MoveCenters(ctx, features, labels[0], centers)) // Eq. 4 or a gradient step
		}
		ctx.SetGraphParam(g, softmaxLossKey, softmax)
		ctx.SetGraphParam(g, centerLossKey, center)
		switch LossName(ctx) {
		case LossContrastive:
			return ContrastiveLoss(features, labels[0], context.GetParamOr(ctx, ParamMargin, 1.0))
		case LossTriplet:
			return TripletLoss(ctx, features, labels[0])
		}
		if lambda := context.GetParamOr(ctx, ParamLambda, 0.0); lambda != 0 {
			train.AddLoss(ctx, graph.MulScalar(center, lambda))
		}
		return softmax
	}
}

// LossTermMetrics are train metrics that report the batch's softmax loss and (unweighted) center loss, as Loss
// computed them.
func LossTermMetrics() []metrics.Interface {
	term := func(key string) metrics.BaseMetricGraph {
		return func(ctx *context.Context, _, predictions []*graph.Node) *graph.Node {
			return context.MustGetGraphParam[*graph.Node](ctx, predictions[0].Graph(), key)
		}
	}
	return []metrics.Interface{
		metrics.NewBaseMetric("Softmax loss", "softmax", metrics.LossMetricType, term(softmaxLossKey), nil),
		metrics.NewBaseMetric("Center loss", "center", metrics.LossMetricType, term(centerLossKey), nil),
	}
}

// ModelFn adapts LeNetPP to GoMLX's train.ModelFn: inputs [images], predictions [logits, features].
func ModelFn(ctx *context.Context, _ any, inputs []*graph.Node) []*graph.Node {
	logits, features := LeNetPP(ctx, inputs[0])
	return []*graph.Node{logits, features}
}
