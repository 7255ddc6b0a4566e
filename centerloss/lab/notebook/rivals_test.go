package notebook

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"github.com/centerloss/centerloss/centerloss/evaluation"
	"github.com/centerloss/centerloss/centerloss/rivals"
	"github.com/centerloss/centerloss/centerloss/training"
)

// fakeRival is a trained rival as TrainRivals leaves it, without training: ten clusters in dim dimensions, a
// record and a three-point history.
func fakeRival(name string, dim int, by string) *Rival {
	eval := &evaluation.Evaluation{}
	for j := range 10 {
		c := make([]float32, dim)
		c[0], c[1] = float32(j), float32(-j)
		eval.Centers = append(eval.Centers, c)
		for k := range 3 {
			f := append([]float32(nil), c...)
			f[0] += 0.1 * float32(k)
			eval.Features = append(eval.Features, f)
			eval.Labels = append(eval.Labels, j)
		}
	}
	rec := &training.Record{Step: 60, TestAccuracy: 0.9, AccuracyBy: by}
	rec.KNNAccuracy, rec.IntraInterRatio = 0.95, evaluation.Some(0.25)
	rec.HoldoutDigit, rec.OpenSetAUROC = evaluation.Some(9), evaluation.Some(0.8)
	h := &History{Steps: []float64{20, 40, 60}, TrainLoss: []float64{2, 1, 0.5}, TestAccuracy: []float64{0.5, 0.8, 0.9}, Last: eval}
	return &Rival{RivalResult: &rivals.RivalResult{Rival: rivals.Rival{Name: name}, Record: rec, Evaluation: eval},
		History: h}
}

func decodeSize(t *testing.T, data []byte) (int, int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return img.Bounds().Dx(), img.Bounds().Dy()
}

func TestRivalsPictureSideBySide(t *testing.T) {
	two := []*Rival{fakeRival("eq4", 2, "softmax"), fakeRival("gradient", 2, "softmax")}
	picture, err := RivalsPicture(two)
	if err != nil {
		t.Fatal(err)
	}
	if w, h := decodeSize(t, picture); w < 2*480 || h < 480 || h > 2*480 {
		t.Errorf("two 2-D rivals drawn %d×%d, want one row of two 480-pixel tiles", w, h)
	}
	// 3-D: three views each, one rival under the other.
	three := []*Rival{fakeRival("softmax", 3, "softmax"), fakeRival("center", 3, "softmax")}
	picture, err = RivalsPicture(three)
	if err != nil {
		t.Fatal(err)
	}
	if w, h := decodeSize(t, picture); w < 3*evaluation.PanelSize || h < 2*evaluation.PanelSize {
		t.Errorf("two 3-D rivals drawn %d×%d, want two rows of three views", w, h)
	}
	untrained := []*Rival{{RivalResult: &rivals.RivalResult{Rival: rivals.Rival{Name: "x"}}}}
	if _, err := RivalsPicture(untrained); err == nil {
		t.Error("a rival without an evaluation must be an error")
	}
}

func TestRivalCurvesLeaveMetricLossesOutOfTheAccuracy(t *testing.T) {
	softmaxOnly := []*Rival{fakeRival("eq4", 2, "softmax"), fakeRival("gradient", 2, "softmax")}
	both, err := RivalCurves(softmaxOnly)
	if err != nil {
		t.Fatal(err)
	}
	metricOnly := []*Rival{fakeRival("contrastive", 2, "nearest_center")}
	lossOnly, err := RivalCurves(metricOnly)
	if err != nil {
		t.Fatal(err)
	}
	wBoth, _ := decodeSize(t, both)
	wLoss, _ := decodeSize(t, lossOnly)
	if wBoth < 2*560 || wLoss >= 2*560 {
		t.Errorf("widths %d (loss and accuracy) and %d (loss alone)", wBoth, wLoss)
	}
}

func TestRivalsTableSaysHowAccuracyWasMeasured(t *testing.T) {
	var buf bytes.Buffer
	writeRivalsTable(&buf, []*Rival{fakeRival("softmax", 2, "softmax"), fakeRival("triplet", 2, "nearest_center")})
	out := buf.String()
	for _, want := range []string{"softmax", "triplet", "nearest_center", "kNN accuracy", "open-set AUROC (digit 9 out)",
		"nearest class mean"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if got := rivalCaption(fakeRival("triplet", 2, "nearest_center")); !strings.Contains(got, "(nearest center)") ||
		!strings.Contains(got, "ratio 0.250") {
		t.Errorf("caption %q", got)
	}
}
