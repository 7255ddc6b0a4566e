package centerloss

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
	backend := backendForTest(t)
	d := subset(mnistForTest(t), 1024, 500)
	ctx := smallContext()
	ctx.SetParams(map[string]any{ParamTrainSteps: 12, ParamHoldoutDigit: 9, ParamKNNGallerySize: 1000})
	results, err := Rivals(ctx, backend, d, t.TempDir(), append(LossRivals(0.01), CenterUpdateRivals()...), os.Stdout)
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
