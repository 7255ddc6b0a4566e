package evaluation

import (
	"fmt"

	"github.com/centerloss/centerloss/centerloss/data"
	"github.com/centerloss/centerloss/centerloss/metrics"
	"github.com/pkg/errors"
)

// EmbeddingMetrics are the record's figures of the embedding's geometry (package metrics says how each is
// computed). With a held-out class, all but the open-set AUROC are over the known classes only: the test
// features of the known classes, their centers, and a gallery from the training split, which lacks the held-out
// class.
type EmbeddingMetrics struct {
	IntraClassSpread     float64           `json:"intra_class_spread"`         // mean distance of a test feature to its own center
	InterClassSeparation float64           `json:"inter_class_separation"`     // smallest distance between two centers
	ClosestCenters       [2]int            `json:"closest_centers"`            // the two classes of that smallest distance
	IntraInterRatio      Optional[float64] `json:"intra_inter_ratio,omitzero"` // spread / separation, lower is better; absent when two centers coincide
	KNNAccuracy          float64           `json:"knn_accuracy"`               // test features classified by their nearest training features
	KNNK                 int               `json:"knn_k"`
	// NearestMeanAccuracy classifies each test feature by the nearest class mean of the kNN gallery's features
	// (training images): the accuracy of the metric losses, whose classifier layer is never trained, and a
	// figure every loss has, to compare them on.
	NearestMeanAccuracy float64           `json:"nearest_mean_accuracy"`
	KNNGallery          int               `json:"knn_gallery"`             // training images in the gallery
	HoldoutDigit        Optional[int]     `json:"holdout_digit,omitzero"`  // the class held out of training, if any
	OpenSetAUROC        Optional[float64] `json:"open_set_auroc,omitzero"` // held-out vs known test images, by distance to the nearest known center
}

// MeasureEmbedding measures the embedding that test (the evaluation on the test split) shows, running the
// network over the kNN gallery, the first KNNGallerySize images of trained, the training split as the model was
// trained on it (without the held-out class).
func (e *Embedder) MeasureEmbedding(test *Evaluation, trained data.Split) (*EmbeddingMetrics, error) {
	holdout := e.holdout
	centers := knownCenters(test.Centers, holdout)
	var features [][]float32
	var labels []int
	for i, l := range test.Labels {
		if l != holdout {
			features, labels = append(features, test.Features[i]), append(labels, l)
		}
	}
	m := &EmbeddingMetrics{KNNK: KNNK.Get(e.scope)}
	var err error
	if m.IntraClassSpread, err = metrics.IntraClassSpread(features, labels, centers); err != nil {
		return nil, errors.WithMessage(err, "intra-class spread")
	}
	separation, err := metrics.InterClassSeparation(centers)
	if err != nil {
		return nil, errors.WithMessage(err, "inter-class separation")
	}
	m.InterClassSeparation, m.ClosestCenters = separation.Distance, [2]int{separation.A, separation.B}
	if ratio, err := metrics.IntraInterRatio(m.IntraClassSpread, m.InterClassSeparation); err == nil {
		m.IntraInterRatio = Some(ratio)
	}

	gallerySplit := data.Head(trained, KNNGallerySize.Get(e.scope))
	gallery, err := e.Evaluate(gallerySplit)
	if err != nil {
		return nil, errors.WithMessage(err, "embedding the kNN gallery")
	}
	m.KNNGallery = gallerySplit.Len()
	if m.KNNAccuracy, err = metrics.KNNAccuracy(gallery.Features, gallery.Labels, features, labels, m.KNNK); err != nil {
		return nil, errors.WithMessage(err, "kNN accuracy")
	}
	means, err := metrics.ClassMeans(gallery.Features, gallery.Labels, len(test.Centers))
	if err != nil {
		return nil, errors.WithMessage(err, "class means of the gallery")
	}
	if m.NearestMeanAccuracy, err = metrics.NearestMeanAccuracy(features, labels, means); err != nil {
		return nil, errors.WithMessage(err, "nearest-mean accuracy")
	}

	if holdout >= 0 {
		m.HoldoutDigit = Some(holdout)
		// Absent rather than an error when the test split has no image of the held-out class (a small subset).
		if auroc, err := metrics.OpenSetAUROC(test.Features, test.Labels, centers, holdout); err == nil {
			m.OpenSetAUROC = Some(auroc)
		}
	}
	return m, nil
}

// Summary is the figures in one line, for the log of a run.
func (m *EmbeddingMetrics) Summary() string {
	line := fmt.Sprintf("spread %.3f, separation %.3f (%d–%d)", m.IntraClassSpread, m.InterClassSeparation,
		m.ClosestCenters[0], m.ClosestCenters[1])
	if m.IntraInterRatio.OK {
		line += fmt.Sprintf(", ratio %.3f (lower is better)", m.IntraInterRatio.Value)
	}
	line += fmt.Sprintf(", %d-NN accuracy %.2f%% (gallery %d), nearest-mean accuracy %.2f%%", m.KNNK,
		100*m.KNNAccuracy, m.KNNGallery, 100*m.NearestMeanAccuracy)
	if m.OpenSetAUROC.OK {
		line += fmt.Sprintf(", open-set AUROC %.3f (digit %d held out)", m.OpenSetAUROC.Value, m.HoldoutDigit.Value)
	}
	return line
}
