package evaluation

import (
	"math"
)

// knownCenters returns the centers with the held-out class's set to nil (see metrics: a nil center is skipped).
// A held-out class never appears in a training batch, so Eq. 4 never moves its center from the origin, where it
// was initialised: it is no center of anything, and left in it would be the nearest center of whatever lands
// near the origin, the unseen digit's features included.
func knownCenters(centers [][]float32, holdout int) [][]float32 {
	known := append([][]float32(nil), centers...)
	if holdout >= 0 && holdout < len(known) {
		known[holdout] = nil
	}
	return known
}

// KnownClassAccuracy is the fraction of predictions equal to their label, over the examples whose label is not
// holdout (-1: over all). A classifier never shown the held-out class cannot name it, so counting its images would
// only lower every model's figure by their share (a tenth for one digit of MNIST), and hide the comparison with
// the nearest-mean accuracy, which is taken over the known classes too. NaN when no example is left.
func KnownClassAccuracy(predictions, labels []int, holdout int) float64 {
	var correct, n int
	for i, label := range labels {
		if label == holdout {
			continue
		}
		n++
		if predictions[i] == label {
			correct++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return float64(correct) / float64(n)
}
