package evaluation

import (
	"fmt"

	"github.com/centerloss/centerloss/centerloss/plots"
	"github.com/centerloss/centerloss/centerloss/teach"
	"github.com/pkg/errors"
)

// PlotSize is the side, in pixels, of a 2-D embedding's picture.
const PlotSize = 800

// PanelSize is the side, in pixels, of each of the three panels of a 3-D embedding's picture.
const PanelSize = 600

// EmbeddingPicture draws an evaluation's test features and centers as a PNG, whatever the embedding's width:
//
//   - 2-D: the scatter plot of EmbeddingPlot, PlotSize square;
//   - 3-D: three panels side by side, the pairwise views (x₀, x₁), (x₀, x₂) and (x₁, x₂), each PanelSize square.
//     Chosen over one rotated, orthographic view with a drawn tripod: a projection along a slanted axis lays
//     clusters that are apart in depth over each other, and its axes carry no readable scale, while three
//     axis-aligned views together show every coordinate with its units (an engineering drawing's three views);
//   - wider: the first two principal components of the test features (teach.PCA2), the centers projected onto
//     the same axes: a shadow of the embedding, so clusters that overlap in it may still be apart (the metrics
//     of the record, computed in the full dimension, say how far).
//
// A 1-D embedding has no picture (nil, nil).
func EmbeddingPicture(eval *Evaluation, title string) ([]byte, error) {
	if len(eval.Centers) == 0 {
		return nil, errors.New("no class centers to draw")
	}
	dim := len(eval.Centers[0])
	switch {
	case dim < 2:
		return nil, nil
	case dim == 2:
		return EmbeddingPlot(eval, title).PNG(PlotSize, PlotSize)
	case dim == 3:
		var panels [][]byte
		var captions []string
		for _, axes := range [][2]int{{0, 1}, {0, 2}, {1, 2}} {
			e := projected(eval, func(v []float32) [2]float32 { return [2]float32{v[axes[0]], v[axes[1]]} })
			e.Title = fmt.Sprintf("x%d – x%d", axes[0], axes[1])
			png, err := e.PNG(PanelSize, PanelSize)
			if err != nil {
				return nil, err
			}
			panels = append(panels, png)
			captions = append(captions, fmt.Sprintf("horizontal x%d, vertical x%d", axes[0], axes[1]))
		}
		captions[1] = title + "\n" + captions[1]
		return plots.Grid(panels, captions, 3)
	}
	project, err := pcaProjection(eval.Features, dim)
	if err != nil {
		return nil, err
	}
	e := projected(eval, project)
	e.Title = fmt.Sprintf("%s (%d-D, first two principal components)", title, dim)
	return e.PNG(PlotSize, PlotSize)
}

// projected is the 2-D scatter plot of eval's features and centers mapped by project. Nil centers (a held-out
// class) are drawn at their projection of the origin, as EmbeddingPlot draws them.
func projected(eval *Evaluation, project func([]float32) [2]float32) *plots.Embedding {
	features := make([][2]float32, len(eval.Features))
	for i, f := range eval.Features {
		features[i] = project(f)
	}
	centers := make([][2]float32, len(eval.Centers))
	for j, c := range eval.Centers {
		centers[j] = project(c)
	}
	return &plots.Embedding{Features: features, Labels: eval.Labels, Centers: centers}
}

// pcaProjection returns the map of a dim-wide point onto the first two principal components of features [n][dim]:
// (x − mean) · component_k, so the centers land where their features do.
func pcaProjection(features [][]float32, dim int) (func([]float32) [2]float32, error) {
	flat := make([]float32, 0, len(features)*dim)
	mean := make([]float64, dim)
	for _, f := range features {
		flat = append(flat, f...)
		for d, v := range f {
			mean[d] += float64(v) / float64(len(features))
		}
	}
	_, components, err := teach.PCA2(flat, len(features), dim)
	if err != nil {
		return nil, errors.WithMessage(err, "projecting the embedding on its principal components")
	}
	return func(v []float32) [2]float32 {
		var p [2]float64
		for k := range 2 {
			for d := range dim {
				p[k] += (float64(v[d]) - mean[d]) * components[k][d]
			}
		}
		return [2]float32{float32(p[0]), float32(p[1])}
	}, nil
}

// EmbeddingPlot turns an evaluation of a 2-D embedding into the scatter plot of its features and centers.
func EmbeddingPlot(eval *Evaluation, title string) *plots.Embedding {
	e := projected(eval, func(v []float32) [2]float32 { return [2]float32{v[0], v[1]} })
	e.Title = title
	return e
}
