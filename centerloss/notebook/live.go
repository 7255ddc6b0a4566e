package notebook

import (
	"fmt"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/plots"
	"github.com/janpfeifer/gonb/gonbui"
)

// History is what TrainLive saw at each redraw: the training losses since the previous redraw and the test figures.
type History struct {
	Steps                              []float64
	TrainLoss, SoftmaxLoss, CenterLoss []float64
	TestAccuracy, MeanCenterDistance   []float64
	Last                               *centerloss.Evaluation // the final test evaluation
}

// TrainLive trains the session for steps steps with GoMLX's progress bar, and every `every` steps evaluates it on
// the test set and redraws the embedding in place (one picture that moves, not a pile of them). At the end it
// shows the final embedding as a PNG output and saves a checkpoint (when the session has one).
func TrainLive(s *centerloss.Session, steps, every int) (*History, error) {
	s.AttachProgressBar()
	id := gonbui.UniqueId()
	h := &History{}
	for done := 0; done < steps; {
		chunk := min(every, steps-done)
		if err := s.TrainSteps(chunk); err != nil {
			return h, err
		}
		done += chunk
		eval, err := s.Evaluate()
		if err != nil {
			return h, err
		}
		h.add(s, eval)
		png, err := centerloss.EmbeddingPlot(eval, title(s, eval)).PNG(560, 560)
		if err != nil {
			return h, err
		}
		gonbui.UpdateHTML(id, imgTag(png, 560))
	}
	if err := s.Save(); err != nil {
		return h, err
	}
	if h.Last != nil {
		gonbui.UpdateHTML(id, "") // the live picture gives way to the final PNG below
		png, err := centerloss.EmbeddingPlot(h.Last, title(s, h.Last)).PNG(640, 640)
		if err != nil {
			return h, err
		}
		ShowPNG(png)
	}
	return h, nil
}

func (h *History) add(s *centerloss.Session, eval *centerloss.Evaluation) {
	total, softmax, center := s.TakeLossMeans()
	h.Steps = append(h.Steps, float64(s.GlobalStep()))
	h.TrainLoss = append(h.TrainLoss, total)
	h.SoftmaxLoss = append(h.SoftmaxLoss, softmax)
	h.CenterLoss = append(h.CenterLoss, center)
	h.TestAccuracy = append(h.TestAccuracy, eval.Accuracy)
	h.MeanCenterDistance = append(h.MeanCenterDistance, eval.MeanCenterDistance)
	h.Last = eval
}

func title(s *centerloss.Session, eval *centerloss.Evaluation) string {
	return fmt.Sprintf("step %d: test features (%s), accuracy %.2f%%", s.GlobalStep(), describe(s), 100*eval.Accuracy)
}

func describe(s *centerloss.Session) string {
	return fmt.Sprintf("λ=%g α=%g", paramFloat(s, centerloss.ParamLambda), paramFloat(s, centerloss.ParamAlpha))
}

// LossCurves draws the softmax and center loss of the training, step by step.
func (h *History) LossCurves() ([]byte, error) {
	return plots.Curves("training losses", "step", "loss", []plots.Series{
		{Name: "softmax loss", X: h.Steps, Y: h.SoftmaxLoss},
		{Name: "center loss L_C", X: h.Steps, Y: h.CenterLoss},
	}, 640, 400)
}
