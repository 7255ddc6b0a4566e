package exercise

import (
	"regexp"
	"testing"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/lenetpp"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/train"
)

// trainWith is lesson 3's training cell: LeNet++ trained by the joint loss built from centerLoss and
// updateCenters, the centers a variable that Eq. 4 moves inside the step, on GoMLX's trainer and loop.
func trainWith(t *testing.T, run *Run, myCenterLoss CenterLossFn, myUpdateCenters UpdateCentersFn) *Report {
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
	return CompareWithLibrary(run)
}

func newTestRun(t *testing.T) *Run {
	run, err := NewRun(RunOptions{Lambda: 0.1, Alpha: 0.5, Steps: 4, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	return run
}

func TestTheSolutionsTrainAsTheLibrary(t *testing.T) {
	report := trainWith(t, newTestRun(t), myCenterLoss, myUpdateCenters) // solution.go's
	if !report.OK() || !regexp.MustCompile(`^✓ .* for 4 steps`).MatchString(report.String()) {
		t.Fatal(report)
	}
}

func TestEmptyExercisesTrainWithTheLibrarys(t *testing.T) {
	run := newTestRun(t)
	report := trainWith(t, run, func(x, y, c *graph.Node) *graph.Node { return nil },
		func(x, y, c *graph.Node, alpha float64) *graph.Node { return nil })
	if report.OK() || !regexp.MustCompile(`^the library's functions trained in place of yours`).MatchString(report.String()) {
		t.Fatal(report)
	}
	if len(run.standingIn) != 2 {
		t.Errorf("stood in for %v, want both", run.standingIn)
	}
}

func TestAWrongUpdateNamesTheStepWhereTheRunsPart(t *testing.T) {
	noUpdate := func(x, y, c *graph.Node, alpha float64) *graph.Node { return c } // the centers never move
	report := trainWith(t, newTestRun(t), myCenterLoss, noUpdate)
	// The first step's loss is the same (both start from the same centers); the second differs.
	if report.OK() || !regexp.MustCompile(`^✗ step 2: your loss is`).MatchString(report.String()) {
		t.Fatal(report)
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
