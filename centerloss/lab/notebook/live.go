package notebook

import (
	"fmt"
	"html"
	"math"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/data"
	"github.com/centerloss/centerloss/centerloss/evaluation"
	"github.com/centerloss/centerloss/centerloss/language"
	"github.com/centerloss/centerloss/centerloss/metricloss"
	"github.com/centerloss/centerloss/centerloss/training"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/janpfeifer/gonb/gonbui"
)

// RedrawImages is how many test images (the first ones) the pictures redrawn during a training show.
const RedrawImages = 2000

// History is what TrainLive saw at each redraw: the training losses since the previous redraw and the test figures.
// The first point is the start (no losses yet, NaN); the redraws' test figures are on the first RedrawImages test
// images, the last point's on the whole test split.
type History struct {
	Steps                              []float64
	TrainLoss, SoftmaxLoss, CenterLoss []float64
	TestAccuracy, MeanCenterDistance   []float64
	Last                               *evaluation.Evaluation // the final test evaluation
	// Snapshots are the test embeddings at each redraw, for a slider back through them (80 kB each for MNIST's test set in 2-D).
	Snapshots []*training.Snapshot
}

// trainWithRedraws trains s for steps steps in chunks of every, under a progress bar; after each chunk it evaluates
// the model on the test set, adds the point to h and redraws picture(eval) in place of the previous picture, in the
// output it returns the id of. lastRecord, when not nil, gets the last chunk's evaluation and gives the record whose
// losses that last point takes (a record takes the loss means since the previous point).
//
// The redraws between look at the first RedrawImages test images only (a fixed subset, so that the picture moves
// because the network learns, not because other images come); the last evaluation takes the whole test split.
func trainWithRedraws(s *training.Session, steps, every int, h *History,
	picture func(*evaluation.Evaluation) ([]byte, error),
	lastRecord func(*evaluation.Evaluation) (*training.Record, error)) (string, error) {
	showProgress(s, s.GlobalStep(), s.GlobalStep()+steps)
	id := gonbui.UniqueId()
	redrawSplit := data.Head(s.Data.Test, RedrawImages)
	if len(h.Steps) == 0 && s.GlobalStep() > 0 { // the starting point of a model trained before (a new one has no centers yet)
		eval, err := s.EvaluateOn(redrawSplit)
		if err != nil {
			return id, err
		}
		h.addPoint(s, eval, math.NaN(), math.NaN(), math.NaN())
	}
	for done := 0; done < steps; {
		chunk := min(every, steps-done)
		if err := s.TrainSteps(chunk); err != nil {
			return id, err
		}
		done += chunk
		evaluate := func() (*evaluation.Evaluation, error) { return s.EvaluateOn(redrawSplit) }
		if done == steps {
			evaluate = s.Evaluate
		}
		eval, err := evaluate()
		if err != nil {
			return id, err
		}
		var record *training.Record
		if done == steps && lastRecord != nil {
			if record, err = lastRecord(eval); err != nil {
				return id, err
			}
		}
		if record != nil {
			h.addPoint(s, eval, record.TrainLoss, record.SoftmaxLoss, record.CenterLoss)
		} else {
			h.add(s, eval)
		}
		png, err := picture(eval)
		if err != nil {
			return id, err
		}
		if png != nil {
			gonbui.UpdateHTML(id, imgTag(png, 560))
		}
	}
	return id, nil
}

// TrainLive trains the session for steps steps under a progress bar, and every `every` steps evaluates it on the
// test set and redraws the embedding in place (one picture that moves, not a pile of them). At the end it shows the
// final embedding as a PNG output and saves a checkpoint (when the session has one).
func TrainLive(s *training.Session, steps, every int) (*History, error) {
	h := &History{}
	plot := func(eval *evaluation.Evaluation) ([]byte, error) {
		return evaluation.EmbeddingPlot(eval, title(s, eval)).PNG(560, 560)
	}
	id, err := trainWithRedraws(s, steps, every, h, plot, nil)
	if err != nil {
		return h, err
	}
	if err := s.Save(); err != nil {
		return h, err
	}
	if h.Last != nil {
		gonbui.UpdateHTML(id, "") // the live picture gives way to the final PNG below
		png, err := evaluation.EmbeddingPlot(h.Last, title(s, h.Last)).PNG(640, 640)
		if err != nil {
			return h, err
		}
		ShowPNG(png)
	}
	return h, nil
}

func (h *History) add(s *training.Session, eval *evaluation.Evaluation) {
	total, softmax, center := s.TakeLossMeans()
	h.addPoint(s, eval, total, softmax, center)
}

// addPoint appends the session's step, the given training loss means and the test evaluation.
func (h *History) addPoint(s *training.Session, eval *evaluation.Evaluation, total, softmax, center float64) {
	h.Steps = append(h.Steps, float64(s.GlobalStep()))
	h.TrainLoss = append(h.TrainLoss, total)
	h.SoftmaxLoss = append(h.SoftmaxLoss, softmax)
	h.CenterLoss = append(h.CenterLoss, center)
	h.TestAccuracy = append(h.TestAccuracy, eval.Accuracy)
	h.MeanCenterDistance = append(h.MeanCenterDistance, eval.MeanCenterDistance)
	h.Last = eval
	h.Snapshots = append(h.Snapshots, training.SnapshotOf(eval, s.GlobalStep(), s.Epoch()))
}

func title(s *training.Session, eval *evaluation.Evaluation) string {
	return language.InPicturef("step %d: test features (%s), accuracy %.2f%%", s.GlobalStep(), describe(s), 100*eval.Accuracy)
}

func describe(s *training.Session) string {
	scope := s.Store.RootScope()
	switch {
	case !metricloss.TrainsSoftmax(scope):
		return language.InPicturef("%s loss", metricloss.Loss.Get(scope))
	case centerloss.CenterUpdate.Get(scope) == centerloss.CenterUpdateGradient:
		return language.InPicturef("λ=%g, centers by gradient, center_lr=%g", centerloss.Lambda.Get(scope),
			centerloss.CenterLR.Get(scope))
	}
	return fmt.Sprintf("λ=%g α=%g", centerloss.Lambda.Get(scope), centerloss.Alpha.Get(scope))
}

// showProgress draws an HTML progress bar that the training steps from first to last update in place, with the
// batch's loss. (GoMLX's own bar writes terminal escape codes when it does not detect the notebook front-end.)
func showProgress(s *training.Session, first, last int) {
	id := gonbui.UniqueId()
	update := func(step int, loss float64) {
		gonbui.UpdateHTML(id, fmt.Sprintf(`<progress value="%d" max="%d" style="width: 60%%"></progress> %s`,
			step-first, last-first, html.EscapeString(language.Sayf("step %d of %d, batch loss %.4f", step, last, loss))))
	}
	update(first, math.NaN())
	s.Loop.OnStep("notebook progress", train.Priority(1), func(loop *train.Loop, metrics []*tensors.Tensor) error {
		step := s.GlobalStep()
		if step%5 == 0 || step == last {
			update(step, s.LastLoss())
		}
		return nil
	})
}
