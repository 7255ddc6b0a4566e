package metrics

import (
	"fmt"
	"math"
)

// Separation is the closest pair of class centers: the two classes an embedding is most likely to confuse.
type Separation struct {
	Distance float64 // ‖c_A − c_B‖
	A, B     int     // the two classes, A < B
}

// InterClassSeparation finds the smallest Euclidean distance between two centers. It is the minimum, not the
// mean, because one pair of merged clusters is enough to confuse two classes however far the others are. Nil
// centers (classes without one) are skipped; fewer than two centers is an error. Of equally close pairs, the
// first in (A, B) order is returned.
func InterClassSeparation(centers [][]float32) (Separation, error) {
	if _, err := checkPoints("center", centers, -1, true); err != nil {
		return Separation{}, err
	}
	best := Separation{Distance: math.Inf(1), A: -1, B: -1}
	for a := range centers {
		for b := a + 1; b < len(centers); b++ {
			if centers[a] == nil || centers[b] == nil {
				continue
			}
			if d := math.Sqrt(SquaredDistance(centers[a], centers[b])); d < best.Distance {
				best = Separation{Distance: d, A: a, B: b}
			}
		}
	}
	if best.A < 0 {
		return Separation{}, fmt.Errorf("metrics: the separation of classes needs at least two centers, have %d",
			countNonNil(centers))
	}
	return best, nil
}

// IntraInterRatio is spread / separation, IntraClassSpread over InterClassSeparation: LOWER IS BETTER. Below
// 0.5 the mean feature is nearer its own center than halfway to the closest other center, so the clusters
// can stand apart; near or above 1 the typical cluster is as wide as the gap between the two closest centers.
// Dividing makes it free of the embedding's scale, which softmax training inflates and weight decay shrinks, so
// runs and epochs compare. It is an error when separation is 0 (two centers coincide: the ratio is unbounded).
func IntraInterRatio(spread, separation float64) (float64, error) {
	if !(separation > 0) || math.IsInf(separation, 0) || !(spread >= 0) || math.IsInf(spread, 0) {
		return 0, fmt.Errorf("metrics: the ratio needs a finite spread ≥ 0 and separation > 0, have %v and %v",
			spread, separation)
	}
	return spread / separation, nil
}

func countNonNil(points [][]float32) int {
	n := 0
	for _, p := range points {
		if p != nil {
			n++
		}
	}
	return n
}
