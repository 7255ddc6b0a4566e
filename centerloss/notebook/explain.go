package notebook

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/centerloss/centerloss/centerloss/plots"
)

// Explain prints the worked center update line by line, as a teacher would write it on the board.
func (w *WorkedStep) Explain() {
	n := len(w.Features)
	fmt.Printf("center c = %s, α = %g, n = %d features of this class\n\n", vec(w.Center), w.Alpha, n)
	fmt.Printf("%-3s %-12s %-12s %s\n", "i", "x_i", "c − x_i", "∂L_C/∂x_i = (x_i − c)/n")
	sum := make([]float32, len(w.Center))
	for i, x := range w.Features {
		fmt.Printf("%-3d %-12s %-12s %s\n", i+1, vec(x), vec(w.Difference[i]), vec(w.Gradients[i]))
		for d := range sum {
			sum[d] += w.Difference[i][d]
		}
	}
	delta := make([]float32, len(sum))
	for d := range sum {
		delta[d] = sum[d] / float32(1+n)
	}
	fmt.Printf("\nL_C = ½ · mean ‖x_i − c‖² = %g\n", w.Loss)
	fmt.Printf("Σ (c − x_i) = %s\n", vec(sum))
	fmt.Printf("Δc = Σ (c − x_i) / (1 + n) = %s / %d = %s\n", vec(sum), 1+n, vec(delta))
	fmt.Printf("c ← c − α·Δc = %s − %g·%s = %s   (computed by centerloss.UpdateCenters)\n",
		vec(w.Center), w.Alpha, vec(delta), vec(w.NewCenter))
}

// Picture draws the worked update: the features, the vectors c − x_i, the old and the new center.
func (w *WorkedStep) Picture() ([]byte, error) {
	step := plots.CenterStep{Alpha: w.Alpha, Title: fmt.Sprintf("one center update, α = %g", w.Alpha)}
	for _, x := range w.Features {
		step.Features = append(step.Features, [2]float64{float64(x[0]), float64(x[1])})
	}
	step.OldCenter = [2]float64{float64(w.Center[0]), float64(w.Center[1])}
	step.NewCenter = [2]float64{float64(w.NewCenter[0]), float64(w.NewCenter[1])}
	return step.PNG(560, 560)
}

// vec writes a vector the way the notebook's text does: (2, 1).
func vec(v []float32) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = strconv.FormatFloat(float64(x), 'g', 4, 32)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}
