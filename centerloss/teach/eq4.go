package teach

// CenterStep is the paper's Eq. 4 for one class, in plain Go, for the pictures and lessons that work it by hand:
// the center c, the features x_i of its class in the batch (n of them) and α give
//
//	sum   = Σ_i (c − x_i)
//	delta = Δc = sum / (1 + n)
//	next  = c − α·Δc
//
// A class absent from the batch (no features) keeps its center. The training step computes the same in the graph
// (centerloss.UpdateCenters), for every class at once.
func CenterStep(center []float64, features [][]float64, alpha float64) (sum, delta, next []float64) {
	sum, delta, next = make([]float64, len(center)), make([]float64, len(center)), make([]float64, len(center))
	for _, x := range features {
		for d := range center {
			sum[d] += center[d] - x[d]
		}
	}
	for d := range center {
		delta[d] = sum[d] / float64(1+len(features))
		next[d] = center[d] - alpha*delta[d]
	}
	return sum, delta, next
}
