package metrics

import (
	"fmt"
	"math"
	"sort"
)

// AUROC is the area under the ROC curve of a score that should be higher for positives than for negatives: the
// probability that a random positive scores above a random negative, ties counting ½ (the Mann–Whitney U
// statistic divided by n_pos·n_neg). 1 is perfect separation, 0.5 is chance (or all scores equal), 0 is perfectly
// reversed. It needs at least one positive and one negative, and finite scores.
//
// Computed by ranks in O((n_pos + n_neg)·log): sort all scores, give tied scores their mean rank, and
// U = (sum of the positives' ranks) − n_pos(n_pos+1)/2.
func AUROC(scoresPositive, scoresNegative []float64) (float64, error) {
	if len(scoresPositive) == 0 || len(scoresNegative) == 0 {
		return 0, fmt.Errorf("metrics: AUROC needs positives and negatives, have %d and %d",
			len(scoresPositive), len(scoresNegative))
	}
	type scored struct {
		score    float64
		positive bool
	}
	all := make([]scored, 0, len(scoresPositive)+len(scoresNegative))
	for _, set := range []struct {
		scores   []float64
		positive bool
	}{{scoresPositive, true}, {scoresNegative, false}} {
		for i, s := range set.scores {
			if math.IsNaN(s) || math.IsInf(s, 0) {
				return 0, fmt.Errorf("metrics: AUROC: score %d of the %s is not finite: %v", i,
					map[bool]string{true: "positives", false: "negatives"}[set.positive], s)
			}
			all = append(all, scored{s, set.positive})
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].score < all[j].score })
	var positiveRanks float64
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].score == all[i].score {
			j++
		}
		rank := float64(i+1+j) / 2 // mean of the 1-based ranks i+1 … j
		for _, s := range all[i:j] {
			if s.positive {
				positiveRanks += rank
			}
		}
		i = j
	}
	nPos, nNeg := float64(len(scoresPositive)), float64(len(scoresNegative))
	u := positiveRanks - nPos*(nPos+1)/2
	return u / (nPos * nNeg), nil
}
