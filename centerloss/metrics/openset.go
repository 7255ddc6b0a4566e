package metrics

import (
	"fmt"
	"math"
)

// OpenSetScores is, for each feature, its Euclidean distance to the nearest center: the score of "this is none of
// the classes I know", since a feature of a known class should lie near its own center and one of an unseen
// class need not lie near any. Nil centers are skipped, and they must be for a class held out of training: its
// center never moved from where it started (the origin), so it is no center at all, and one sitting at the
// origin, where the features of an untrained direction gather, would make the unseen class look known.
func OpenSetScores(features [][]float32, centers [][]float32) ([]float64, error) {
	dim, err := checkPoints("center", centers, -1, true)
	if err != nil {
		return nil, err
	}
	if countNonNil(centers) == 0 {
		return nil, fmt.Errorf("metrics: open-set scores need at least one center")
	}
	if len(features) == 0 {
		return nil, fmt.Errorf("metrics: no features to score")
	}
	if _, err := checkPoints("feature", features, dim, false); err != nil {
		return nil, err
	}
	scores := make([]float64, len(features))
	for i, f := range features {
		best := math.Inf(1)
		for _, c := range centers {
			if c != nil {
				best = math.Min(best, SquaredDistance(f, c))
			}
		}
		scores[i] = math.Sqrt(best)
	}
	return scores, nil
}

// OpenSetAUROC scores every feature with OpenSetScores and returns the AUROC of telling the features labelled
// unknown (the positives) from all the others (the negatives): 1 when every unseen-class feature lies farther
// from the known centers than every known-class feature, 0.5 when the distance says nothing. centers[unknown]
// should be nil (see OpenSetScores); the caller decides, so that the function can also be asked "what if".
func OpenSetAUROC(features [][]float32, labels []int, centers [][]float32, unknown int) (float64, error) {
	if len(features) != len(labels) {
		return 0, fmt.Errorf("metrics: %d features but %d labels", len(features), len(labels))
	}
	scores, err := OpenSetScores(features, centers)
	if err != nil {
		return 0, err
	}
	var positives, negatives []float64
	for i, s := range scores {
		if labels[i] == unknown {
			positives = append(positives, s)
		} else {
			negatives = append(negatives, s)
		}
	}
	if len(positives) == 0 {
		return 0, fmt.Errorf("metrics: no feature of the unknown class %d to score", unknown)
	}
	return AUROC(positives, negatives)
}
