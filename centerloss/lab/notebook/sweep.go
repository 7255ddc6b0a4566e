package notebook

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/evaluation"
	"github.com/centerloss/centerloss/centerloss/language"
	"github.com/centerloss/centerloss/centerloss/plots"
	"github.com/centerloss/centerloss/centerloss/rivals"
)

// SweepOptions say what SweepFrom trains, by name.
type SweepOptions struct {
	From    string         // the saved model (LoadTrained's name) every point starts from; "" trains each from scratch
	Points  []rivals.Rival // a name and the settings that differ from the defaults, keyed by the settings' keys
	Steps   int            // training steps of each point, of a batch each
	Columns int            // pictures per row of the grid
}

// SweepFrom trains one model per point for the same number of steps, each in RunDir("sweep-"+name), prints a
// table of test accuracy and compactness, and shows their embeddings in a grid like the paper's Fig. 3. Every
// point starts from the model a notebook saved as o.From: the same weights, centers and next batches for all, so
// that only the settings differ from there on.
func SweepFrom(o SweepOptions) ([]*Trained, error) {
	start, points, steps, cols := o.From, o.Points, o.Steps, o.Columns
	if steps < 1 || cols < 1 {
		return nil, fmt.Errorf("notebook.SweepOptions: Steps %d and Columns %d must be at least 1", steps, cols)
	}
	var trained []*Trained
	for _, setting := range points {
		dir, err := FreshRunDir("sweep-" + setting.Name)
		if err != nil {
			return nil, err
		}
		checkpoint := filepath.Join(dir, "checkpoint")
		if start != "" {
			from := filepath.Join(RunDir(start), "checkpoint")
			if err := os.CopyFS(checkpoint, os.DirFS(from)); err != nil {
				return nil, fmt.Errorf("notebook: no trained model %q to start from (run the notebook that trains it "+
					"first): %w", start, err)
			}
		}
		s, err := NewSession(setting.Params, checkpoint)
		if err != nil {
			return nil, err
		}
		fmt.Print(language.Sayf("training %s (%s) for %d steps from step %d…\n", setting.Name, describe(s), steps, s.GlobalStep()))
		if err := s.TrainSteps(steps); err != nil {
			return nil, err
		}
		if err := s.Save(); err != nil {
			return nil, err
		}
		eval, err := s.Evaluate()
		if err != nil {
			return nil, err
		}
		trained = append(trained, &Trained{Name: setting.Name, Session: s, Eval: eval})
	}
	fmt.Printf("\n%-16s %8s %6s %10s %22s\n", "setting", "λ", "α", "accuracy", "mean distance to center")
	var pngs [][]byte
	var captions []string
	for _, t := range trained {
		scope := t.Session.Store.RootScope()
		fmt.Printf("%-16s %8g %6g %9.2f%% %22.3f\n", t.Name, centerloss.Lambda.Get(scope), centerloss.Alpha.Get(scope),
			100*t.Eval.Accuracy, t.Eval.MeanCenterDistance)
		png, err := evaluation.EmbeddingPlot(t.Eval, t.Name).PNG(400, 400)
		if err != nil {
			return nil, err
		}
		pngs = append(pngs, png)
		captions = append(captions, t.shortCaption())
	}
	grid, err := plots.Grid(pngs, captions, cols)
	if err != nil {
		return nil, err
	}
	ShowPNG(grid)
	return trained, nil
}
