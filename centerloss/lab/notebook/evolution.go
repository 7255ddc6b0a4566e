package notebook

import "github.com/centerloss/centerloss/centerloss/plots"

// ReplaySize is the side, in pixels, of the pictures a slider moves through (TrainLive's live picture's size).
const ReplaySize = 560

// onFixedAxes returns copies of frames that all have the axes plots.FrameLimits computes over them.
func onFixedAxes(frames []plots.Embedding) []plots.Embedding {
	limits := plots.FrameLimits(frames)
	fixed := append([]plots.Embedding(nil), frames...)
	for i := range fixed {
		fixed[i].Limits = &limits
	}
	return fixed
}
