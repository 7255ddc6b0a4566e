package notebook

import (
	"fmt"
	"slices"

	"github.com/centerloss/centerloss/centerloss/evaluation"
	"github.com/centerloss/centerloss/centerloss/language"
	"github.com/centerloss/centerloss/centerloss/metricloss"
	"github.com/centerloss/centerloss/centerloss/plots"
)

// SlideThrough shows the embeddings that a training saw along the way under a slider (its first position the
// start, its last the end), on axes fixed over all of them, so that what moves under the hand is the embedding,
// not the frame.
func (h *History) SlideThrough() error {
	if len(h.Snapshots) == 0 {
		return fmt.Errorf("notebook: nothing to show: the history has no snapshots")
	}
	frames := make([]plots.Embedding, len(h.Snapshots))
	for i, snap := range h.Snapshots {
		eval := &evaluation.Evaluation{Features: snap.Features, Labels: snap.Labels, Centers: snap.Centers}
		frames[i] = *evaluation.EmbeddingPlot(eval, language.InPicturef("step %d: %d test features, accuracy %.2f%%",
			snap.Step, len(snap.Features), 100*h.TestAccuracy[i]))
	}
	return slideFrames(language.Say("training step"), frames, func(i int) string { return fmt.Sprint(h.Snapshots[i].Step) })
}

// slideFrames is Interact with one slider over frames, drawn on shared axes; name(i) labels position i.
func slideFrames(label string, frames []plots.Embedding, name func(int) string) error {
	fixed := onFixedAxes(frames)
	slider := Slider{Label: label, Min: 0, Max: len(fixed) - 1, Value: len(fixed) - 1, Show: name}
	return Interact([]Slider{slider}, func(p []int) ([]byte, error) { return fixed[p[0]].PNG(ReplaySize, ReplaySize) })
}

// SlideThroughRivals shows the rivals side by side, cols to a row, at the same point of their trainings, under a
// slider over those points (they trained for the same steps with the same redraws). Rivals trained by the same loss
// share their axes; different losses put their features at scales of their own, and each keeps its own axes.
func SlideThroughRivals(trained []*Rival, cols int) error {
	if len(trained) == 0 || len(trained[0].History.Snapshots) == 0 {
		return fmt.Errorf("notebook: no rivals with snapshots to show")
	}
	points := len(trained[0].History.Snapshots)
	perRival := make([][]plots.Embedding, len(trained))
	for r, t := range trained {
		if len(t.History.Snapshots) != points {
			return fmt.Errorf("notebook: %s has %d snapshots, %s %d", t.Rival.Name, len(t.History.Snapshots),
				trained[0].Rival.Name, points)
		}
		for _, snap := range t.History.Snapshots {
			eval := &evaluation.Evaluation{Features: snap.Features, Labels: snap.Labels, Centers: snap.Centers}
			perRival[r] = append(perRival[r], *evaluation.EmbeddingPlot(eval, t.Rival.Name))
		}
	}
	if sameLoss(trained) { // one scale for all, so that the panels compare at a glance
		all := onFixedAxes(slices.Concat(perRival...))
		for r := range perRival {
			perRival[r] = all[r*points : (r+1)*points]
		}
	} else { // losses whose features live at their own scales: each rival on its own axes, fixed along its training
		for r := range perRival {
			perRival[r] = onFixedAxes(perRival[r])
		}
	}
	step := func(i int) string { return fmt.Sprint(trained[0].History.Snapshots[i].Step) }
	slider := Slider{Label: language.Say("training step"), Min: 0, Max: points - 1, Value: points - 1, Show: step}
	return Interact([]Slider{slider}, func(p []int) ([]byte, error) {
		var pngs [][]byte
		var captions []string
		for r, t := range trained {
			png, err := perRival[r][p[0]].PNG(440, 440)
			if err != nil {
				return nil, err
			}
			pngs = append(pngs, png)
			captions = append(captions, rivalStepCaption(t, p[0], step(p[0])))
		}
		return plots.Grid(pngs, captions, cols)
	})
}

// rivalStepCaption says where a rival stands at point i of its training. A metric loss trains no classifier: its
// softmax accuracy along the way means nothing, and its own (by the nearest class mean) is in its final record only.
func rivalStepCaption(t *Rival, i int, step string) string {
	last := i == len(t.History.Snapshots)-1
	switch {
	case last && t.Record != nil:
		return language.InPicturef("step %s, accuracy %.1f%% (by %s)", step, 100*t.Record.TestAccuracy, t.Record.AccuracyBy)
	case t.Record == nil || t.Record.AccuracyBy == "softmax":
		return language.InPicturef("step %s, accuracy %.1f%%", step, 100*t.History.TestAccuracy[i])
	}
	return language.InPicturef("step %s (no classifier: its accuracy is measured at the end)", step)
}

// sameLoss says whether every rival trains by the same objective (metricloss.Loss, the default where unset).
func sameLoss(trained []*Rival) bool {
	loss := func(t *Rival) any {
		if name, set := t.Rival.Params[metricloss.Loss.Key]; set {
			return name
		}
		return metricloss.Loss.Default
	}
	for _, t := range trained[1:] {
		if fmt.Sprint(loss(t)) != fmt.Sprint(loss(trained[0])) {
			return false
		}
	}
	return true
}
