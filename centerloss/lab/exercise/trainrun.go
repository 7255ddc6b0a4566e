package exercise

import (
	"fmt"
	"math"
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
// place of one that returns nil, panics or returns the wrong shape on a small batch: it says which, in one line
// each, and the lesson goes on with the library's.
func (r *Run) Yours(myCenterLoss CenterLossFn, myUpdateCenters UpdateCentersFn) (CenterLossFn, UpdateCentersFn) {
	lossName, updateName := functionName(myCenterLoss, "myCenterLoss"), functionName(myUpdateCenters, "myUpdateCenters")
	if why := r.unusable(func(x, y, c *graph.Node) *graph.Node { return myCenterLoss(x, y, c) }, 0); why != "" {
		r.standIn(lossName, "centerloss.CenterLoss", why)
		myCenterLoss = centerloss.CenterLoss
	}
	if why := r.unusable(func(x, y, c *graph.Node) *graph.Node { return myUpdateCenters(x, y, c, r.Alpha) }, 2); why != "" {
		r.standIn(updateName, "centerloss.UpdateCenters", why)
		myUpdateCenters = centerloss.UpdateCenters
	}
	return myCenterLoss, myUpdateCenters
}

// unusable builds fn on a batch of 4 features [4, 2] of 3 classes and says what keeps it from a training graph: it
// returns nil, panics, or its output is not of rank rank. "" when it can train.
func (r *Run) unusable(fn func(x, y, c *graph.Node) *graph.Node, rank int) (why string) {
	g := graph.NewGraph(r.Backend, "exercise_probe")
	defer g.Finalize()
	x := graph.Parameter(g, "x", shapes.Make(dtypes.Float32, 4, 2))
	y := graph.Parameter(g, "y", shapes.Make(dtypes.Int32, 4))
	c := graph.Parameter(g, "c", shapes.Make(dtypes.Float32, 3, 2))
	out, panicked := callLearner(func() *graph.Node { return fn(x, y, c) })
	switch {
	case panicked != "":
		return language.Sayf("panics (%s)", panicked)
	case out == nil:
		return language.Say("returns nil")
	case out.Rank() != rank:
		return language.Sayf("returns shape %v", out.Shape().Dimensions)
	}
	return ""
}

func (r *Run) standIn(yours, library, why string) {
	r.standingIn = append(r.standingIn, yours)
	fmt.Println(language.Sayf("✗ %s %s: the library's %s trains in its place", yours, why, library))
}

// Tolerance is how close the learner's losses must be to the library's run, relative to the loss: float32
// rounding in a different order of operations (a one-hot sum, say) stays far below it over a short run.
const Tolerance = 1e-4

// CompareWithLibrary trains the library's run of the same options (training.Session with centerloss.Loss, the same
// starting weights and batches) and compares its loss at every step with the learner's: ✓, or the first step where
// they part and by how much. It prints its line and returns it as a Report.
func CompareWithLibrary(r *Run) *Report {
	library, err := r.libraryLosses()
	if err != nil {
		return publish(&Report{line: language.Sayf("✗ the library's run failed: %s", firstLine(err.Error()))})
	}
	if len(r.losses) != len(library) {
		return publish(&Report{line: language.Sayf("✗ your run took %d steps, the library's %d: call run.RecordLosses(loop) before loop.RunSteps(run.Batches(), run.Steps)",
			len(r.losses), len(library))})
	}
	largest := 0.0
	for step, want := range library {
		got := r.losses[step]
		diff := math.Abs(got - want)
		if !(diff <= Tolerance*max(1, math.Abs(want))) { // NaN included
			return publish(&Report{line: language.Sayf("✗ step %d: your loss is %.6f, the library's %.6f (they part by %.2g)",
				step+1, got, want, diff)})
		}
		largest = max(largest, diff)
	}
	last := library[len(library)-1]
	if len(r.standingIn) > 0 {
		return publish(&Report{line: language.Sayf("the library's functions trained in place of yours (loss %.4f → %.4f in %d steps, as the library's run): write them above, run their cells, then this one again",
			library[0], last, len(library))})
	}
	return publish(&Report{ok: true, line: language.Sayf("✓ your center loss and Eq. 4 trained LeNet++ for %d steps: every step's loss is the library's run's to %g (largest difference %.1g; loss %.4f → %.4f)",
		len(library), Tolerance, largest, library[0], last)})
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
