package notebook

import (
	"fmt"
	"path/filepath"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/evaluation"
	"github.com/centerloss/centerloss/centerloss/plots"
	"github.com/centerloss/centerloss/centerloss/rivals"
)

// Sweep trains one model per point (a name and the settings that differ from the defaults, keyed by the settings'
// keys) for the same number of steps, from scratch, each in RunDir("sweep-"+name), prints a table of test accuracy
// and compactness, and shows their embeddings in a grid like the paper's Fig. 3.
func Sweep(points []rivals.Rival, steps, cols int) ([]*Trained, error) {
	var trained []*Trained
	for _, setting := range points {
		dir, err := FreshRunDir("sweep-" + setting.Name)
		if err != nil {
			return nil, err
		}
		s, err := NewSession(setting.Params, filepath.Join(dir, "checkpoint"))
		if err != nil {
			return nil, err
		}
		fmt.Printf("training %s (%s) for %d steps…\n", setting.Name, describe(s), steps)
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
