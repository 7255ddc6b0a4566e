package notebook

import (
	"errors"
	"math"

	"github.com/centerloss/centerloss/centerloss/language"
	"github.com/centerloss/centerloss/centerloss/plots"
)

// LossCurves draws the training's two losses, step by step, as two panels side by side, each on its own y axis:
// the softmax loss starts near ln 10 ≈ 2.3 while L_C = ½·mean ‖x_i − c_{y_i}‖² may be a hundred times smaller,
// so on one axis L_C would be a flat line along the bottom. Each point is the mean since the previous one; points
// without a loss (NaN: the starting point of a run, before any step) are left out.
func (h *History) LossCurves() ([]byte, error) {
	softmax, center := finitePoints(h.Steps, h.SoftmaxLoss), finitePoints(h.Steps, h.CenterLoss)
	if len(softmax.X) == 0 || len(center.X) == 0 {
		return nil, errors.New("notebook: no training losses recorded yet")
	}
	return plots.CurvesPanels([]plots.Panel{
		{Title: language.InPicture("softmax loss"), XLabel: language.InPicture("step"), YLabel: language.InPicture("softmax loss"),
			Series: []plots.Series{softmax}},
		{Title: language.InPicture("center loss L_C (before the weight λ)"), XLabel: language.InPicture("step"), YLabel: "L_C",
			Series: []plots.Series{center}},
	}, 960, 400)
}

// finitePoints is the series (steps[i], values[i]) less the points whose value is NaN or infinite.
func finitePoints(steps, values []float64) plots.Series {
	var s plots.Series
	for i, v := range values {
		if i < len(steps) && !math.IsNaN(v) && !math.IsInf(v, 0) {
			s.X, s.Y = append(s.X, steps[i]), append(s.Y, v)
		}
	}
	return s
}
