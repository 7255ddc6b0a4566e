package evaluation

import (
	"github.com/centerloss/centerloss/centerloss/setting"
	"github.com/gomlx/gomlx/ml/model"
)

// The evaluation's settings.
var (
	EvalBatchSize = setting.Declare("eval_batch_size", 1000,
		"images per batch of the evaluation passes (no effect on the figures)", setting.AtLeast(1))
	// KNNK's default, 1, is precision@1, the figure metric-learning benchmarks report (Musgrave et al., "A Metric
	// Learning Reality Check", 2020), and the question a retrieval asks: is the closest known example of the same
	// class?
	KNNK = setting.Declare("knn_k", 1, "the k of each record's k-nearest-neighbour accuracy", setting.AtLeast(1))
	// 10,000 gallery images still give a thousand features per class; embedding all 60,000 at each record would cost
	// six times as long (about 2 minutes an epoch on a 2-core CPU).
	KNNGallerySize = setting.Declare("knn_gallery_size", 10_000,
		"how many training images (the first ones of the training split, a fixed subset) form the kNN gallery",
		setting.Check[int]{OK: func(scope *model.Scope, v int) bool { return v >= KNNK.Get(scope) }, Why: "must be ≥ knn_k"})
)

// Settings lists the evaluation's settings.
var Settings = setting.List{EvalBatchSize, KNNK, KNNGallerySize}
