package exercise

import (
	"regexp"
	"strings"
	"testing"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/lenetpp"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/train"
)

// trainWith is lesson 3's training cell, up to its last line: LeNet++ trained by the joint loss built from
// centerLoss and updateCenters, the centers a variable that Eq. 4 moves inside the step, on GoMLX's trainer and loop.
func trainWith(t *testing.T, run *Run, myCenterLoss CenterLossFn, myUpdateCenters UpdateCentersFn) {
	t.Helper()
	centerLoss, updateCenters := run.Yours(myCenterLoss, myUpdateCenters)
	jointLoss := func(labels, predictions []*graph.Node) *graph.Node {
		logits, features := predictions[0], predictions[1]     // [batch, 10], [batch, 2]
		g, y := features.Graph(), graph.Squeeze(labels[0], -1) // y [batch]
		centers := centerloss.CentersVar(run.Scope, 10, 2, features.DType())
		c := centers.NodeValue(g) // [10, 2]
		if run.Scope.IsTraining(g) {
			centers.SetNodeValue(updateCenters(features, y, c, run.Alpha))
		}
		return graph.Add(centerloss.SoftmaxLoss(labels[0], logits), graph.MulScalar(centerLoss(features, y, c), run.Lambda))
	}
	trainer := train.NewTrainer(run.Backend, run.Store, lenetpp.ModelFn, jointLoss, run.Optimizer(), nil, nil)
	loop := train.NewLoop(trainer)
	run.RecordLosses(loop)
	if _, err := loop.RunSteps(run.Batches(), run.Steps); err != nil {
		t.Fatal(err)
	}
}

// lessonOptions are the options of lesson 3's training cell.
var lessonOptions = RunOptions{Lambda: 0.1, Alpha: 0.5, Steps: 10, Seed: 1}

// withoutTheOne is Eq. 4 divided by n_j instead of 1 + n_j; oneHot is Eq. 4 by a one-hot matrix, correct.
func withoutTheOne(x, y, c *graph.Node, alpha float64) *graph.Node {
	x = graph.StopGradient(x)
	index := graph.InsertAxes(y, -1)
	same := graph.ConvertDType(graph.Equal(graph.InsertAxes(y, 1), graph.InsertAxes(y, 0)), x.DType())
	n := graph.InsertAxes(graph.ReduceSum(same, -1), -1)
	terms := graph.Div(graph.Sub(graph.Gather(c, index), x), n)
	return graph.ScatterSum(c, index, graph.MulScalar(terms, -alpha), false, false)
}

func oneHot(x, y, c *graph.Node, alpha float64) *graph.Node {
	x = graph.StopGradient(x)
	oneHot := graph.OneHot(y, c.Shape().Dimensions[0], x.DType())          // [batch, classes]
	n := graph.InsertAxes(graph.ReduceSum(oneHot, 0), -1)                  // [classes, 1]
	sums := graph.MatMul(graph.Transpose(oneHot, 0, 1), x)                 // [classes, dim]
	delta := graph.Div(graph.Sub(graph.Mul(n, c), sums), graph.OnePlus(n)) // Δc_j
	return graph.Sub(c, graph.MulScalar(delta, alpha))
}

// TestTheTrainingCellTellsRightFromWrong runs the lesson's training cell with the lesson's options, against one
// library run: the solutions and a one-hot Eq. 4 say ✓; centers left where they are, and the 1 missing from the
// denominator, agree at step 1 (its loss is computed from the centers before any update) and part within the ten
// steps, as the lesson's answer says; empty exercises train with the library's functions and say so.
func TestTheTrainingCellTellsRightFromWrong(t *testing.T) {
	first, err := NewRun(lessonOptions)
	if err != nil {
		t.Fatal(err)
	}
	library, err := first.libraryLosses()
	if err != nil {
		t.Fatal(err)
	}
	noUpdate := func(x, y, c *graph.Node, alpha float64) *graph.Node { return c }
	nilLoss := func(x, y, c *graph.Node) *graph.Node { return nil }
	nilUpdate := func(x, y, c *graph.Node, alpha float64) *graph.Node { return nil }
	for _, tc := range []struct {
		name   string
		loss   CenterLossFn
		update UpdateCentersFn
		want   string
	}{
		{"the solutions", myCenterLoss, myUpdateCenters, `^✓ .* for 10 steps`},
		{"a one-hot Eq. 4", myCenterLoss, oneHot, `^✓ `},
		{"centers that never move", myCenterLoss, noUpdate, `^✗ step ([2-9]|10): your loss is`},
		{"no 1 in the denominator", myCenterLoss, withoutTheOne, `^✗ step ([3-9]|10): your loss is`},
		{"empty exercises", nilLoss, nilUpdate, `^the library's functions trained in place of yours`},
		{"an empty update", myCenterLoss, nilUpdate, `^the library's function trained in place of your myUpdateCenters \(`},
	} {
		run := first
		if tc.name != "the solutions" {
			if run, err = NewRun(lessonOptions); err != nil {
				t.Fatal(err)
			}
		}
		trainWith(t, run, tc.loss, tc.update)
		report := run.compare(library)
		if !regexp.MustCompile(tc.want).MatchString(report.String()) || report.OK() != strings.HasPrefix(tc.want, "^✓") {
			t.Errorf("%s: %s", tc.name, report)
		}
	}
}

// TestYoursStandsInForWhatCannotTrain: the probe, on the run's shapes, catches a wrong shape or dtype before the
// trainer would panic, and keeps a function that only computes wrong values.
func TestYoursStandsInForWhatCannotTrain(t *testing.T) {
	run, err := NewRun(lessonOptions)
	if err != nil {
		t.Fatal(err)
	}
	perSample := func(x, y, c *graph.Node, alpha float64) *graph.Node { return x } // [batch, 2], not [10, 2]
	perSampleLoss := func(x, y, c *graph.Node) *graph.Node { return graph.ReduceSum(x, -1) }
	doubled := func(x, y, c *graph.Node) *graph.Node { return graph.MulScalar(myCenterLoss(x, y, c), 2) }
	loss, update := run.Yours(perSampleLoss, perSample)
	if len(run.standingIn) != 2 {
		t.Errorf("stood in for %v, want both", run.standingIn)
	}
	_, _ = loss, update
	run.standingIn = nil
	run.Yours(doubled, myUpdateCenters)
	if len(run.standingIn) != 0 {
		t.Errorf("stood in for %v: a wrong value trains, and the comparison says where it parts", run.standingIn)
	}
}
func TestRunOptionsAreChecked(t *testing.T) {
	for _, o := range []RunOptions{{Lambda: -1, Alpha: 0.5, Steps: 2}, {Lambda: 0.1, Alpha: 0.5, Steps: 0},
		{Lambda: 0.1, Alpha: 0.5, Steps: 10_000}} {
		if _, err := NewRun(o); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
}
