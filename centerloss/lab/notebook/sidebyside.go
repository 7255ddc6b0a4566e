package notebook

import (
	"fmt"
	"path/filepath"

	"github.com/centerloss/centerloss/centerloss/evaluation"
	"github.com/centerloss/centerloss/centerloss/language"
	"github.com/centerloss/centerloss/centerloss/plots"
	"github.com/centerloss/centerloss/centerloss/training"
)

// Trained is a model loaded from a notebook's run folder and evaluated on the test set.
type Trained struct {
	Name    string
	Session *training.Session
	Eval    *evaluation.Evaluation
}

// LoadTrained loads the checkpoint in RunDir(name) and evaluates it.
func LoadTrained(name string) (*Trained, error) {
	dir := filepath.Join(RunDir(name), "checkpoint")
	s, err := NewSession(nil, dir)
	if err != nil {
		return nil, err
	}
	if s.GlobalStep() == 0 {
		return nil, fmt.Errorf("notebook: no trained model in %s: run the notebook that trains %q first", dir, name)
	}
	eval, err := s.Evaluate()
	if err != nil {
		return nil, err
	}
	return &Trained{Name: name, Session: s, Eval: eval}, nil
}

// Caption describes the model in one line.
func (t *Trained) Caption() string {
	return language.Sayf("%s (%s, %d steps): accuracy %.2f%%, mean distance to center %.2f", t.Name,
		describe(t.Session), t.Session.GlobalStep(), 100*t.Eval.Accuracy, t.Eval.MeanCenterDistance)
}

// shortCaption describes the model under its picture, in two short lines that fit a tile.
func (t *Trained) shortCaption() string {
	return language.InPicturef("%s, %d steps\naccuracy %.2f%%, distance to center %.2f", describe(t.Session),
		t.Session.GlobalStep(), 100*t.Eval.Accuracy, t.Eval.MeanCenterDistance)
}

// ShowSideBySide draws the test embeddings of trained models next to each other, with their figures.
func ShowSideBySide(models ...*Trained) error {
	var pngs [][]byte
	var captions []string
	for _, t := range models {
		png, err := evaluation.EmbeddingPlot(t.Eval, t.Name).PNG(480, 480)
		if err != nil {
			return err
		}
		pngs = append(pngs, png)
		captions = append(captions, t.shortCaption())
		fmt.Println(t.Caption())
	}
	grid, err := plots.Grid(pngs, captions, len(pngs))
	if err != nil {
		return err
	}
	ShowPNG(grid)
	return nil
}
