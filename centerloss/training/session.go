// Package training trains LeNet++ (or a model of the caller's, WithModel) with center loss (or a rival objective) on GoMLX's train.Trainer and train.Loop:
// a Session drives the steps, in an order of batches that depends only on the seed and the epoch; Run drives the
// epochs, writing a Record, a picture and a snapshot of the embedding per epoch, and a checkpoint that a killed
// run resumes from exactly. SGD with momentum and its step decay, which GoMLX lacks, are in sgd.go.
package training

import (
	"fmt"
	"math"
	"time"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/data"
	"github.com/centerloss/centerloss/centerloss/evaluation"
	"github.com/centerloss/centerloss/centerloss/metricloss"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/checkpoint"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/gomlx/gomlx/ui/commandline"
	"github.com/pkg/errors"
)

// Session is one model being trained: its store (hyperparameters and variables), the backend, the data, and
// GoMLX's train.Trainer and train.Loop. A notebook drives it step by step; Run drives it epoch by epoch.
type Session struct {
	Store         *model.Store
	Backend       compute.Backend
	Data          *data.Dataset
	Trainer       *train.Trainer
	Loop          *train.Loop
	Checkpoint    *checkpoint.Handler // nil when the session keeps no checkpoint
	StepsPerEpoch int
	// SetAside says which incomplete checkpoints (left by a process killed while saving) were moved out of the
	// way before loading, one line each; empty almost always.
	SetAside []string

	scope          *model.Scope // the store's root, where the settings are read
	modelName      string
	embedder       *evaluation.Embedder
	trainSplit     data.Split // the training split less the held-out class: what the model learns from
	trainData      *ShuffledBatches
	dsEpoch, dsPos int // where trainData stands: its epoch and the batches already taken from it
	sums           lossSums
	lastLoss       float64 // the total loss of the last step
}

// lossSums accumulates the training losses between two records.
type lossSums struct {
	total, softmax, center float64
	steps                  int
}

// NewSession builds the trainer for the model in store. When checkpointDir is not empty, the latest checkpoint in
// it (if any) is loaded first, and training resumes from its global step; the settings named in settingsSet (the
// ones the user set explicitly) are not overwritten by those saved in the checkpoint. The model is LeNet++ unless
// an option (WithModel) names another.
func NewSession(store *model.Store, backend compute.Backend, dataset *data.Dataset, checkpointDir string,
	settingsSet []string, options ...SessionOption) (*Session, error) {
	o := sessionOptionsOf(options)
	s := &Session{Store: store, Backend: backend, Data: dataset, scope: store.RootScope(), modelName: o.modelName,
		dsEpoch: -1}
	var err error
	if checkpointDir != "" {
		if s.SetAside, err = SetAsideIncomplete(checkpointDir); err != nil {
			return nil, err
		}
		handler, err := checkpoint.Build(store).Dir(checkpointDir).Keep(3).ExcludeParams(settingsSet...).Done()
		if err != nil {
			return nil, errors.WithMessagef(err, "checkpoint %s", checkpointDir)
		}
		s.Checkpoint = handler
	}
	if err := ValidateSettings(store); err != nil {
		return nil, err
	}
	resuming := false
	if s.Checkpoint != nil {
		if resuming, err = s.Checkpoint.HasCheckpoints(); err != nil {
			return nil, errors.WithMessagef(err, "checkpoint %s", checkpointDir)
		}
	}
	if !resuming { // a new model: its weights are drawn from the Seed setting (a checkpoint brings its own state)
		if err := store.SetRNGStateFromSeed(Seed.Get(s.scope)); err != nil {
			return nil, err
		}
	}
	if s.trainSplit, err = TrainingSplit(s.scope, dataset); err != nil {
		return nil, err
	}
	if s.trainData, err = NewShuffledBatches(s.trainSplit, BatchSize.Get(s.scope)); err != nil {
		return nil, err
	}
	s.StepsPerEpoch = s.trainData.StepsPerEpoch()

	s.Trainer = train.NewTrainer(backend, store, o.model, metricloss.Objective(s.scope), NewSGDMomentum(s.scope,
		s.StepsPerEpoch),
		centerloss.TermMetrics(), nil)
	s.Loop = train.NewLoop(s.Trainer)
	s.Loop.OnStep("centerloss: sum losses, stop on NaN", train.Priority(0), s.onStep)
	if s.embedder, err = evaluation.NewEmbedder(backend, store, o.model, HoldoutDigit.Get(s.scope)); err != nil {
		return nil, err
	}
	return s, nil
}

// AttachProgressBar shows GoMLX's progress bar (in a terminal or a notebook) while training.
func (s *Session) AttachProgressBar() { commandline.AttachProgressBar(s.Loop) }

// GlobalStep is the number of training steps taken so far, including those of a loaded checkpoint.
func (s *Session) GlobalStep() int { return int(optimizer.GetGlobalStep(s.Store)) }

// Epoch is GlobalStep in epochs (fractional within an epoch).
func (s *Session) Epoch() float64 { return float64(s.GlobalStep()) / float64(s.StepsPerEpoch) }

// LearningRate is the rate the step schedule gives for the next step.
func (s *Session) LearningRate() float64 {
	rate := LearningRate.Get(s.scope)
	if every := LRDecayEpochs.Get(s.scope) * s.StepsPerEpoch; every > 0 {
		rate *= math.Pow(LRDecayFactor.Get(s.scope), float64(s.GlobalStep()/every))
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
			s.trainData.SeekEpoch(Seed.Get(s.scope), epoch, pos)
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
func (s *Session) onStep(_ *train.Loop, metrics []*tensors.Tensor) error {
	values := make(map[string]float64, 3)
	for i, m := range s.Trainer.TrainMetrics() {
		switch m.ShortName() {
		case "loss", "softmax", "center":
			values[m.ShortName()] = ScalarValue(metrics[i])
		}
	}
	total := values["loss"]
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
func (s *Session) Evaluate() (*evaluation.Evaluation, error) { return s.embedder.Evaluate(s.Data.Test) }

// EvaluateOn runs the network over split: a part of the test split, for a picture redrawn while training.
func (s *Session) EvaluateOn(split data.Split) (*evaluation.Evaluation, error) {
	return s.embedder.Evaluate(split)
}

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
	return fmt.Sprintf("%s λ=%g α=%g, %d steps/epoch, step %d, on %s", s.modelName,
		metricloss.EffectiveLambda(s.scope), centerloss.Alpha.Get(s.scope),
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
