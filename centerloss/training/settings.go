// Package centerloss trains the LeNet++ network of Wen et al., "A Discriminative Feature Learning Approach for
// Deep Face Recognition" (ECCV 2016), with softmax loss plus center loss, on GoMLX and XLA.
//
// Hyperparameters live in a GoMLX context.Context under the Param* keys below, so the command line's -set flag
// (and a notebook's ctx.SetParam) can change any of them; NewContext fills in the defaults.
package centerloss

import (
	"github.com/gomlx/gomlx/ml/model"
	"github.com/pkg/errors"
)

// Context parameter keys. Each is settable with `-set key=value`.
const (
	ParamLambda        = "center_loss_lambda" // λ, weight of the center loss; 0 gives the softmax baseline.
	ParamAlpha         = "center_loss_alpha"  // α, step of the center update of Eq. 4, in (0, 1].
	ParamEmbeddingDim  = "embedding_dim"      // width of the feature layer; 2 draws like the paper's Fig. 3.
	ParamNumClasses    = "num_classes"
	ParamLearningRate  = "learning_rate" // the same key as GoMLX's optimizers.ParamLearningRate
	ParamMomentum      = "sgd_momentum"
	ParamWeightDecay   = "weight_decay"
	ParamLRDecayEpochs = "lr_decay_epochs" // the learning rate is multiplied by lr_decay_factor every this many epochs.
	ParamLRDecayFactor = "lr_decay_factor"
	ParamBatchSize     = "batch_size"
	ParamEvalBatchSize = "eval_batch_size"
	ParamEpochs        = "epochs"
	ParamTrainSteps    = "train_steps"       // when > 0, train this many steps instead of whole epochs.
	ParamSeed          = "initializers_seed" // GoMLX's context.ParamInitialSeed: seeds initialisation and dropout

	// ParamKNNK is the k of the k-nearest-neighbour accuracy of each record. 1 by default: precision@1, the
	// figure metric-learning benchmarks report (Musgrave et al., "A Metric Learning Reality Check", 2020), and
	// the question a retrieval asks: is the closest known example of the same class?
	ParamKNNK = "knn_k"
	// ParamKNNGallerySize is how many training images (the first ones of the training split as trained, in file
	// order: a fixed subset, the same every epoch) are embedded at each record as the kNN gallery. Measured on the
	// shared 2-core machine: 10,000 take 20 s (the test evaluation 16 s), all 60,000 take 126 s, a third of an
	// epoch's training; the search itself, 10,000 × 10,000 in 2-D, 0.14 s. 10,000 still give a thousand
	// gallery features per class.
	ParamKNNGallerySize = "knn_gallery_size"
	// ParamHoldoutDigit, when ≥ 0, is a class removed from the training split (the test split keeps it), for the
	// open-set AUROC of each record; -1 trains on every class.
	ParamHoldoutDigit = "holdout_digit"

	// ParamCenterUpdate chooses how the class centers move (center_update.go): "eq4", the paper's Eq. 4 with step
	// ParamAlpha (the default), or "gradient", plain SGD on the centers' own gradient of L_C with ParamCenterLR,
	// as KaiyangZhou's PyTorch CenterLoss does.
	ParamCenterUpdate = "center_update"
	// ParamCenterLR is the learning rate of the "gradient" center update (plain SGD: no momentum, no weight decay,
	// no schedule). 1.0 is KaiyangZhou's lr_cent 0.5: his L_C has no ½, so his centers' gradient is twice ours.
	ParamCenterLR = "center_lr"
	// ParamLoss chooses the training objective (metricloss.go): "softmax_center" (softmax + λ·center loss; λ = 0
	// is softmax alone), "contrastive" (Hadsell et al. 2006, on all pairs of the batch) or "triplet" (GoMLX's
	// triplet loss). The last two are metric losses alone: no softmax, λ is ignored.
	ParamLoss = "loss"
	// ParamMargin is the margin m of the contrastive and triplet losses, in embedding units.
	ParamMargin = "margin"
	// ParamTripletMining is the triplet mining of GoMLX's TripletLoss: "all" (default), "hard" or "semi_hard".
	ParamTripletMining = "triplet_mining"
)

// Values of ParamCenterUpdate and ParamLoss.
const (
	CenterUpdateEq4      = "eq4"
	CenterUpdateGradient = "gradient"

	LossSoftmaxCenter = "softmax_center"
	LossContrastive   = "contrastive"
	LossTriplet       = "triplet"
)

// Defaults, chosen to learn within the first epoch on CPU (see README, "Defaults that learn fast").
//
// The PyTorch reference (SGD lr 0.001) leaves a 2-D LeNet++ stuck at loss 2.302 for a whole epoch: with a
// two-unit bottleneck the gradients reaching the convolutions are tiny until the features have spread out. With
// He-initialised weights and lr 0.01 (the paper's own base rate), momentum 0.9, the loss falls within the first
// hundred steps. The step schedule then divides the rate by 10 for the last epochs, as the paper does.
var Defaults = map[string]any{
	ParamLambda:        0.01,
	ParamAlpha:         0.5,
	ParamEmbeddingDim:  2,
	ParamNumClasses:    10,
	ParamLearningRate:  0.01,
	ParamMomentum:      0.9,
	ParamWeightDecay:   5e-4,
	ParamLRDecayEpochs: 3,
	ParamLRDecayFactor: 0.1,
	ParamBatchSize:     128,
	ParamEvalBatchSize: 1000,
	ParamEpochs:        5,
	ParamTrainSteps:    0,
	ParamSeed:          int64(42),

	ParamKNNK:           1,
	ParamKNNGallerySize: 10_000,
	ParamHoldoutDigit:   -1,

	ParamCenterUpdate: CenterUpdateEq4,
	ParamCenterLR:     1.0,
	ParamLoss:         LossSoftmaxCenter,
	// The features are not normalised, so the margin only fixes the scale the metric losses settle at; 1 is
	// Hadsell et al.'s order of magnitude and GoMLX's default triplet margin.
	ParamMargin:        1.0,
	ParamTripletMining: "all",
}

// NewContext returns a context holding the default hyperparameters.
func NewContext() *model.Scope {
	scope := model.New()
	scope.SetParams(Defaults)
	return scope
}

// ValidateParams checks the hyperparameters in ctx before any work starts, so that a careless setting is a
// one-line error that names it, not a crash or a silently useless run.
func ValidateParams(scope *model.Scope) error {
	checks := []struct {
		key string
		ok  bool
		why string
	}{
		{ParamLambda, model.GetParamOr(scope, ParamLambda, 0.0) >= 0, "must be ≥ 0"},
		{ParamAlpha, inRange(model.GetParamOr(scope, ParamAlpha, 0.5), 0, 1), "must be in (0, 1]"},
		{ParamLearningRate, model.GetParamOr(scope, ParamLearningRate, 0.01) > 0, "must be > 0"},
		{ParamMomentum, model.GetParamOr(scope, ParamMomentum, 0.9) >= 0 && model.GetParamOr(scope, ParamMomentum, 0.9) < 1, "must be in [0, 1)"},
		{ParamWeightDecay, model.GetParamOr(scope, ParamWeightDecay, 0.0) >= 0, "must be ≥ 0"},
		{ParamLRDecayFactor, inRange(model.GetParamOr(scope, ParamLRDecayFactor, 0.1), 0, 1), "must be in (0, 1]"},
		{ParamLRDecayEpochs, model.GetParamOr(scope, ParamLRDecayEpochs, 0) >= 0, "must be ≥ 0 (0: no decay)"},
		{ParamBatchSize, model.GetParamOr(scope, ParamBatchSize, 128) >= 1, "must be ≥ 1"},
		{ParamEvalBatchSize, model.GetParamOr(scope, ParamEvalBatchSize, 1000) >= 1, "must be ≥ 1"},
		{ParamEpochs, model.GetParamOr(scope, ParamEpochs, 1) >= 0, "must be ≥ 0"},
		{ParamTrainSteps, model.GetParamOr(scope, ParamTrainSteps, 0) >= 0, "must be ≥ 0"},
		{ParamEmbeddingDim, model.GetParamOr(scope, ParamEmbeddingDim, 2) >= 1, "must be ≥ 1"},
		{ParamNumClasses, model.GetParamOr(scope, ParamNumClasses, 10) >= 2, "must be ≥ 2"},
		{ParamKNNK, model.GetParamOr(scope, ParamKNNK, 1) >= 1, "must be ≥ 1"},
		{ParamKNNGallerySize, model.GetParamOr(scope, ParamKNNGallerySize, 10_000) >= model.GetParamOr(scope, ParamKNNK, 1),
			"must be ≥ " + ParamKNNK},
		{ParamHoldoutDigit, holdoutOK(scope), "must be -1 (none) or a class, with at least two classes left"},
		{ParamCenterUpdate, oneOf(model.GetParamOr(scope, ParamCenterUpdate, CenterUpdateEq4), CenterUpdateEq4, CenterUpdateGradient),
			`must be "eq4" or "gradient"`},
		{ParamCenterLR, model.GetParamOr(scope, ParamCenterLR, 1.0) > 0, "must be > 0"},
		{ParamLoss, oneOf(model.GetParamOr(scope, ParamLoss, LossSoftmaxCenter), LossSoftmaxCenter, LossContrastive, LossTriplet),
			`must be "softmax_center", "contrastive" or "triplet"`},
		{ParamMargin, model.GetParamOr(scope, ParamMargin, 1.0) > 0, "must be > 0"},
		{ParamTripletMining, oneOf(model.GetParamOr(scope, ParamTripletMining, "all"), "all", "hard", "semi_hard"),
			`must be "all", "hard" or "semi_hard"`},
	}
	for _, c := range checks {
		if !c.ok {
			value, _ := scope.GetParam(c.key)
			return errors.Errorf("setting %s=%v: %s", c.key, value, c.why)
		}
	}
	return nil
}

// holdoutOK checks ParamHoldoutDigit: -1, or a class of the model that leaves two known ones (so that the
// inter-class separation, the closest pair of known centers, exists).
func holdoutOK(scope *model.Scope) bool {
	digit, classes := model.GetParamOr(scope, ParamHoldoutDigit, -1), model.GetParamOr(scope, ParamNumClasses, 10)
	return digit == -1 || (digit >= 0 && digit < classes && classes >= 3)
}

// oneOf reports whether s is one of the allowed values.
func oneOf(s string, allowed ...string) bool {
	for _, a := range allowed {
		if s == a {
			return true
		}
	}
	return false
}

// inRange reports lo < x ≤ hi.
func inRange(x, lo, hi float64) bool { return x > lo && x <= hi }
