package training

import (
	"iter"
	"math/rand"

	"github.com/centerloss/centerloss/centerloss/data"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/pkg/errors"
)

// ShuffledBatches is the training data as GoMLX's train.Loop consumes it: full batches of images
// [batch, rows, cols, 1] and labels [batch, 1] (int32), in an order that depends only on (seed, epoch).
//
// It stands in for dataset.InMemoryDataset. In GoMLX v0.28 that one's shuffle is seeded (WithRand), but each call
// of its Iter draws a new permutation and starts at the first batch, and train.Loop calls Iter at every RunSteps:
// a run resumed at batch p of epoch e, or trained in chunks (a notebook's live redraws), would need the same
// permutation continued from p. Here Iter continues from where SeekEpoch put it.
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
			BatchSize.Key, batchSize, split.Len())
	}
	labels := make([]int32, split.Len())
	for i, l := range split.Labels {
		labels[i] = int32(l)
	}
	b := &ShuffledBatches{pixels: data.NormalizedPixels(split.Images), labels: labels,
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

// Iter implements train.Dataset: the batches from the current position to the end of the epoch. Unlike GoMLX's
// datasets it does not rewind: SeekEpoch says where an epoch starts.
func (b *ShuffledBatches) Iter() iter.Seq2[train.Batch, error] {
	return func(yield func(train.Batch, error) bool) {
		for b.next+b.batchSize <= len(b.order) {
			if !yield(b.batch(b.order[b.next:b.next+b.batchSize]), nil) {
				return
			}
		}
	}
}

// batch gathers the examples into images [batch, rows, cols, 1] and labels [batch, 1], and moves past them.
func (b *ShuffledBatches) batch(examples []int) train.Batch {
	imageSize := b.rows * b.cols
	images := make([]float32, len(examples)*imageSize)
	labels := make([]int32, len(examples))
	for i, example := range examples {
		copy(images[i*imageSize:(i+1)*imageSize], b.pixels[example*imageSize:(example+1)*imageSize])
		labels[i] = b.labels[example]
	}
	b.next += len(examples)
	return train.Batch{
		Inputs: []*tensors.Tensor{tensors.FromFlatDataAndDimensions(images, len(examples), b.rows, b.cols, 1)},
		Labels: []*tensors.Tensor{tensors.FromFlatDataAndDimensions(labels, len(examples), 1)},
	}
}
