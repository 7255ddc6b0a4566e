package exercise

import (
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/data"
	"github.com/centerloss/centerloss/centerloss/language"
	"github.com/centerloss/centerloss/centerloss/training"
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/pkg/errors"
)

// RunOptions are the settings of the lesson's short training run with the learner's own functions.
type RunOptions struct {
	Lambda float64 // λ, the weight of L_C in L = L_S + λ·L_C (centerloss.Lambda)
	Alpha  float64 // α, the step of Eq. 4 (centerloss.Alpha)
	Steps  int     // training steps, in batches of training.BatchSize's default (128)
	Seed   int64   // draws the starting weights and the order of the batches (training.Seed)
}

// Run is what the learner's training cell needs to train LeNet++ exactly as the library's run of the same options
// does: a store with the options set and its random state drawn from the seed, the batches in the seed's order and
// the library's optimizer. The cell builds the loss and GoMLX's trainer and loop itself; CompareWithLibrary then
// trains the library's own run (training.Session, centerloss.Loss) and compares the two, step by step.
type Run struct {
	RunOptions
	Backend compute.Backend
	Store   *model.Store
	Scope   *model.Scope // the store's root: where the centers variable lives

	dataset    *data.Dataset
	batches    *training.ShuffledBatches
	perEpoch   int
	losses     []float64 // the learner's run, one per step
	standingIn []string  // the learner's functions the library's stood in for
}

var mnist = sync.OnceValues(data.LoadMNIST)

// NewRun prepares a run of o on MNIST, on the XLA backend. Its options are checked as the library's settings are.
func NewRun(o RunOptions) (*Run, error) {
	backend, err := defaultBackend()
	if err != nil {
		return nil, err
	}
	dataset, err := mnist()
	if err != nil {
		return nil, err
	}
	store, err := runStore(o)
	if err != nil {
		return nil, err
	}
	split, err := training.TrainingSplit(store.RootScope(), dataset)
	if err != nil {
		return nil, err
	}
	batches, err := training.NewShuffledBatches(split, training.BatchSize.Get(store.RootScope()))
	if err != nil {
		return nil, err
	}
	if o.Steps < 1 || o.Steps > batches.StepsPerEpoch() {
		return nil, errors.Errorf("exercise.RunOptions: Steps=%d, want 1 to %d (one epoch)", o.Steps,
			batches.StepsPerEpoch())
	}
	batches.SeekEpoch(o.Seed, 0, 0)
	return &Run{RunOptions: o, Backend: backend, Store: store, Scope: store.RootScope(), dataset: dataset,
		batches: batches, perEpoch: batches.StepsPerEpoch()}, nil
}

// runStore is a new model's store with o's settings, checked, and its random state drawn from the seed, as
// training.NewSession makes it.
func runStore(o RunOptions) (*model.Store, error) {
	store := training.NewStore()
	scope := store.RootScope()
	centerloss.Lambda.Set(scope, o.Lambda)
	centerloss.Alpha.Set(scope, o.Alpha)
	training.Seed.Set(scope, o.Seed)
	if err := training.ValidateSettings(store); err != nil {
		return nil, errors.WithMessage(err, "exercise.RunOptions")
	}
	return store, store.SetRNGStateFromSeed(o.Seed)
}

// Batches are the training batches of the run, images [128, 28, 28, 1] and labels [128, 1], in the seed's order.
func (r *Run) Batches() train.Dataset { return r.batches }

// Optimizer is the library's: SGD with momentum 0.9 at the default rate, as training.Session trains.
func (r *Run) Optimizer() optimizer.Interface { return training.NewSGDMomentum(r.Scope, r.perEpoch) }

// RecordLosses keeps the loss of every step loop takes, for CompareWithLibrary.
func (r *Run) RecordLosses(loop *train.Loop) {
	loop.OnStep("exercise: record the losses", train.Priority(0), func(loop *train.Loop, metrics []*tensors.Tensor) error {
		r.losses = append(r.losses, lossOf(loop.Trainer, metrics))
		return nil
	})
}

// lossOf is the batch loss among a step's metrics.
func lossOf(trainer *train.Trainer, metrics []*tensors.Tensor) float64 {
	for i, m := range trainer.TrainMetrics() {
		if m.ShortName() == "loss" {
			return training.ScalarValue(metrics[i])
		}
	}
	return math.NaN()
}

// CenterLossFn and UpdateCentersFn are the two exercises' functions: L_C of features x [batch, dim], labels y
// [batch] and centers c [classes, dim]; and the centers after Eq. 4.
type (
	CenterLossFn    = func(x, y, c *graph.Node) *graph.Node
	UpdateCentersFn = func(x, y, c *graph.Node, alpha float64) *graph.Node
)

// Yours returns the learner's two functions, or the library's (centerloss.CenterLoss, centerloss.UpdateCenters) in
// place of one that returns nil, panics, or returns the wrong shape or dtype on a batch of the run's shapes: it says
// which, in one line each, and the lesson goes on with the library's.
func (r *Run) Yours(myCenterLoss CenterLossFn, myUpdateCenters UpdateCentersFn) (CenterLossFn, UpdateCentersFn) {
	lossName, updateName := functionName(myCenterLoss, "myCenterLoss"), functionName(myUpdateCenters, "myUpdateCenters")
	scalar := shapes.Make(dtypes.Float32)
	if why := r.unusable(func(x, y, c *graph.Node) *graph.Node { return myCenterLoss(x, y, c) }, scalar); why != "" {
		r.standIn(lossName, "centerloss.CenterLoss", why)
		myCenterLoss = centerloss.CenterLoss
	}
	centers := shapes.Make(dtypes.Float32, runClasses, runDim)
	if why := r.unusable(func(x, y, c *graph.Node) *graph.Node { return myUpdateCenters(x, y, c, r.Alpha) },
		centers); why != "" {
		r.standIn(updateName, "centerloss.UpdateCenters", why)
		myUpdateCenters = centerloss.UpdateCenters
	}
	return myCenterLoss, myUpdateCenters
}

// The run's features and centers: LeNet++'s 2-D features of MNIST's 10 classes.
const runClasses, runDim = 10, 2

// unusable builds fn on the run's shapes (features [batch, 2], labels [batch] int32, centers [10, 2]) and says what
// keeps it from a training graph: it returns nil, panics, or returns another shape or dtype than want. "" when it
// can train.
func (r *Run) unusable(fn func(x, y, c *graph.Node) *graph.Node, want shapes.Shape) (why string) {
	batch := training.BatchSize.Get(r.Scope)
	g := graph.NewGraph(r.Backend, "exercise_probe")
	defer g.Finalize()
	x := graph.Parameter(g, "x", shapes.Make(dtypes.Float32, batch, runDim))
	y := graph.Parameter(g, "y", shapes.Make(dtypes.Int32, batch))
	c := graph.Parameter(g, "c", shapes.Make(dtypes.Float32, runClasses, runDim))
	out, panicked := callLearner(func() *graph.Node { return fn(x, y, c) })
	switch {
	case panicked != "":
		return language.Sayf("panics (%s)", panicked)
	case out == nil:
		return language.Say("returns nil")
	case !slices.Equal(out.Shape().Dimensions, want.Dimensions):
		return language.Sayf("returns shape %v, not %v", out.Shape().Dimensions, want.Dimensions)
	case out.DType() != want.DType:
		return language.Sayf("returns %s values, not %s", out.DType(), want.DType)
	}
	return ""
}

func (r *Run) standIn(yours, library, why string) {
	r.standingIn = append(r.standingIn, yours)
	fmt.Println(language.Sayf("✗ %s %s: the library's %s trains in its place", yours, why, library))
}

// Tolerance is how close the learner's losses must be to the library's run, relative to the loss. Training
// amplifies rounding: Eq. 4 written another correct way (its sums in another order, a one-hot matrix) stays within
// 1e-6 of the library for about ten steps, then parts by more with every step; a slip in the method (the centers
// left where they are, the 1 missing from Eq. 4's denominator) parts by more than Tolerance within those steps.
const Tolerance = 1e-4

// CompareWithLibrary trains the library's run of the same options (training.Session with centerloss.Loss, the same
// starting weights and batches) and compares its loss at every step with the learner's: ✓, or the first step where
// they part and by how much. It prints its line and returns it as a Report.
func CompareWithLibrary(r *Run) *Report {
	library, err := r.libraryLosses()
	if err != nil {
		return publish(&Report{line: language.Sayf("✗ the library's run failed: %s", firstLine(err.Error()))})
	}
	return publish(r.compare(library))
}

// compare is the verdict of the learner's losses against the library's.
func (r *Run) compare(library []float64) *Report {
	if len(r.losses) != len(library) {
		return &Report{line: language.Sayf("✗ your run recorded %d steps, the library's took %d: call run.RecordLosses(loop), then loop.RunSteps(run.Batches(), run.Steps)",
			len(r.losses), len(library))}
	}
	largest := 0.0
	for step, want := range library {
		got := r.losses[step]
		diff := math.Abs(got - want)
		if !(diff <= Tolerance*max(1, math.Abs(want))) { // NaN included
			return &Report{line: language.Sayf("✗ step %d: your loss is %.6f, the library's %.6f (they part by %.2g)",
				step+1, got, want, diff)}
		}
		largest = max(largest, diff)
	}
	first, last := library[0], library[len(library)-1]
	switch len(r.standingIn) {
	case 0:
		return &Report{ok: true, line: language.Sayf("✓ your center loss and Eq. 4 trained LeNet++ for %d steps: every step's loss is the library's run's to %g (largest difference %.1g; loss %.4f → %.4f)",
			len(library), Tolerance, largest, first, last)}
	case 1:
		return &Report{line: language.Sayf("the library's function trained in place of your %s (loss %.4f → %.4f in %d steps): write it above, run its cell, then this one again",
			r.standingIn[0], first, last, len(library))}
	}
	return &Report{line: language.Sayf("the library's functions trained in place of yours (loss %.4f → %.4f in %d steps, as the library's run): write them above, run their cells, then this one again",
		first, last, len(library))}
}

// libraryLosses trains the library's run of the options and returns its loss at every step.
func (r *Run) libraryLosses() ([]float64, error) {
	store, err := runStore(r.RunOptions)
	if err != nil {
		return nil, err
	}
	session, err := training.NewSession(store, r.Backend, r.dataset, "", nil)
	if err != nil {
		return nil, err
	}
	var losses []float64
	session.Loop.OnStep("exercise: record the library's losses", train.Priority(0),
		func(loop *train.Loop, metrics []*tensors.Tensor) error {
			losses = append(losses, lossOf(loop.Trainer, metrics))
			return nil
		})
	return losses, session.TrainSteps(r.Steps)
}
