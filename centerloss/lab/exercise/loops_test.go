package exercise

// The exercises' answers in plain-Go loops, float64: what the tests hold the library, the solutions and the
// checker's messages to, independently of any graph.

// lossLoop is L_C = ½ · mean_i ‖x_i − c_{y_i}‖².
func lossLoop(b *batch) float64 {
	sum := 0.0
	for i, x := range b.features {
		for d, v := range x {
			diff := float64(v) - float64(b.centers[b.labels[i]][d])
			sum += diff * diff
		}
	}
	return sum / 2 / float64(len(b.features))
}

// featureGradientLoop is ∂L_C/∂x_i = (x_i − c_{y_i}) / batch: [batch, dim].
func featureGradientLoop(b *batch) [][]float64 {
	grad := make([][]float64, len(b.features))
	for i, x := range b.features {
		grad[i] = make([]float64, len(x))
		for d, v := range x {
			grad[i][d] = (float64(v) - float64(b.centers[b.labels[i]][d])) / float64(len(b.features))
		}
	}
	return grad
}

// centerGradientLoop is ∂L_C/∂c_j = (n_j · c_j − Σ_{i: y_i=j} x_i) / batch, what reaches the centers when they
// are not stopped: [classes, dim].
func centerGradientLoop(b *batch) [][]float64 {
	grad := make([][]float64, len(b.centers))
	for j, c := range b.centers {
		grad[j] = make([]float64, len(c))
		for i, x := range b.features {
			if int(b.labels[i]) == j {
				for d := range c {
					grad[j][d] += (float64(c[d]) - float64(x[d])) / float64(len(b.features))
				}
			}
		}
	}
	return grad
}

// updateLoop is Eq. 4: c_j − α · Σ_{i: y_i=j} (c_j − x_i) / (1 + n_j): [classes, dim].
func updateLoop(b *batch) [][]float64 {
	counts := b.counts()
	out := make([][]float64, len(b.centers))
	for j, c := range b.centers {
		out[j] = make([]float64, len(c))
		for d, v := range c {
			out[j][d] = float64(v)
		}
		for i, x := range b.features {
			if int(b.labels[i]) == j {
				for d := range c {
					out[j][d] -= b.alpha * (float64(c[d]) - float64(x[d])) / float64(1+counts[j])
				}
			}
		}
	}
	return out
}

func flat64(rows [][]float64) []float32 {
	var out []float32
	for _, r := range rows {
		for _, v := range r {
			out = append(out, float32(v))
		}
	}
	return out
}
