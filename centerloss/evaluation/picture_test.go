package evaluation

import (
	"bytes"
	"fmt"
	"image/png"
	"math/rand"
	"os"
	"slices"
	"testing"
)

// clusteredEvaluation is an evaluation of ten classes of dim-wide features around the centers (2 + j)·e_{j mod dim}.
func clusteredEvaluation(dim int) *Evaluation {
	rng := rand.New(rand.NewSource(5))
	eval := &Evaluation{}
	for j := range 10 {
		center := make([]float32, dim)
		center[j%dim] = float32(2 + j)
		eval.Centers = append(eval.Centers, center)
		for range 50 {
			f := make([]float32, dim)
			for d := range f {
				f[d] = center[d] + float32(rng.NormFloat64()*0.3)
			}
			eval.Features, eval.Labels = append(eval.Features, f), append(eval.Labels, j)
		}
	}
	return eval
}

// TestEmbeddingPictureRendersEveryWidth: 2-D one plot, 3-D three panels side by side (wider than high), 8-D
// a PCA plot; 1-D no picture.
func TestEmbeddingPictureRendersEveryWidth(t *testing.T) {
	for _, dim := range []int{1, 2, 3, 8} {
		data, err := EmbeddingPicture(clusteredEvaluation(dim), "test")
		if err != nil {
			t.Fatalf("dim %d: %v", dim, err)
		}
		if dim == 1 {
			if data != nil {
				t.Errorf("dim 1: a picture")
			}
			continue
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("dim %d: %v", dim, err)
		}
		w, h := img.Bounds().Dx(), img.Bounds().Dy()
		switch {
		case dim == 3 && (w < 3*PanelSize || h >= w/2):
			t.Errorf("dim 3: %d×%d, want three %d-px panels in a row", w, h, PanelSize)
		case dim != 3 && (w != PlotSize || h != PlotSize):
			t.Errorf("dim %d: %d×%d, want %d square", dim, w, h, PlotSize)
		}
	}
}

// TestPCAProjectionPutsCentersWithTheirFeatures: projected with the features' own axes, each center is the mean
// of its projected features (the map is affine, and here the centers are the class means up to the noise).
func TestPCAProjectionPutsCentersWithTheirFeatures(t *testing.T) {
	eval := clusteredEvaluation(8)
	project, err := pcaProjection(eval.Features, 8)
	if err != nil {
		t.Fatal(err)
	}
	for j, c := range eval.Centers {
		pc := project(c)
		var mean [2]float64
		for i, f := range eval.Features {
			if eval.Labels[i] == j {
				p := project(f)
				mean[0], mean[1] = mean[0]+float64(p[0])/50, mean[1]+float64(p[1])/50
			}
		}
		if d := (mean[0]-float64(pc[0]))*(mean[0]-float64(pc[0])) + (mean[1]-float64(pc[1]))*(mean[1]-float64(pc[1])); d > 0.05 {
			t.Errorf("class %d: center at %v, its features' mean at %v", j, pc, mean)
		}
	}
}

// TestHeldOutCenterIsNotDrawn: class 9 held out of training keeps its center at the origin, where it started; every
// view leaves that center out and says so in the legend, and the pictures still render.
func TestHeldOutCenterIsNotDrawn(t *testing.T) {
	for _, dim := range []int{2, 3, 8} {
		eval := clusteredEvaluation(dim)
		eval.Centers[9] = make([]float32, dim)
		panels, err := views(eval, "held out")
		if err != nil {
			t.Fatalf("dim %d: %v", dim, err)
		}
		for k, e := range panels {
			for j := range 10 {
				want := j == 9
				if len(e.NoCenter) != 10 || e.NoCenter[j] != want {
					t.Fatalf("dim %d view %d: NoCenter %v, want only class 9", dim, k, e.NoCenter)
				}
			}
			if len(e.ClassNames) != 10 || e.ClassNames[9] != "9 held out" || e.ClassNames[3] != "3" {
				t.Errorf("dim %d view %d: legend names %q", dim, k, e.ClassNames)
			}
		}
		if _, err := EmbeddingPicture(eval, "held out"); err != nil {
			t.Errorf("dim %d: %v", dim, err)
		}
	}
	// Nothing held out: every center drawn, the names are the default ones.
	e := EmbeddingPlot(clusteredEvaluation(2), "all")
	if e.NoCenter != nil || e.ClassNames != nil {
		t.Errorf("nothing held out: NoCenter %v, names %q", e.NoCenter, e.ClassNames)
	}
	// Before the first step every center is at the origin: none is drawn, none was held out.
	eval := clusteredEvaluation(2)
	for j := range eval.Centers {
		eval.Centers[j] = []float32{0, 0}
	}
	e = EmbeddingPlot(eval, "untrained")
	if len(e.NoCenter) != 10 || !e.NoCenter[0] || !e.NoCenter[9] || e.ClassNames != nil {
		t.Errorf("untrained: NoCenter %v, names %q", e.NoCenter, e.ClassNames)
	}
}

// TestViewsNameTheirAxes: the 2-D plot's axes are the network's features (the plot's default names), the 3-D
// panels' the pairs of features they show, and a wider embedding's its principal components.
func TestViewsNameTheirAxes(t *testing.T) {
	labels := func(dim int) [][2]string {
		panels, err := views(clusteredEvaluation(dim), "t")
		if err != nil {
			t.Fatal(err)
		}
		var out [][2]string
		for _, e := range panels {
			out = append(out, [2]string{e.XLabel, e.YLabel})
		}
		return out
	}
	want := map[int][][2]string{
		2: {{"", ""}},
		3: {{"feature 1 of 3", "feature 2 of 3"}, {"feature 1 of 3", "feature 3 of 3"}, {"feature 2 of 3", "feature 3 of 3"}},
		8: {{"principal component 1 of the 8-D features", "principal component 2 of the 8-D features"}},
	}
	for dim, w := range want {
		if got := labels(dim); !slices.Equal(got, w) {
			t.Errorf("dim %d: axes %q, want %q", dim, got, w)
		}
	}
}

// TestHeldOutSample writes /tmp/heldout_2d.png and /tmp/heldout_3d.png when PLOTS_SAMPLE=1.
func TestHeldOutSample(t *testing.T) {
	if os.Getenv("PLOTS_SAMPLE") != "1" {
		t.Skip("set PLOTS_SAMPLE=1 to write /tmp/heldout_*.png")
	}
	for _, dim := range []int{2, 3, 8} {
		eval := clusteredEvaluation(dim)
		eval.Centers[9] = make([]float32, dim)
		data, err := EmbeddingPicture(eval, "digit 9 held out")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(fmt.Sprintf("/tmp/heldout_%dd.png", dim), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
