package notebook

import (
	"bytes"
	"image/png"
	"strings"
	"testing"
)

// TestExplainKeepsMAndNApart: the gradient is divided by the batch size m, Eq. 4 by 1 + n; with the theory
// notebook's four features of one class, m = n = 4, and the printout says so.
func TestExplainKeepsMAndNApart(t *testing.T) {
	w, err := WorkOneStep([][]float32{{2, 1}, {3, 2}, {1, 3}, {2, 2}}, []float32{0, 0}, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	if w.BatchSize != 4 || w.ClassCount != 4 {
		t.Errorf("m = %d, n = %d, want 4 and 4", w.BatchSize, w.ClassCount)
	}
	var out bytes.Buffer
	w.explain(&out)
	text := out.String()
	for _, want := range []string{
		"batch of m = 4 features, n = 4 of them of this class",
		"so m = n",
		"∂L_C/∂x_i = (x_i − c)/m",
		"2   (3, 2)       (-3, -2)     (0.75, 0.5)", // (x_2 − c)/m = (3, 2)/4
		"L_C = ½ · (1/m) Σ ‖x_i − c‖² (the mean over the batch) = 4.5",
		"Δc = Σ (c − x_i) / (1 + n) = (-8, -8) / 5 = (-1.6, -1.6)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("printout lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, ")/n") {
		t.Errorf("the gradient divided by n:\n%s", text)
	}

	step := w.CenterStep()
	if step.OldCenter != [2]float64{0, 0} || step.NewCenter[0] < 0.79 || step.NewCenter[0] > 0.81 || len(step.Features) != 4 ||
		step.Features[1] != [2]float64{3, 2} || step.Limits != nil {
		t.Errorf("CenterStep %+v", step)
	}
	data, err := w.Picture()
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != PictureWidth || b.Dy() != PictureHeight {
		t.Errorf("picture %v", b)
	}
}
