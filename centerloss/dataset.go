package centerloss

import (
	"math/rand"

	"github.com/centerloss/centerloss/centerloss/data"
	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/datasets"
	"github.com/pkg/errors"
)

// MNIST's pixel mean and standard deviation (of x/255 over the training set), the normalisation every PyTorch
// MNIST example uses, so the inputs are centred and of unit scale.
const (
	PixelMean = 0.1307
	PixelStd  = 0.3081
)

// ImagesTensor converts IDX images to the network's input: float32 [n, rows, cols, 1], normalised.
func ImagesTensor(images *data.Images) *tensors.Tensor {
	values := make([]float32, len(images.Pixels))
	for i, p := range images.Pixels {
		values[i] = (float32(p)/255 - PixelMean) / PixelStd
	}
	return tensors.FromFlatDataAndDimensions(values, images.N, images.Rows, images.Cols, 1)
}

// LabelsTensor converts labels to int32 [n, 1], the layout GoMLX's sparse cross-entropy expects.
func LabelsTensor(labels []uint8) *tensors.Tensor {
	values := make([]int32, len(labels))
	for i, l := range labels {
		values[i] = int32(l)
	}
	return tensors.FromFlatDataAndDimensions(values, len(labels), 1)
}

// TrainDataset returns the training split as an infinite, shuffled InMemoryDataset of full batches: an epoch is
// len/batchSize steps. Call ReshuffleForEpoch at the start of each epoch to make the order a function of
// (seed, epoch) alone, so a run resumed from a checkpoint sees the same batches as an unbroken one.
func TrainDataset(backend backends.Backend, split data.Split, batchSize int) (*datasets.InMemoryDataset, error) {
	if batchSize < 1 || batchSize > split.Len() {
		return nil, errors.Errorf("batch size %d: must be between 1 and the %d training images", batchSize, split.Len())
	}
	ds, err := datasets.InMemoryFromData(backend, "train",
		[]any{ImagesTensor(split.Images)}, []any{LabelsTensor(split.Labels)})
	if err != nil {
		return nil, err
	}
	return ds.BatchSize(batchSize, true).Shuffle().Infinite(true), nil
}

// ReshuffleForEpoch reseeds the dataset's order for the given epoch and rewinds it.
func ReshuffleForEpoch(ds *datasets.InMemoryDataset, seed int64, epoch int) {
	ds.WithRand(rand.New(rand.NewSource(seed*1_000_003 + int64(epoch))))
	ds.Reset()
}
