package training

import (
	"fmt"
	"math"

	"github.com/centerloss/centerloss/centerloss/evaluation"
)

// DivergenceError stops training when a loss is no longer finite. Its message says which term went, whether the
// centers themselves did, and at which step. The step's variables are never saved, so the last checkpoint on disk is
// the last good one.
type DivergenceError struct {
	Step int
	What string // e.g. "the softmax loss is NaN (center loss NaN), and the centers are no longer finite"
	Kept string // what became of the checkpoint
}

func (e *DivergenceError) Error() string {
	return fmt.Sprintf("training diverged at step %d: %s; %s; lower the learning rate (-lr) or λ (-lambda)",
		e.Step, e.What, e.Kept)
}

func (s *Session) divergence(values map[string]float64) error {
	e := &DivergenceError{Step: s.GlobalStep(), Kept: "no checkpoint is kept",
		What: fmt.Sprintf("the loss is %v (softmax %v, center %v)", values["loss"], values["softmax"], values["center"])}
	switch {
	case !finite(values["softmax"]):
		e.What = fmt.Sprintf("the softmax loss is %v (center loss %v)", values["softmax"], values["center"])
	case !finite(values["center"]):
		e.What = fmt.Sprintf("the center loss is %v (softmax loss %v)", values["center"], values["softmax"])
	}
	if centers, err := evaluation.Centers(s.Store); err == nil && !allFinite(centers) {
		e.What += ", and the centers are no longer finite"
	}
	if s.Checkpoint != nil {
		e.Kept = "the last checkpoint, in " + s.Checkpoint.Dir() + ", is kept as it was"
	}
	return e
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func allFinite(rows [][]float32) bool {
	for _, row := range rows {
		for _, x := range row {
			if !finite(float64(x)) {
				return false
			}
		}
	}
	return true
}
