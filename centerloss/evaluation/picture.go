package evaluation

import (
	"strconv"

	"github.com/centerloss/centerloss/centerloss/language"
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
//   - 3-D: three panels side by side, the pairwise views (feature 1, feature 2), (1, 3) and (2, 3), each PanelSize
//     square, their axes named. Chosen over one rotated, orthographic view with a drawn tripod: a projection along
//     a slanted axis lays clusters that are apart in depth over each other, and its axes carry no readable scale,
//     while three axis-aligned views together show every coordinate with its units (an engineering drawing's three
//     views);
//   - wider: the first two principal components of the test features (teach.PCA2), the centers projected onto
//     the same axes: a shadow of the embedding, so clusters that overlap in it may still be apart (the metrics
//     of the record, computed in the full dimension, say how far).
//
// A class that was never trained (held out: see untrained) has no center drawn, in every view.
// A 1-D embedding has no picture (nil, nil).
func EmbeddingPicture(eval *Evaluation, title string) ([]byte, error) {
	if len(eval.Centers) == 0 {
		return nil, errors.New("no class centers to draw")
	}
	panels, err := views(eval, title)
	if err != nil || len(panels) == 0 {
		return nil, err
	}
	if len(panels) == 1 {
		return panels[0].PNG(PlotSize, PlotSize)
	}
	var pngs [][]byte
	for _, e := range panels {
		png, err := e.PNG(PanelSize, PanelSize)
		if err != nil {
			return nil, err
		}
		pngs = append(pngs, png)
	}
	return plots.Grid(pngs, []string{"", title, ""}, 3) // the axes say which view is which
}

// views returns the scatter plots EmbeddingPicture draws: none for 1-D, one for 2-D or wider (PCA), three for 3-D.
func views(eval *Evaluation, title string) ([]*plots.Embedding, error) {
	dim := len(eval.Centers[0])
	switch {
	case dim < 2:
		return nil, nil
	case dim == 2:
		return []*plots.Embedding{EmbeddingPlot(eval, title)}, nil
	case dim == 3:
		var panels []*plots.Embedding
		for _, axes := range [][2]int{{0, 1}, {0, 2}, {1, 2}} {
			e := projected(eval, func(v []float32) [2]float32 { return [2]float32{v[axes[0]], v[axes[1]]} })
			e.Title = language.InPicturef("features %d and %d of 3", axes[0]+1, axes[1]+1)
			e.XLabel, e.YLabel = language.InPicturef("feature %d of 3", axes[0]+1), language.InPicturef("feature %d of 3", axes[1]+1)
			panels = append(panels, e)
		}
		return panels, nil
	}
	project, err := pcaProjection(eval.Features, dim)
	if err != nil {
		return nil, err
	}
	e := projected(eval, project)
	e.Title = language.InPicturef("%s (%d-D, first two principal components)", title, dim)
	e.XLabel = language.InPicturef("principal component 1 of the %d-D features", dim)
	e.YLabel = language.InPicturef("principal component 2 of the %d-D features", dim)
	return []*plots.Embedding{e}, nil
}

// untrained reports, per class, whether its center is nil or exactly at the origin, where the centers start: a
// class with no training sample (a held-out one) never enters Eq. 4's sum, so its center never moves, and it is no
// center of anything. A trained center lands exactly on 0 in float32 by accident only. The Evaluation does not
// carry the holdout setting, so this is how the picture knows it.
func untrained(centers [][]float32) []bool {
	out := make([]bool, len(centers))
	for j, c := range centers {
		out[j] = true
		for _, v := range c {
			if v != 0 {
				out[j] = false
				break
			}
		}
	}
	return out
}

// projected is the 2-D scatter plot of eval's features and centers mapped by project. Untrained centers are left
// out of it; while other classes were trained, the legend says the class was held out.
func projected(eval *Evaluation, project func([]float32) [2]float32) *plots.Embedding {
	features := make([][2]float32, len(eval.Features))
	for i, f := range eval.Features {
		features[i] = project(f)
	}
	noCenter := untrained(eval.Centers)
	centers := make([][2]float32, len(eval.Centers))
	names := make([]string, len(eval.Centers))
	someTrained, someNot := false, false
	for j, c := range eval.Centers {
		names[j] = strconv.Itoa(j)
		if noCenter[j] {
			someNot = true
			continue // a placeholder at (0, 0), never drawn
		}
		someTrained = true
		centers[j] = project(c)
	}
	e := &plots.Embedding{Features: features, Labels: eval.Labels, Centers: centers}
	if someNot {
		e.NoCenter = noCenter
	}
	if someTrained && someNot { // before the first step no class has a center, and none was held out
		for j := range names {
			if noCenter[j] {
				names[j] = language.InPicturef("%d held out", j)
			}
		}
		e.ClassNames = names
	}
	return e
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
