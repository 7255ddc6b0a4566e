package metricloss

import (
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/loss"
)

// TripletLoss is GoMLX's triplet loss (loss.TripletLoss, Euclidean distances, hinge with the Margin setting) with
// the mining TripletMining names:
//
//	L = mean over the mined triplets (a, p, n) of max(0, d(a, p) − d(a, n) + m)
//
// "all" (the default) averages over every valid triplet of the batch (y_a = y_p, a ≠ p, y_n ≠ y_a): it is the
// most stable from scratch, which is where this comparison starts. Mining the hardest negatives ("hard", Hermans
// et al. 2017) can collapse the embedding to a point early in training (Schroff et al., FaceNet, 2015, §3.2),
// and a 2-unit bottleneck trained from random weights is where that bites; "semi_hard" is FaceNet's remedy.
//
// features [batch, dim], labels [batch] or [batch, 1] → scalar.
func TripletLoss(scope *model.Scope, features, labels *graph.Node) *graph.Node {
	mining := map[string]loss.TripletMiningStrategy{
		"all": loss.TripletMiningStrategyAll, "hard": loss.TripletMiningStrategyHard,
		"semi_hard": loss.TripletMiningStrategySemiHard,
	}[TripletMining.Get(scope)]
	batch := features.Shape().Dimensions[0]
	return loss.TripletLoss([]*graph.Node{graph.Reshape(labels, batch)}, []*graph.Node{features}, mining,
		Margin.Get(scope), loss.PairwiseDistanceMetricL2)
}
