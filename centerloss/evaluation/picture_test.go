package evaluation

import (
	"bytes"
	"image/png"
	"math/rand"
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
