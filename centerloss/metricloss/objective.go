package metricloss

import (
	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/setting"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
)

// The objectives Loss chooses between.
const (
	LossSoftmaxCenter = "softmax_center"
	LossContrastive   = "contrastive"
	LossTriplet       = "triplet"
)

// The settings of the objective.
var (
	Loss = setting.Declare("loss", LossSoftmaxCenter,
		`the training objective: "softmax_center" (softmax + λ·center loss; λ = 0 is softmax alone), "contrastive" `+
			`(Hadsell et al. 2006, all pairs of the batch) or "triplet" (GoMLX's); the last two alone, λ ignored`,
		setting.OneOf(LossSoftmaxCenter, LossContrastive, LossTriplet))
	// The features are not normalised, so the margin only fixes the scale the metric losses settle at; 1 is
	// Hadsell et al.'s order of magnitude and GoMLX's default triplet margin.
	Margin = setting.Declare("margin", 1.0,
		"the margin m of the contrastive and triplet losses, in embedding units", setting.Positive[float64]())
	TripletMining = setting.Declare("triplet_mining", "all",
		`the triplets the triplet loss averages over: "all", "hard" or "semi_hard"`,
		setting.OneOf("all", "hard", "semi_hard"))
)

// Settings lists the objective's settings.
var Settings = setting.List{Loss, Margin, TripletMining}

// Objective is the training loss the Loss setting names, over predictions [logits, features] and labels
// [batch, 1]: centerloss.Loss for "softmax_center"; for "contrastive" and "triplet", that metric loss alone (no
// softmax, no λ·L_C, so the classifier layer learns nothing but weight decay). With a metric loss, the softmax and
// center terms are still computed and reported (centerloss.TermMetrics), for information, and the centers are
// still moved, so that the pictures and the spread and separation metrics mean the same for every loss.
func Objective(scope *model.Scope) train.LossFn {
	name := Loss.Get(scope)
	if name == LossSoftmaxCenter {
		return centerloss.Loss(scope)
	}
	return func(labels, predictions []*graph.Node) *graph.Node {
		logits, features := predictions[0], predictions[1]
		centerloss.SoftmaxLoss(labels[0], logits)
		centerloss.TrackCenters(scope, features, labels[0], logits.Shape().Dimensions[1])
		if name == LossContrastive {
			return ContrastiveLoss(features, labels[0], Margin.Get(scope))
		}
		return TripletLoss(scope, features, labels[0])
	}
}

// TrainsSoftmax reports whether the objective trains the classifier layer: only "softmax_center" does, so only
// then is the accuracy the softmax's; for the metric losses it is the nearest class center's.
func TrainsSoftmax(scope *model.Scope) bool { return Loss.Get(scope) == LossSoftmaxCenter }

// EffectiveLambda is the λ the objective uses: centerloss.Lambda for softmax_center, 0 for the metric losses.
func EffectiveLambda(scope *model.Scope) float64 {
	if !TrainsSoftmax(scope) {
		return 0
	}
	return centerloss.Lambda.Get(scope)
}
