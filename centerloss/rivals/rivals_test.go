package rivals

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/evaluation"
	"github.com/centerloss/centerloss/centerloss/internal/testbackend"
	"github.com/centerloss/centerloss/centerloss/training"
)

// TestRivalsTrainEveryLoss trains each objective and each center update for a few steps on a small subset, with a
// held-out digit: each must train without error, record how its accuracy was taken, and fill the table.
func TestRivalsTrainEveryLoss(t *testing.T) {
	if testing.Short() {
		t.Skip("trains six models for 12 steps each")
	}
	backend := testbackend.Get(t)
	d := testbackend.MNISTSubset(t, 1024, 500)
	store := training.NewStore()
	scope := store.RootScope()
	training.BatchSize.Set(scope, 64)
	training.TrainSteps.Set(scope, 12)
	training.HoldoutDigit.Set(scope, 9)
	evaluation.KNNGallerySize.Set(scope, 1000)
	results, err := Rivals(store, backend, d, t.TempDir(), append(LossRivals(0.01), CenterUpdateRivals()...), os.Stdout)
	if err != nil {
		t.Fatal(err)
	}
	var table bytes.Buffer
	RivalsTable(&table, results)
	t.Log("\n" + table.String())
	want := map[string]string{"softmax": "softmax", "center": "softmax", "contrastive": "nearest_center",
		"triplet": "nearest_center", "eq4": "softmax", "gradient": "softmax"}
	for _, r := range results {
		if r.Record.AccuracyBy != want[r.Name] || r.Record.Step != 12 || !r.Record.OpenSetAUROC.OK {
			t.Errorf("%s: accuracy by %q, step %d, AUROC %v", r.Name, r.Record.AccuracyBy, r.Record.Step, r.Record.OpenSetAUROC)
		}
		if r.Record.Loss == "" || r.Record.CenterUpdate == "" || len(r.Evaluation.Features) != 500 {
			t.Errorf("%s: record %+v", r.Name, r.Record)
		}
	}
	if !strings.Contains(table.String(), "open-set AUROC (digit 9 out)") {
		t.Errorf("table:\n%s", table.String())
	}
}

// TestRivalsTableAUROCRow: the AUROC row appears when any rival has one (a dash where one has none), and not at
// all when none held a digit out.
func TestRivalsTableAUROCRow(t *testing.T) {
	none := &RivalResult{Rival: Rival{Name: "a"}, Record: &training.Record{}}
	with := &RivalResult{Rival: Rival{Name: "b"}, Record: &training.Record{}}
	with.Record.OpenSetAUROC, with.Record.HoldoutDigit = evaluation.Some(0.875), evaluation.Some(9)
	var table bytes.Buffer
	RivalsTable(&table, []*RivalResult{none, with})
	var row string
	for _, line := range strings.Split(table.String(), "\n") {
		if strings.HasPrefix(line, "open-set AUROC (digit 9 out)") {
			row = line
		}
	}
	if fields := strings.Fields(row); len(fields) < 2 || fields[len(fields)-2] != "—" || fields[len(fields)-1] != "0.875" {
		t.Errorf("AUROC row %q in:\n%s", row, table.String())
	}
	table.Reset()
	RivalsTable(&table, []*RivalResult{none})
	if strings.Contains(table.String(), "AUROC") {
		t.Errorf("an AUROC row with no digit held out:\n%s", table.String())
	}
}

// TestCenterLossShrinksClusters trains the softmax baseline and center loss the same way on real MNIST; the test
// features must end up clearly closer to their class centers with center loss.
func TestCenterLossShrinksClusters(t *testing.T) {
	if testing.Short() {
		t.Skip("trains two models for 150 steps each on MNIST")
	}
	backend := testbackend.Get(t)
	store := training.NewStore()
	training.TrainSteps.Set(store.RootScope(), 150)
	pair, err := SoftmaxAndCenter(centerloss.Lambda.Default)
	if err != nil {
		t.Fatal(err)
	}
	results, err := Rivals(store, backend, testbackend.MNIST(t), t.TempDir(), pair, os.Stdout)
	if err != nil {
		t.Fatal(err)
	}
	RivalsTable(os.Stdout, results)
	softmax, center := results[0].Record, results[1].Record
	if center.MeanCenterDistance > 0.75*softmax.MeanCenterDistance {
		t.Errorf("mean distance to center: %.3f with center loss, %.3f without: want at most 0.75×",
			center.MeanCenterDistance, softmax.MeanCenterDistance)
	}
	if softmax.TestAccuracy < 0.5 || center.TestAccuracy < 0.5 {
		t.Errorf("after 150 steps both should classify: accuracy %.3f and %.3f", softmax.TestAccuracy, center.TestAccuracy)
	}
}

func TestSoftmaxAndCenterNeedsLambda(t *testing.T) {
	if _, err := SoftmaxAndCenter(0); err == nil || !strings.Contains(err.Error(), "center_loss_lambda=0") {
		t.Errorf("λ = 0: %v", err)
	}
}
