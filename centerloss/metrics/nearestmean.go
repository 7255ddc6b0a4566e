package metrics

import "fmt"

// ClassMeans is the mean feature of each class, [numClasses][dim]; a class with no feature gets nil (skipped by
// NearestMeanAccuracy and OpenSetScores). The means of training features are the "class centers" of a network
// trained without any: the nearest-class-mean classifier of the metric losses (contrastive, triplet), whose
// classifier layer is never trained.
func ClassMeans(features [][]float32, labels []int, numClasses int) ([][]float32, error) {
	if numClasses < 1 {
		return nil, fmt.Errorf("metrics: %d classes", numClasses)
	}
	dim, err := checkPoints("feature", features, -1, false)
	if err != nil {
		return nil, err
	}
	if err := checkLabelled("features", features, labels, dim, numClasses); err != nil {
		return nil, err
	}
	sums := make([][]float64, numClasses)
	counts := make([]int, numClasses)
	for i, f := range features {
		l := labels[i]
		if sums[l] == nil {
			sums[l] = make([]float64, dim)
		}
		for d, v := range f {
			sums[l][d] += float64(v)
		}
		counts[l]++
	}
	means := make([][]float32, numClasses)
	for j, s := range sums {
		if s == nil {
			continue
		}
		means[j] = make([]float32, dim)
		for d, v := range s {
			means[j][d] = float32(v / float64(counts[j]))
		}
	}
	return means, nil
}

// NearestMeanAccuracy classifies each feature as the class of its nearest (Euclidean) non-nil center and returns
// the fraction classified as their own label. A tie goes to the lower class number.
func NearestMeanAccuracy(features [][]float32, labels []int, centers [][]float32) (float64, error) {
	dim, err := checkPoints("center", centers, -1, true)
	if err != nil {
		return 0, err
	}
	if countNonNil(centers) == 0 {
		return 0, fmt.Errorf("metrics: nearest-mean accuracy needs at least one center")
	}
	if err := checkLabelled("features", features, labels, dim, len(centers)); err != nil {
		return 0, err
	}
	correct := 0
	for i, f := range features {
		best, bestD := -1, 0.0
		for j, c := range centers {
			if c == nil {
				continue
			}
			if d := SquaredDistance(f, c); best < 0 || d < bestD {
				best, bestD = j, d
			}
		}
		if best == labels[i] {
			correct++
		}
	}
	return float64(correct) / float64(len(features)), nil
}
