package centerloss

import (
	"math"
	"testing"

	"github.com/centerloss/centerloss/centerloss/internal/testbackend"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// A small batch for the training tests: classes 0 (four samples) and 2 (two), class 1 absent.
var (
	sixFeatures = [][]float32{{2, 1}, {3, 2}, {1, 3}, {2, 2}, {-1, 0}, {0, -2}}
	sixLabels   = []int32{0, 0, 0, 0, 2, 2}
)

const threeClasses = 3

// centersPath is where the centers live in the store.
var centersPath = model.JoinPath("/", CentersScope, CentersVariableName)

// storedCenters reads the centers variable of store.
func storedCenters(t *testing.T, store *model.Store) []float32 {
	t.Helper()
	v := store.GetVariable(centersPath)
	if v == nil {
		t.Fatalf("no variable %s in the store", centersPath)
	}
	return tensors.MustCopyFlatData[float32](v.MustValue())
}

func zeroCenters(numClasses, dim int) [][]float32 {
	c := make([][]float32, numClasses)
	for j := range c {
		c[j] = make([]float32, dim)
	}
	return c
}

func unflatten(flat []float32, dim int) [][]float32 {
	rows := make([][]float32, len(flat)/dim)
	for j := range rows {
		rows[j] = flat[j*dim : (j+1)*dim]
	}
	return rows
}

// TestTrackCentersInModelExec: in a model.Exec graph marked as training, TrackCenters returns L_C against the
// stored centers and writes Eq. 4's centers back to /center_loss/centers, step after step; in a graph that is not
// training it returns L_C and leaves the centers alone.
func TestTrackCentersInModelExec(t *testing.T) {
	backend := testbackend.Get(t)
	store := model.NewStore()
	Alpha.Set(store.RootScope(), 0.5)
	track := func(training bool) *model.Exec {
		return model.MustNewExec(backend, store, func(scope *model.Scope, x, y *graph.Node) *graph.Node {
			scope.Store().SetTraining(x.Graph(), training)
			return TrackCenters(scope, x, y, threeClasses)
		})
	}
	trainExec, evalExec := track(true), track(false)
	centers := zeroCenters(threeClasses, 2)
	for step := range 3 {
		loss := tensors.ToScalar[float32](trainExec.MustCall1(sixFeatures, sixLabels))
		if want := centerLossLoop(sixFeatures, sixLabels, centers); math.Abs(float64(loss)-want) > 1e-5*want {
			t.Errorf("step %d: L_C = %v, want %v", step, loss, want)
		}
		centers = updateCentersLoop(sixFeatures, sixLabels, centers, 0.5)
		got := storedCenters(t, store)
		testbackend.AssertClose(t, "centers after a training step", flatten(centers), got, 1e-5)
		centers = unflatten(got, 2)
	}
	before := storedCenters(t, store)
	loss := tensors.ToScalar[float32](evalExec.MustCall1(sixFeatures, sixLabels))
	if want := centerLossLoop(sixFeatures, sixLabels, centers); math.Abs(float64(loss)-want) > 1e-5*want {
		t.Errorf("eval: L_C = %v, want %v", loss, want)
	}
	assertAbsentUnchanged(t, "eval", unflatten(before, 2), storedCenters(t, store), nil) // nothing moves
}

// linearModel returns logits = features · W (W [2, classes], trainable, starting at zero) and the inputs
// themselves as features, so that the softmax loss of the first step is ln(classes) and the center update only
// depends on the batch.
func linearModel(scope *model.Scope, x *graph.Node) (*graph.Node, *graph.Node) {
	w := scope.In("classifier").WithInitializer(initializer.Zero).
		VariableWithShape("weights", shapes.Make(dtypes.Float32, 2, threeClasses))
	return graph.Dot(x, w.NodeValue(x.Graph())).Product(), x
}

func sixBatch() train.Batch {
	labels := make([][]int32, len(sixLabels))
	for i, y := range sixLabels {
		labels[i] = []int32{y}
	}
	return train.Batch{Inputs: []*tensors.Tensor{tensors.FromValue(sixFeatures)},
		Labels: []*tensors.Tensor{tensors.FromValue(labels)}}
}

// TestLossTrainsTheCenters runs Loss in GoMLX's own trainer: the step's loss is L_S + λ·L_C (with W = 0 at the
// first step, L_S = ln 3), TermMetrics report both terms, the centers move by the rule CenterUpdate names (from
// the centers before the step), λ = 0 still moves them, and an evaluation step leaves them alone.
func TestLossTrainsTheCenters(t *testing.T) {
	backend := testbackend.Get(t)
	for _, c := range []struct {
		name   string
		lambda float64
		rule   string
		move   func(centers [][]float32) [][]float32
	}{
		{"eq4", 0.1, CenterUpdateEq4, func(c [][]float32) [][]float32 {
			return updateCentersLoop(sixFeatures, sixLabels, c, 0.5)
		}},
		{"eq4 λ=0", 0, CenterUpdateEq4, func(c [][]float32) [][]float32 {
			return updateCentersLoop(sixFeatures, sixLabels, c, 0.5)
		}},
		{"gradient", 0.1, CenterUpdateGradient, func(c [][]float32) [][]float32 {
			return gradientStepLoop(sixFeatures, sixLabels, c, 0.8)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			store := model.NewStore()
			scope := store.RootScope()
			Lambda.Set(scope, c.lambda)
			Alpha.Set(scope, 0.5)
			CenterUpdate.Set(scope, c.rule)
			CenterLR.Set(scope, 0.8)
			trainer := train.NewTrainer(backend, store, linearModel, Loss(scope),
				optimizer.StochasticGradientDescent().WithLearningRate(0.1).WithDecay(false).Done(),
				TermMetrics(), nil)
			centers := zeroCenters(threeClasses, 2)
			for step := range 2 {
				metrics, err := trainer.TrainStep(sixBatch())
				if err != nil {
					t.Fatal(err)
				}
				if len(metrics) != 4 {
					t.Fatalf("got %d train metrics, want loss, moving loss, softmax and center", len(metrics))
				}
				loss, softmax, center := tensors.ToScalar[float32](metrics[0]), tensors.ToScalar[float32](metrics[2]),
					tensors.ToScalar[float32](metrics[3])
				wantCenter := centerLossLoop(sixFeatures, sixLabels, centers) // against the centers before the step
				if math.Abs(float64(center)-wantCenter) > 1e-5*wantCenter {
					t.Errorf("step %d: center term = %v, want %v", step, center, wantCenter)
				}
				if step == 0 && math.Abs(float64(softmax)-math.Log(threeClasses)) > 1e-6 {
					t.Errorf("step 0: softmax term = %v, want ln 3 = %v", softmax, math.Log(threeClasses))
				}
				if want := float64(softmax) + c.lambda*float64(center); math.Abs(float64(loss)-want) > 1e-6 {
					t.Errorf("step %d: loss = %v, want L_S + λ·L_C = %v", step, loss, want)
				}
				centers = c.move(centers)
				got := storedCenters(t, store)
				testbackend.AssertClose(t, "centers", flatten(centers), got, 1e-5)
				assertAbsentUnchanged(t, "centers", zeroCenters(threeClasses, 2), got, sixLabels) // class 1 stays 0
				centers = unflatten(got, 2)
			}
			before := storedCenters(t, store)
			if _, err := trainer.EvalStep(sixBatch()); err != nil {
				t.Fatal(err)
			}
			testbackend.AssertClose(t, "centers after an evaluation step", before, storedCenters(t, store), 0)
		})
	}
}
