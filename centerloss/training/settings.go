package training

import (
	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/evaluation"
	"github.com/centerloss/centerloss/centerloss/lenetpp"
	"github.com/centerloss/centerloss/centerloss/metricloss"
	"github.com/centerloss/centerloss/centerloss/setting"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// The training's settings, chosen to learn within the first epoch on CPU (README, "The command line": the table of defaults).
//
// The PyTorch reference (SGD lr 0.001) leaves a 2-D LeNet++ stuck at loss 2.302 for a whole epoch: with a
// two-unit bottleneck the gradients reaching the convolutions are tiny until the features have spread out. With
// lr 0.01 (the paper's own base rate) and momentum 0.9 the loss falls within the first hundred steps; the step
// schedule then divides the rate by 10 for the last epochs, as the paper does.
var (
	// LearningRate's key is GoMLX's optimizer.ParamLearningRate: GoMLX's own optimizers read the same setting.
	LearningRate = setting.Declare(optimizer.ParamLearningRate, 0.01,
		"the learning rate of SGD with momentum, before the step decay", setting.Positive[float64]())
	Momentum = setting.Declare("sgd_momentum", 0.9, "the momentum of SGD",
		setting.Check[float64]{OK: func(_ *model.Scope, v float64) bool { return v >= 0 && v < 1 }, Why: "must be in [0, 1)"})
	WeightDecay = setting.Declare("weight_decay", 5e-4, "the L2 weight decay of SGD (Caffe's, PyTorch's)",
		setting.AtLeast(0.0))
	LRDecayEpochs = setting.Declare("lr_decay_epochs", 3,
		"the learning rate is multiplied by lr_decay_factor every this many epochs; 0: never", setting.AtLeast(0))
	LRDecayFactor = setting.Declare("lr_decay_factor", 0.1, "the factor of the step decay", setting.InRange(0, 1))
	BatchSize     = setting.Declare("batch_size", 128, "training images per step", setting.AtLeast(1))
	Epochs        = setting.Declare("epochs", 5, "how many epochs to train (unless train_steps is set)", setting.AtLeast(0))
	TrainSteps    = setting.Declare("train_steps", 0, "when > 0, train this many steps instead of whole epochs",
		setting.AtLeast(0))
	// Seed's key is GoMLX's model.ParamInitialSeed: it seeds the initialisation of the weights, and here also the
	// order of the batches.
	Seed = setting.Declare(model.ParamInitialSeed, int64(42),
		"the seed of the weights' initialisation and of the batches' order")
)

// Settings lists the training's own settings.
var Settings = setting.List{LearningRate, Momentum, WeightDecay, LRDecayEpochs, LRDecayFactor, BatchSize, Epochs,
	TrainSteps, Seed, HoldoutDigit}

// AllSettings lists every setting a training run reads: the method's, the network's, the objective's, the
// evaluation's and the training's. Each is declared once, in the package that reads it.
func AllSettings() setting.List {
	var all setting.List
	for _, l := range []setting.List{centerloss.Settings, lenetpp.Settings, metricloss.Settings, evaluation.Settings,
		Settings} {
		all = append(all, l...)
	}
	return all
}

// NewStore returns an empty model store: every setting reads as its declared default until it is set.
func NewStore() *model.Store { return model.NewStore() }

// ValidateSettings checks every setting in store before any work starts, so that a careless setting is a one-line
// error that names it, not a crash or a silently useless run.
func ValidateSettings(store *model.Store) error { return AllSettings().Validate(store.RootScope()) }
