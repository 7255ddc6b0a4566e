// Package rivals trains several configurations of LeNet++ on the same seed, data, batch order and length, and
// lays their records side by side: softmax alone, center loss, the contrastive and triplet losses, or the two ways
// of moving the centers.
package rivals

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/data"
	"github.com/centerloss/centerloss/centerloss/evaluation"
	"github.com/centerloss/centerloss/centerloss/metricloss"
	"github.com/centerloss/centerloss/centerloss/training"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/pkg/errors"
)

// Rival is one configuration of a comparison: a name (its sub-folder) and the settings it changes from the
// shared store, by key.
type Rival struct {
	Name   string
	Params map[string]any
}

// LossRivals are the four objectives of the comparison, on the same network: softmax alone (λ = 0), softmax +
// center loss (the store's λ, or 0.01 if it is 0), contrastive loss on pairs (the Siamese network's) and
// triplet loss. The metric losses train no classifier: their accuracy is the nearest class mean's.
func LossRivals(lambda float64) []Rival {
	if lambda <= 0 {
		lambda = 0.01
	}
	return []Rival{
		{"softmax", map[string]any{metricloss.Loss.Key: metricloss.LossSoftmaxCenter, centerloss.Lambda.Key: 0.0}},
		{"center", map[string]any{metricloss.Loss.Key: metricloss.LossSoftmaxCenter, centerloss.Lambda.Key: lambda}},
		{"contrastive", map[string]any{metricloss.Loss.Key: metricloss.LossContrastive, centerloss.Lambda.Key: 0.0}},
		{"triplet", map[string]any{metricloss.Loss.Key: metricloss.LossTriplet, centerloss.Lambda.Key: 0.0}},
	}
}

// SoftmaxAndCenter are the paper's comparison: the softmax baseline (λ = 0) beside center loss (λ > 0), the same
// network, data, seed, schedule and length, differing only in λ.
func SoftmaxAndCenter(lambda float64) ([]Rival, error) {
	if lambda <= 0 {
		return nil, errors.Errorf("setting %s=%v: the comparison needs λ > 0 for its center-loss run",
			centerloss.Lambda.Key, lambda)
	}
	return []Rival{
		{"softmax", map[string]any{centerloss.Lambda.Key: 0.0}},
		{"centerloss", map[string]any{centerloss.Lambda.Key: lambda}},
	}, nil
}

// CenterUpdateRivals are the two ways of moving the centers, with the same λ: the paper's Eq. 4 (α) and a
// gradient step on the centers (center_lr).
func CenterUpdateRivals() []Rival {
	return []Rival{
		{"eq4", map[string]any{centerloss.CenterUpdate.Key: centerloss.CenterUpdateEq4}},
		{"gradient", map[string]any{centerloss.CenterUpdate.Key: centerloss.CenterUpdateGradient}},
	}
}

// RivalResult is one trained rival: its last record (the metrics), the test evaluation of the final model (the
// features to draw; its Accuracy is the softmax's, see Record.AccuracyBy for the metric losses), and its folder.
type RivalResult struct {
	Rival
	Record     *training.Record
	Evaluation *evaluation.Evaluation
	Dir        string
}

// Rivals trains each rival from store with its settings changed, all with the same seed, data, batch order and
// number of steps (the store's train_steps, or epochs), each in outDir/<name> (metrics.jsonl, pictures,
// checkpoint), and returns them in order. An outDir already trained to this length is an error: use another.
func Rivals(store *model.Store, backend compute.Backend, dataset *data.Dataset, outDir string, rivals []Rival,
	log io.Writer) ([]*RivalResult, error) {
	var results []*RivalResult
	for _, rival := range rivals {
		runStore := model.NewStore()
		for path, value := range store.IterParams() {
			runStore.SetParam(path, value)
		}
		var set []string
		for key, value := range rival.Params {
			runStore.SetParam(key, value)
			set = append(set, key)
		}
		dir := filepath.Join(outDir, rival.Name)
		_, _ = fmt.Fprintf(log, "== %s → %s\n", rival.Name, dir)
		session, err := training.NewSession(runStore, backend, dataset, filepath.Join(dir, "checkpoint"), set)
		if err != nil {
			return results, errors.WithMessage(err, rival.Name)
		}
		record, err := training.Run(session, dir, log)
		if err != nil {
			return results, errors.WithMessage(err, rival.Name)
		}
		if record == nil {
			return results, errors.Errorf("%s: the checkpoint there is already trained to this length; use another -out", dir)
		}
		eval, err := session.Evaluate()
		if err != nil {
			return results, errors.WithMessage(err, rival.Name)
		}
		results = append(results, &RivalResult{Rival: rival, Record: record, Evaluation: eval, Dir: dir})
	}
	return results, nil
}

// RivalsTable prints the rivals side by side, one column each: test accuracy (and by what), kNN and nearest-mean
// accuracy, spread, separation and their ratio, the open-set AUROC when a digit was held out, and the median step.
func RivalsTable(w io.Writer, results []*RivalResult) {
	if len(results) == 0 {
		return
	}
	row := func(name string, cell func(r *training.Record) string) {
		cells := []string{fmt.Sprintf("%-34s", name)}
		for _, res := range results {
			cells = append(cells, fmt.Sprintf("%14s", cell(res.Record)))
		}
		_, _ = fmt.Fprintln(w, strings.Join(cells, " "))
	}
	f := func(format string, get func(r *training.Record) float64) func(r *training.Record) string {
		return func(r *training.Record) string { return fmt.Sprintf(format, get(r)) }
	}
	header := []string{fmt.Sprintf("%-34s", "")}
	for _, res := range results {
		header = append(header, fmt.Sprintf("%14s", res.Name))
	}
	_, _ = fmt.Fprintln(w, strings.Join(header, " "))
	row("steps", f("%.0f", func(r *training.Record) float64 { return float64(r.Step) }))
	row("test accuracy %", f("%.2f", func(r *training.Record) float64 { return 100 * r.TestAccuracy }))
	row("  accuracy by", func(r *training.Record) string { return r.AccuracyBy })
	row("mean distance to own center", f("%.3f", func(r *training.Record) float64 { return r.MeanCenterDistance }))
	row("kNN accuracy %", f("%.2f", func(r *training.Record) float64 { return 100 * r.KNNAccuracy }))
	row("nearest-mean accuracy %", f("%.2f", func(r *training.Record) float64 { return 100 * r.NearestMeanAccuracy }))
	// The intra-class spread is the mean distance to own center over the known digits: a row of its own only when a
	// digit is held out (whose center no training step moves), where the two differ.
	heldOut := slices.IndexFunc(results, func(res *RivalResult) bool { return res.Record.HoldoutDigit.OK }) >= 0
	if heldOut {
		row("intra-class spread (known digits)", f("%.3f", func(r *training.Record) float64 { return r.IntraClassSpread }))
	}
	row("inter-class separation", f("%.3f", func(r *training.Record) float64 { return r.InterClassSeparation }))
	row("intra/inter ratio (lower better)", func(r *training.Record) string {
		if !r.IntraInterRatio.OK {
			return "—"
		}
		return fmt.Sprintf("%.3f", r.IntraInterRatio.Value)
	})
	// One row if any rival held a digit out (they all share the setting).
	if i := slices.IndexFunc(results, func(res *RivalResult) bool { return res.Record.OpenSetAUROC.OK }); i >= 0 {
		row(fmt.Sprintf("open-set AUROC (digit %d out)", results[i].Record.HoldoutDigit.Value), func(r *training.Record) string {
			if !r.OpenSetAUROC.OK {
				return "—"
			}
			return fmt.Sprintf("%.3f", r.OpenSetAUROC.Value)
		})
	}
	row("minutes", f("%.1f", func(r *training.Record) float64 { return r.Seconds / 60 }))
	row("median step ms", f("%.0f", func(r *training.Record) float64 { return r.MedianStepMillis }))
}
