package notebook

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/centerloss/centerloss/centerloss/language"
	"github.com/centerloss/centerloss/centerloss/plots"
	"github.com/centerloss/centerloss/centerloss/teach"
)

// Explain prints the worked center update line by line, as a teacher would write it on the board.
func (w *WorkedStep) Explain() { w.explain(os.Stdout) }

func (w *WorkedStep) explain(out io.Writer) {
	m, n := w.BatchSize, w.ClassCount
	p := func(format string, args ...any) { _, _ = fmt.Fprintf(out, format, args...) }
	say := func(line string) { _, _ = fmt.Fprint(out, line) } // a line in the learner's language
	say(language.Sayf("center c = %s, α = %g, batch of m = %d features, n = %d of them of this class\n", vec(w.Center),
		w.Alpha, m, n))
	if m == n {
		say(language.Say("(all the features here are of one class, so m = n; in training m is the batch size and n ≤ m)\n"))
	}
	p("\n%-3s %-12s %-12s %s\n", "i", "x_i", "c − x_i", "∂L_C/∂x_i = (x_i − c)/m")
	for i, x := range w.Features {
		p("%-3d %-12s %-12s %s\n", i+1, vec(x), vec(w.Difference[i]), vec(w.Gradients[i]))
	}
	sum64, delta64, _ := teach.CenterStep(float64s(w.Center), rowsOf(w.Features), w.Alpha) // the board's sums
	sum, delta := float32s(sum64), float32s(delta64)
	say(language.Sayf("\nL_C = ½ · (1/m) Σ ‖x_i − c‖² (the mean over the batch) = %g\n", w.Loss))
	p("Σ (c − x_i) = %s\n", vec(sum))
	p("Δc = Σ (c − x_i) / (1 + n) = %s / %d = %s\n", vec(sum), 1+n, vec(delta))
	say(language.Sayf("c ← c − α·Δc = %s − %g·%s = %s   (computed by centerloss.UpdateCenters)\n",
		vec(w.Center), w.Alpha, vec(delta), vec(w.NewCenter)))
}

// PictureWidth and PictureHeight are the size, in pixels, Picture draws at: the data area about square, the legend
// beside it.
const PictureWidth, PictureHeight = 760, 560

// CenterStep is the worked update as a picture to draw (plots.CenterStep), for a cell that sets its Limits: under
// a slider (α, a feature moved) fixed limits keep the frame still while the picture is redrawn.
func (w *WorkedStep) CenterStep() plots.CenterStep {
	step := plots.CenterStep{Alpha: w.Alpha, Title: language.InPicturef("one center update, α = %g", w.Alpha)}
	for _, x := range w.Features {
		step.Features = append(step.Features, [2]float64{float64(x[0]), float64(x[1])})
	}
	step.OldCenter = [2]float64{float64(w.Center[0]), float64(w.Center[1])}
	step.NewCenter = [2]float64{float64(w.NewCenter[0]), float64(w.NewCenter[1])}
	return step
}

// Picture draws the worked update: the features x₁…x_m and their mean x̄, the arrows c − x_i from each feature to
// the old center c, the step −α·Δc and the new center, PictureWidth x PictureHeight.
func (w *WorkedStep) Picture() ([]byte, error) {
	return w.CenterStep().PNG(PictureWidth, PictureHeight)
}

// float64s and float32s convert a vector, rowsOf a list of them, between the graph's float32 and plain Go's float64.
func float64s(v []float32) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

func float32s(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

func rowsOf(rows [][]float32) [][]float64 {
	out := make([][]float64, len(rows))
	for i, r := range rows {
		out[i] = float64s(r)
	}
	return out
}

// vec writes a vector the way the notebook's text does: (2, 1).
func vec(v []float32) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = strconv.FormatFloat(float64(x), 'g', 4, 32)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}
