package metrics

import (
	"fmt"
	"math"
)

// IntraClassSpread is the mean Euclidean distance of each feature to the center of its own class,
// (1/n)·Σ_i ‖x_i − c_{y_i}‖: how compact the clusters are, the figure center loss exists to shrink. It is the
// distance, not its square (center loss's ½‖x − c‖²), so that it reads in the units of the embedding's axes
// and compares directly with InterClassSeparation.
func IntraClassSpread(features [][]float32, labels []int, centers [][]float32) (float64, error) {
	dim, err := checkPoints("center", centers, -1, true)
	if err != nil {
		return 0, err
	}
	if err := checkLabelled("features", features, labels, dim, len(centers)); err != nil {
		return 0, err
	}
	var sum float64
	for i, f := range features {
		c := centers[labels[i]]
		if c == nil {
			return 0, fmt.Errorf("metrics: feature %d is of class %d, which has no center", i, labels[i])
		}
		sum += math.Sqrt(SquaredDistance(f, c))
	}
	return sum / float64(len(features)), nil
}
