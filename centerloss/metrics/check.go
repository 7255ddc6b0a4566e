package metrics

import (
	"fmt"
	"math"
)

// SquaredDistance is ‖a − b‖², in float64 so that 10,000-point sums keep their digits.
func SquaredDistance(a, b []float32) float64 {
	var s float64
	for i := range a {
		d := float64(a[i]) - float64(b[i])
		s += d * d
	}
	return s
}

// checkPoints checks that points (features or centers, named what) all have dimension dim and finite
// coordinates; nil entries are allowed only when nilOK. dim < 0 takes the dimension of the first non-nil point.
// It returns the dimension.
func checkPoints(what string, points [][]float32, dim int, nilOK bool) (int, error) {
	for i, p := range points {
		if p == nil {
			if !nilOK {
				return dim, fmt.Errorf("metrics: %s %d is nil", what, i)
			}
			continue
		}
		if dim < 0 {
			dim = len(p)
		}
		if len(p) != dim || dim == 0 {
			return dim, fmt.Errorf("metrics: %s %d has dimension %d, want %d", what, i, len(p), dim)
		}
		for _, v := range p {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return dim, fmt.Errorf("metrics: %s %d is not finite: %v", what, i, p)
			}
		}
	}
	return dim, nil
}

// checkLabelled checks a labelled point set: as many labels as features, each a class in [0, numClasses).
func checkLabelled(what string, features [][]float32, labels []int, dim, numClasses int) error {
	if len(features) == 0 {
		return fmt.Errorf("metrics: no %s", what)
	}
	if len(features) != len(labels) {
		return fmt.Errorf("metrics: %d %s but %d labels", len(features), what, len(labels))
	}
	if _, err := checkPoints(what, features, dim, false); err != nil {
		return err
	}
	for i, l := range labels {
		if l < 0 || l >= numClasses {
			return fmt.Errorf("metrics: label %d of %s %d is out of range [0, %d)", l, what, i, numClasses)
		}
	}
	return nil
}
