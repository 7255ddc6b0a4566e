package notebook

import (
	"strings"
	"testing"

	"github.com/centerloss/centerloss/centerloss/rivals"
	"github.com/centerloss/centerloss/centerloss/training"
)

// A metric loss's caption never shows the softmax accuracy of its untrained classifier.
func TestRivalStepCaption(t *testing.T) {
	h := &History{TestAccuracy: []float64{0.114, 0.114}, Snapshots: make([]*training.Snapshot, 2)}
	metric := &Rival{RivalResult: &rivals.RivalResult{Record: &training.Record{TestAccuracy: 0.9305,
		AccuracyBy: "nearest_center"}}, History: h}
	if got := rivalStepCaption(metric, 0, "25"); strings.Contains(got, "11.4") {
		t.Errorf("metric loss, step 25: %q", got)
	}
	if got := rivalStepCaption(metric, 1, "100"); got != "step 100, accuracy 93.0% (by nearest_center)" {
		t.Errorf("metric loss, last step: %q", got)
	}
	softmax := &Rival{RivalResult: &rivals.RivalResult{Record: &training.Record{TestAccuracy: 0.86,
		AccuracyBy: "softmax"}}, History: &History{TestAccuracy: []float64{0.5, 0.86}, Snapshots: h.Snapshots}}
	if got := rivalStepCaption(softmax, 0, "25"); got != "step 25, accuracy 50.0%" {
		t.Errorf("softmax, step 25: %q", got)
	}
}

// TestSameLoss: the two center updates train one loss (their panels share axes); the four losses do not.
func TestSameLoss(t *testing.T) {
	of := func(configs []rivals.Rival) []*Rival {
		var trained []*Rival
		for _, c := range configs {
			trained = append(trained, &Rival{RivalResult: &rivals.RivalResult{Rival: c}})
		}
		return trained
	}
	if !sameLoss(of(rivals.CenterUpdateRivals())) {
		t.Error("Eq. 4 and the gradient step train different losses")
	}
	unset, explicit := rivals.CenterUpdateRivals(), rivals.LossRivals(0.01)[:1] // the default, and softmax_center named
	if !sameLoss(of(append(unset[:1], explicit...))) {
		t.Error("a rival with the default loss and one that names it train different losses")
	}
	if sameLoss(of(rivals.LossRivals(0.01))) {
		t.Error("softmax, center, contrastive and triplet train one loss")
	}
}
