package notebook

import (
	"fmt"
	"io"
	"maps"
	"os"
	"strings"
	"time"

	"github.com/centerloss/centerloss/centerloss/evaluation"
	"github.com/centerloss/centerloss/centerloss/language"
	"github.com/centerloss/centerloss/centerloss/plots"
	"github.com/centerloss/centerloss/centerloss/rivals"
	"github.com/centerloss/centerloss/centerloss/training"
	"github.com/janpfeifer/gonb/gonbui"
)

// Rival is one trained configuration of a comparison: the library's RivalResult (the final record with its
// metrics, and the final test evaluation, as rivals.Rivals returns them) and the History of its test figures
// along the way, for the curves.
type Rival struct {
	*rivals.RivalResult
	History *History
}

// RivalsOptions say what TrainRivals trains, by name.
type RivalsOptions struct {
	Name     string         // the runs' folders are runs/notebooks/<Name>-<rival's name>
	Settings map[string]any // the settings every rival shares, changed from their defaults (a held-out digit, …)
	Rivals   []rivals.Rival // each rival's name and its own settings (its loss, λ, center update, …)
	Steps    int            // training steps of each rival, of a batch each
	Redraws  int            // points of the curves, and redraws of the live picture, along the steps
}

// TrainRivals trains each rival from scratch, from the defaults changed by o.Settings and then by the rival's own
// settings, all with the same seed, data, batch order and number of steps, each in FreshRunDir(o.Name+"-"+name).
// Every Steps/Redraws steps it evaluates the model on the test split (a point of the curves) and redraws the
// embedding in place while it trains; at the end it writes the rival's record (training.Record: metrics.jsonl
// and the picture in its folder), with the kNN, nearest-mean, spread/separation and open-set figures.
func TrainRivals(o RivalsOptions) ([]*Rival, error) {
	prefix, base, configs, steps, redraws := o.Name, o.Settings, o.Rivals, o.Steps, o.Redraws
	if steps < 1 || redraws < 1 || redraws > steps {
		return nil, fmt.Errorf("notebook.RivalsOptions: want 1 ≤ Redraws (%d) ≤ Steps (%d)", redraws, steps)
	}
	var trained []*Rival
	for _, rival := range configs {
		params := maps.Clone(base)
		if params == nil {
			params = map[string]any{}
		}
		maps.Copy(params, rival.Params)
		dir, err := FreshRunDir(prefix + "-" + rival.Name)
		if err != nil {
			return trained, err
		}
		s, err := NewSession(params, "")
		if err != nil {
			return trained, fmt.Errorf("%s: %w", rival.Name, err)
		}
		fmt.Print(language.Sayf("%s (%s): %d steps\n", rival.Name, describe(s), steps))
		r, err := trainRival(s, rival, dir, steps, redraws)
		if err != nil {
			return trained, fmt.Errorf("%s: %w", rival.Name, err)
		}
		trained = append(trained, r)
	}
	return trained, nil
}

// trainRival trains one session in chunks, redrawing its embedding live, and ends with its record.
func trainRival(s *training.Session, rival rivals.Rival, dir string, steps, redraws int) (*Rival, error) {
	start := time.Now()
	every := max(1, (steps+max(redraws, 1)-1)/max(redraws, 1))
	h := &History{}
	var record *training.Record
	writeRecord := func(eval *evaluation.Evaluation) (*training.Record, error) {
		var err error
		record, err = s.WriteRecordOf(eval, dir, time.Since(start))
		return record, err
	}
	picture := func(eval *evaluation.Evaluation) ([]byte, error) {
		return evaluation.EmbeddingPicture(eval, title(s, eval))
	}
	id, err := trainWithRedraws(s, steps, every, h, picture, writeRecord)
	if err != nil {
		return nil, err
	}
	gonbui.UpdateHTML(id, "") // the pictures of all rivals come side by side, by ShowRivals
	return &Rival{
		RivalResult: &rivals.RivalResult{Rival: rival, Record: record, Evaluation: h.Last, Dir: dir},
		History:     h,
	}, nil
}

// Results are the rivals' RivalResults, for rivals.RivalsTable.
func Results(trained []*Rival) []*rivals.RivalResult {
	results := make([]*rivals.RivalResult, len(trained))
	for i, r := range trained {
		results[i] = r.RivalResult
	}
	return results
}

// ShowRivalsTable prints the rivals' metrics side by side (rivals.RivalsTable) and says how each accuracy
// was measured.
func ShowRivalsTable(trained []*Rival) { writeRivalsTable(os.Stdout, trained) }

func writeRivalsTable(w io.Writer, trained []*Rival) {
	rivals.RivalsTable(w, Results(trained))
	_, _ = fmt.Fprintln(w, language.Say("\naccuracy by softmax: the largest logit of the classifier layer; by nearest_center: the "+
		"nearest class mean\nof the training features (the metric losses train no classifier). kNN: the nearest "+
		"training feature."))
}

// rivalCaption describes a rival under its picture, in two short lines.
func rivalCaption(r *Rival) string {
	rec := r.Record
	line := language.InPicturef("%s, %d steps\naccuracy %.2f%% (%s), kNN %.2f%%", r.Name, rec.Step, 100*rec.TestAccuracy,
		strings.ReplaceAll(rec.AccuracyBy, "_", " "), 100*rec.KNNAccuracy)
	if rec.IntraInterRatio.OK {
		line += language.InPicturef(", ratio %.3f", rec.IntraInterRatio.Value)
	}
	return line
}

// RivalsPicture is the rivals' test embeddings side by side, each captioned with its figures: 2-D embeddings in
// rows of up to three (four as two by two), wider ones (EmbeddingPicture: three views for 3-D, a PCA shadow
// beyond) one under the other.
func RivalsPicture(trained []*Rival) ([]byte, error) {
	var pngs [][]byte
	var captions []string
	cols := len(trained)
	if cols > 3 {
		cols = (cols + 1) / 2 // four in two rows of two
	}
	for _, r := range trained {
		if r.Evaluation == nil || r.Record == nil {
			return nil, fmt.Errorf("notebook: rival %q has not been trained", r.Name)
		}
		var png []byte
		var err error
		if dim := len(r.Evaluation.Centers[0]); dim == 2 {
			png, err = evaluation.EmbeddingPlot(r.Evaluation, r.Name).PNG(480, 480)
		} else {
			cols = 1
			png, err = evaluation.EmbeddingPicture(r.Evaluation, r.Name)
		}
		if err != nil {
			return nil, err
		}
		if png == nil {
			return nil, fmt.Errorf("notebook: rival %q has a 1-D embedding: nothing to draw", r.Name)
		}
		pngs = append(pngs, png)
		captions = append(captions, rivalCaption(r))
	}
	return plots.Grid(pngs, captions, cols)
}

// RivalCurves draws the rivals' training loss (each its own objective, as optimised: softmax + λ·L_C, or the
// metric loss) and their test accuracy (by the softmax; rivals that train no classifier are left out of it), side
// by side.
func RivalCurves(trained []*Rival) ([]byte, error) {
	var loss, accuracy []plots.Series
	for _, r := range trained {
		h := r.History
		loss = append(loss, plots.Series{Name: r.Name, X: h.Steps, Y: h.TrainLoss})
		if r.Record == nil || r.Record.AccuracyBy != "nearest_center" {
			acc := make([]float64, len(h.TestAccuracy))
			for i, a := range h.TestAccuracy {
				acc[i] = 100 * a
			}
			accuracy = append(accuracy, plots.Series{Name: r.Name, X: h.Steps, Y: acc})
		}
	}
	lossPNG, err := plots.Curves(language.InPicture("training loss (mean since the previous point)"),
		language.InPicture("step"), language.InPicture("loss"), loss, 560, 400)
	if err != nil {
		return nil, err
	}
	pngs := [][]byte{lossPNG}
	if len(accuracy) > 0 {
		accPNG, err := plots.Curves(language.InPicture("test accuracy (softmax)"), language.InPicture("step"),
			language.InPicture("accuracy %"), accuracy, 560, 400)
		if err != nil {
			return nil, err
		}
		pngs = append(pngs, accPNG)
	}
	return plots.Grid(pngs, nil, len(pngs))
}

// ShowRivalCurves displays RivalCurves.
func ShowRivalCurves(trained []*Rival) error {
	png, err := RivalCurves(trained)
	if err != nil {
		return err
	}
	ShowPNG(png)
	return nil
}
