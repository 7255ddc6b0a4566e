package centerloss

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/centerloss/centerloss/centerloss/data"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/pkg/errors"
)

// Comparison is the softmax baseline (λ = 0) beside center loss (λ > 0): the same network, data, seed, schedule
// and length, differing only in λ.
type Comparison struct {
	Softmax, CenterLoss *Record
}

// Compare trains the model described by ctx twice, with λ = 0 and with ctx's λ, each in its own sub-folder of
// outDir ("softmax" and "centerloss", each with metrics.jsonl, PNGs and a checkpoint), and returns their last records.
func Compare(scope *model.Scope, backend compute.Backend, dataset *data.Dataset, outDir string,
	log io.Writer) (*Comparison, error) {
	lambda := model.GetParamOr(scope, ParamLambda, 0.0)
	if lambda <= 0 {
		return nil, errors.Errorf("setting %s=%v: the comparison needs λ > 0 for its center-loss run", ParamLambda, lambda)
	}
	result := &Comparison{}
	for _, run := range []struct {
		name   string
		lambda float64
		record **Record
	}{{"softmax", 0, &result.Softmax}, {"centerloss", lambda, &result.CenterLoss}} {
		runCtx := model.New()
		scope.EnumerateParams(func(scope, key string, value any) { runCtx.InAbsPath(scope).SetParam(key, value) })
		runCtx.SetParam(ParamLambda, run.lambda)
		dir := filepath.Join(outDir, run.name)
		_, _ = fmt.Fprintf(log, "== %s (λ=%g) → %s\n", run.name, run.lambda, dir)
		session, err := NewSession(runCtx, backend, dataset, filepath.Join(dir, "checkpoint"), []string{ParamLambda})
		if err != nil {
			return nil, err
		}
		if *run.record, err = Run(session, dir, log); err != nil {
			return nil, err
		}
		if *run.record == nil {
			return nil, errors.Errorf("%s: the checkpoint there is already trained to this length; use another -out", dir)
		}
	}
	return result, nil
}

// Table prints the two runs side by side.
func (c *Comparison) Table(w io.Writer) {
	row := func(name, format string, get func(*Record) float64) {
		_, _ = fmt.Fprintf(w, "%-34s "+format+" "+format+"\n", name, get(c.Softmax), get(c.CenterLoss))
	}
	_, _ = fmt.Fprintf(w, "%-34s %14s %14s\n", "", "softmax (λ=0)", fmt.Sprintf("center (λ=%g)", c.CenterLoss.Lambda))
	row("steps", "%14.0f", func(r *Record) float64 { return float64(r.Step) })
	row("test accuracy %", "%14.2f", func(r *Record) float64 { return 100 * r.TestAccuracy })
	row("mean distance to own center", "%14.3f", func(r *Record) float64 { return r.MeanCenterDistance })
	row("test center loss ½‖x−c‖²", "%14.3f", func(r *Record) float64 { return r.TestCenterLoss })
	row("test softmax loss", "%14.4f", func(r *Record) float64 { return r.TestSoftmaxLoss })
	row("minutes", "%14.1f", func(r *Record) float64 { return r.Seconds / 60 })
	_, _ = fmt.Fprintf(w, "center loss shrinks the mean distance to the class center by %.1f×\n",
		c.Softmax.MeanCenterDistance/c.CenterLoss.MeanCenterDistance)
}
