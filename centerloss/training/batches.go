package centerloss

import (
	"io"
	"math/rand"

	"github.com/centerloss/centerloss/centerloss/data"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/pkg/errors"
)

// MNIST's pixel mean and standard deviation (of x/255 over the training set), the normalisation every PyTorch
// MNIST example uses, so the inputs are centred and of unit scale.
const (
	PixelMean = 0.1307
	PixelStd  = 0.3081
)

// NormalizedPixels converts IDX images to the network's input values, (x/255 − mean)/std, row-major [n·rows·cols].
func NormalizedPixels(images *data.Images) []float32 {
	values := make([]float32, len(images.Pixels))
	for i, p := range images.Pixels {
		values[i] = (float32(p)/255 - PixelMean) / PixelStd
	}
	return values
}

// ShuffledBatches is the training data as GoMLX's train.Loop consumes it: full batches of images
// [batch, rows, cols, 1] and labels [batch, 1] (int32), in an order that depends only on (seed, epoch).
//
// It stands in for datasets.InMemoryDataset, whose shuffle in GoMLX v0.26 draws from Go's global random source
// whatever generator it is given (WithRand), so no two runs, and no resumed run, would see the same batches.
type ShuffledBatches struct {
	pixels     []float32 // [n·rows·cols], normalised
	labels     []int32   // [n]
	rows, cols int
	batchSize  int
	order      []int // a permutation of the examples for the current epoch
	next       int   // position in order of the next batch
}

// Compile-time check that it is a GoMLX dataset.
var _ train.Dataset = (*ShuffledBatches)(nil)

// NewShuffledBatches prepares the split for training in batches of batchSize (the last incomplete batch of each
// epoch is dropped, so an epoch is ⌊n / batchSize⌋ steps).
func NewShuffledBatches(split data.Split, batchSize int) (*ShuffledBatches, error) {
	if batchSize < 1 || batchSize > split.Len() {
		return nil, errors.Errorf("setting %s=%d: must be between 1 and the %d training images",
			ParamBatchSize, batchSize, split.Len())
	}
	labels := make([]int32, split.Len())
	for i, l := range split.Labels {
		labels[i] = int32(l)
	}
	b := &ShuffledBatches{pixels: NormalizedPixels(split.Images), labels: labels,
		rows: split.Images.Rows, cols: split.Images.Cols, batchSize: batchSize}
	b.SeekEpoch(0, 0, 0)
	return b, nil
}

// StepsPerEpoch is the number of full batches in an epoch.
func (b *ShuffledBatches) StepsPerEpoch() int { return len(b.labels) / b.batchSize }

// SeekEpoch positions the data at batch pos of the given epoch, whose order is drawn from (seed, epoch) alone.
func (b *ShuffledBatches) SeekEpoch(seed int64, epoch, pos int) {
	b.order = rand.New(rand.NewSource(seed*1_000_003 + int64(epoch))).Perm(len(b.labels))
	b.next = pos * b.batchSize
}

// Name implements train.Dataset.
func (b *ShuffledBatches) Name() string { return "train" }

// Reset implements train.Dataset: it rewinds to the start of the current epoch's order.
func (b *ShuffledBatches) Reset() { b.next = 0 }

// Yield implements train.Dataset: the next batch of the epoch, or io.EOF at its end.
func (b *ShuffledBatches) Yield() (spec any, inputs, labels []*tensors.Tensor, err error) {
	if b.next+b.batchSize > len(b.order) {
		return nil, nil, nil, io.EOF
	}
	imageSize := b.rows * b.cols
	images := make([]float32, b.batchSize*imageSize)
	batchLabels := make([]int32, b.batchSize)
	for i, example := range b.order[b.next : b.next+b.batchSize] {
		copy(images[i*imageSize:(i+1)*imageSize], b.pixels[example*imageSize:(example+1)*imageSize])
		batchLabels[i] = b.labels[example]
	}
	b.next += b.batchSize
	return nil,
		[]*tensors.Tensor{tensors.FromFlatDataAndDimensions(images, b.batchSize, b.rows, b.cols, 1)},
		[]*tensors.Tensor{tensors.FromFlatDataAndDimensions(batchLabels, b.batchSize, 1)},
		nil
}
