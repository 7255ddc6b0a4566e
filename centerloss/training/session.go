package centerloss

import (
	"fmt"
	"math"
	"time"

	"github.com/centerloss/centerloss/centerloss/data"
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/checkpoint"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ui/commandline"
	"github.com/pkg/errors"
)

// Session is one model being trained: its context (hyperparameters and variables), the backend, the data, and
// GoMLX's train.Trainer and train.Loop. A notebook drives it step by step; Run drives it epoch by epoch.
type Session struct {
	Ctx           *model.Scope
	Backend       compute.Backend
	Data          *data.Dataset
	Trainer       *train.Trainer
	Loop          *train.Loop
	Checkpoint    *checkpoints.Handler // nil when the session keeps no checkpoint
	StepsPerEpoch int
	// SetAside says which incomplete checkpoints (left by a process killed while saving) were moved out of the
	// way before loading, one line each; empty almost always.
	SetAside []string

	embedder       *Embedder
	trainData      *ShuffledBatches
	seed           int64
	dsEpoch, dsPos int // where trainData stands: its epoch and the batches already taken from it
	sums           lossSums
	lastLoss       float64 // the total loss of the last step
}

// lossSums accumulates the training losses between two records.
type lossSums struct {
	total, softmax, center float64
	steps                  int
}

// NewSession builds the trainer for the model in ctx. When checkpointDir is not empty, the latest checkpoint in
// it (if any) is loaded first, and training resumes from its global step; the hyperparameters named in paramsSet
// (the ones the user set explicitly) are not overwritten by those saved in the checkpoint.
func NewSession(scope *model.Scope, backend compute.Backend, dataset *data.Dataset, checkpointDir string,
	paramsSet []string) (*Session, error) {
	s := &Session{Ctx: scope, Backend: backend, Data: dataset, dsEpoch: -1}
	var err error
	if checkpointDir != "" {
		if s.SetAside, err = SetAsideIncomplete(checkpointDir); err != nil {
			return nil, err
		}
		handler, err := checkpoints.Build(scope).Dir(checkpointDir).Keep(3).ExcludeParams(paramsSet...).Done()
		if err != nil {
			return nil, errors.WithMessagef(err, "checkpoint %s", checkpointDir)
		}
		s.Checkpoint = handler
	}
	if err := ValidateParams(scope); err != nil {
		return nil, err
	}
	batchSize := model.GetParamOr(scope, ParamBatchSize, 128)
	if s.trainData, err = NewShuffledBatches(TrainingSplit(scope, dataset), batchSize); err != nil {
		return nil, err
	}
	s.StepsPerEpoch = s.trainData.StepsPerEpoch()
	s.seed = model.GetParamOr(scope, ParamSeed, int64(0))

	optimizer := &SGDMomentum{
		DecaySteps:  model.GetParamOr(scope, ParamLRDecayEpochs, 0) * s.StepsPerEpoch,
		DecayFactor: model.GetParamOr(scope, ParamLRDecayFactor, 0.1),
	}
	s.Trainer = train.NewTrainer(backend, scope, ModelFn, Loss(scope), optimizer, LossTermMetrics(), nil)
	if s.GlobalStep() > 0 {
		s.Trainer.SetContext(scope.Reuse()) // The variables exist already: they came from the checkpoint.
	}
	s.Loop = train.NewLoop(s.Trainer)
	s.Loop.OnStep("centerloss: sum losses, stop on NaN", train.Priority(0), s.onStep)
	if s.embedder, err = NewEmbedder(backend, scope); err != nil {
		return nil, err
	}
	return s, nil
}

// AttachProgressBar shows GoMLX's progress bar (in a terminal or a notebook) while training.
func (s *Session) AttachProgressBar() { commandline.AttachProgressBar(s.Loop) }

// GlobalStep is the number of training steps taken so far, including those of a loaded checkpoint.
func (s *Session) GlobalStep() int { return int(optimizers.GetGlobalStep(s.Ctx)) }

// Epoch is GlobalStep in epochs (fractional within an epoch).
func (s *Session) Epoch() float64 { return float64(s.GlobalStep()) / float64(s.StepsPerEpoch) }

// LearningRate is the rate the step schedule gives for the next step.
func (s *Session) LearningRate() float64 {
	rate := model.GetParamOr(s.Ctx, ParamLearningRate, 0.01)
	if every := model.GetParamOr(s.Ctx, ParamLRDecayEpochs, 0) * s.StepsPerEpoch; every > 0 {
		rate *= math.Pow(model.GetParamOr(s.Ctx, ParamLRDecayFactor, 0.1), float64(s.GlobalStep()/every))
	}
	return rate
}

// TrainSteps runs n training steps. Each epoch's batch order depends only on (seed, epoch), so training that
// stops and resumes (even mid-epoch) sees the same batches as training that runs straight through.
func (s *Session) TrainSteps(n int) error {
	for n > 0 {
		step := s.GlobalStep()
		epoch, pos := step/s.StepsPerEpoch, step%s.StepsPerEpoch
		if s.dsEpoch != epoch || s.dsPos != pos {
			s.trainData.SeekEpoch(s.seed, epoch, pos)
			s.dsEpoch, s.dsPos = epoch, pos
		}
		chunk := min(n, s.StepsPerEpoch-pos)
		if _, err := s.Loop.RunSteps(s.trainData, chunk); err != nil {
			var diverged *DivergenceError
			if errors.As(err, &diverged) {
				return diverged // already says all; GoMLX's wrapping would only bury it
			}
			return err
		}
		s.dsPos += chunk
		n -= chunk
	}
	return nil
}

// onStep adds the step's losses to the running sums and stops training when the loss is no longer finite.
func (s *Session) onStep(loop *train.Loop, metrics []*tensors.Tensor) error {
	values := make(map[string]float64, 3)
	for i, m := range s.Trainer.TrainMetrics() {
		switch m.ShortName() {
		case "loss+", "softmax", "center":
			values[m.ShortName()] = ScalarValue(metrics[i])
		}
	}
	total := values["loss+"]
	if !finite(total) || !finite(values["center"]) {
		return s.divergence(values)
	}
	s.lastLoss = total
	s.sums.total += total
	s.sums.softmax += values["softmax"]
	s.sums.center += values["center"]
	s.sums.steps++
	return nil
}

// DivergenceError stops training when a loss is no longer finite. Its message says which term went, whether the
// centers themselves did, and at which step. The step's variables are never saved, so the last checkpoint on disk is
// the last good one.
type DivergenceError struct {
	Step int
	What string // e.g. "the softmax loss is NaN (center loss NaN), and the centers are no longer finite"
	Kept string // what became of the checkpoint
}

func (e *DivergenceError) Error() string {
	return fmt.Sprintf("training diverged at step %d: %s; %s; lower the learning rate (-lr) or λ (-lambda)",
		e.Step, e.What, e.Kept)
}

func (s *Session) divergence(values map[string]float64) error {
	e := &DivergenceError{Step: s.GlobalStep(), Kept: "no checkpoint is kept",
		What: fmt.Sprintf("the loss is %v (softmax %v, center %v)", values["loss+"], values["softmax"], values["center"])}
	switch {
	case !finite(values["softmax"]):
		e.What = fmt.Sprintf("the softmax loss is %v (center loss %v)", values["softmax"], values["center"])
	case !finite(values["center"]):
		e.What = fmt.Sprintf("the center loss is %v (softmax loss %v)", values["center"], values["softmax"])
	}
	if centers, err := CentersVar(s.Ctx, dtypes.Float32).Value(); err == nil &&
		!allFinite(tensors.MustCopyFlatData[float32](centers)) {
		e.What += ", and the centers are no longer finite"
	}
	if s.Checkpoint != nil {
		e.Kept = "the last checkpoint, in " + s.Checkpoint.Dir() + ", is kept as it was"
	}
	return e
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func allFinite(xs []float32) bool {
	for _, x := range xs {
		if !finite(float64(x)) {
			return false
		}
	}
	return true
}

// LastLoss is the total loss (softmax + λ·center) of the last training step.
func (s *Session) LastLoss() float64 { return s.lastLoss }

// TakeLossMeans returns the mean training losses since the previous call and starts new sums.
func (s *Session) TakeLossMeans() (total, softmax, center float64) {
	sums := s.sums
	s.sums = lossSums{}
	if sums.steps == 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	n := float64(sums.steps)
	return sums.total / n, sums.softmax / n, sums.center / n
}

// Evaluate runs the network over the test split.
func (s *Session) Evaluate() (*Evaluation, error) { return s.embedder.Evaluate(s.Data.Test) }

// Save writes a checkpoint, if the session keeps them, and syncs it to disk (see checkpoint.go for why a crash
// during Save cannot cost the previous checkpoint).
func (s *Session) Save() error {
	if s.Checkpoint == nil {
		return nil
	}
	if err := s.Checkpoint.Save(); err != nil {
		return err
	}
	return syncCheckpoint(s.Checkpoint)
}

// MedianStepTime is the median duration of the training steps of the last RunSteps call.
func (s *Session) MedianStepTime() time.Duration { return s.Loop.MedianTrainStepDuration() }

// String describes the session in one line.
func (s *Session) String() string {
	return fmt.Sprintf("LeNet++ λ=%g α=%g, %d steps/epoch, step %d, on %s",
		model.GetParamOr(s.Ctx, ParamLambda, 0.0), model.GetParamOr(s.Ctx, ParamAlpha, 0.0),
		s.StepsPerEpoch, s.GlobalStep(), s.Backend.Name())
}

// ScalarValue reads a scalar metric of any float dtype (NaN for any other).
func ScalarValue(t *tensors.Tensor) float64 {
	switch v := t.Value().(type) {
	case float32:
		return float64(v)
	case float64:
		return v
	}
	return math.NaN()
}
