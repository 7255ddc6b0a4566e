package rivals

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestRivalsTrainEveryLoss trains each objective and each center update for a few steps on a small subset, with a
// held-out digit: each must train without error, record how its accuracy was taken, and fill the table.
func TestRivalsTrainEveryLoss(t *testing.T) {
	if testing.Short() {
		t.Skip("trains six models for 12 steps each")
	}
	backend := testbackend.Get(t)
	d := subset(mnistForTest(t), 1024, 500)
	scope := smallContext()
	scope.SetParams(map[string]any{ParamTrainSteps: 12, ParamHoldoutDigit: 9, ParamKNNGallerySize: 1000})
	results, err := Rivals(scope, backend, d, t.TempDir(), append(LossRivals(0.01), CenterUpdateRivals()...), os.Stdout)
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
	none := &RivalResult{Rival: Rival{Name: "a"}, Record: &Record{}}
	with := &RivalResult{Rival: Rival{Name: "b"}, Record: &Record{}}
	with.Record.OpenSetAUROC, with.Record.HoldoutDigit = Some(0.875), Some(9)
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
