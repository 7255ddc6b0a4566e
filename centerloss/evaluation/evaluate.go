// Package evaluation runs a trained network (LeNet++ or any model of the same two outputs) over whole splits and measures what its embedding shows: accuracy,
// the losses, the distances to the class centers, the embedding metrics of package metrics (spread, separation,
// k-nearest-neighbour and nearest-mean accuracy, open-set AUROC) and the picture of the embedding.
package evaluation

import (
	"math"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/data"
	"github.com/centerloss/centerloss/centerloss/metrics"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/pkg/errors"
)

// Evaluation is what one pass of the trained network over a split shows: the figures of metrics.jsonl and the
// features the plots draw.
type Evaluation struct {
	// Accuracy is the fraction of images whose largest logit is their label; with a class held out of training
	// (the Embedder's holdout), of the images of the known classes: the held-out one can never be right.
	Accuracy    float64
	SoftmaxLoss float64 // mean cross-entropy
	CenterLoss  float64 // ½·mean ‖x_i − c_{y_i}‖², with the current centers
	// MeanCenterDistance is the mean Euclidean distance of each feature to its own class center: how compact the
	// clusters are, the figure center loss exists to shrink.
	MeanCenterDistance float64

	Features    [][]float32 // [n][dim]
	Labels      []int       // [n]
	Predictions []int       // [n]
	Centers     [][]float32 // [numClasses][dim]
}

// Embedder runs the network forward (no training, no center update) over whole splits, in batches.
type Embedder struct {
	exec      *model.Exec
	scope     *model.Scope
	batchSize int
	holdout   int // the class held out of training, -1 for none: the figures are over the known classes
}

// ModelFn is a network the Embedder runs: images [batch, 28, 28, 1] → [logits [batch, classes], features
// [batch, dim]], as lenetpp.ModelFn.
type ModelFn = func(scope *model.Scope, images *graph.Node) []*graph.Node

// NewEmbedder compiles the forward pass of modelFn with the variables held in store. holdout is the class the model
// was not trained on (-1: none).
func NewEmbedder(backend compute.Backend, store *model.Store, modelFn ModelFn, holdout int) (*Embedder, error) {
	exec, err := model.NewExec(backend, store, modelFn)
	if err != nil {
		return nil, err
	}
	scope := store.RootScope()
	return &Embedder{exec: exec, scope: scope, batchSize: EvalBatchSize.Get(scope), holdout: holdout}, nil
}

// Evaluate runs the network over split and computes the Evaluation.
func (e *Embedder) Evaluate(split data.Split) (*Evaluation, error) {
	n := split.Len()
	flat := data.NormalizedPixels(split.Images)
	imageSize := split.Images.Rows * split.Images.Cols
	eval := &Evaluation{Labels: make([]int, n), Predictions: make([]int, n), Features: make([][]float32, 0, n)}
	var softmaxSum float64
	for start := 0; start < n; start += e.batchSize {
		end := min(start+e.batchSize, n)
		batch := tensors.FromFlatDataAndDimensions(flat[start*imageSize:end*imageSize],
			end-start, split.Images.Rows, split.Images.Cols, 1)
		outputs, err := e.exec.Call(batch)
		batch.FinalizeAll()
		if err != nil {
			return nil, errors.WithMessage(err, "evaluating the network")
		}
		logits := tensors.MustCopyFlatData[float32](outputs[0])
		features := tensors.MustCopyFlatData[float32](outputs[1])
		numClasses, dim := outputs[0].Shape().Dimensions[1], outputs[1].Shape().Dimensions[1]
		for _, t := range outputs {
			t.FinalizeAll()
		}
		for i := range end - start {
			label := int(split.Labels[start+i])
			row := logits[i*numClasses : (i+1)*numClasses]
			eval.Labels[start+i] = label
			eval.Predictions[start+i] = argmax(row)
			softmaxSum += crossEntropy(row, label)
			eval.Features = append(eval.Features, features[i*dim:(i+1)*dim])
		}
	}
	centers, err := Centers(e.scope.Store())
	if err != nil {
		return nil, err
	}
	eval.Centers = centers
	var squaredSum float64
	for i, f := range eval.Features {
		squaredSum += metrics.SquaredDistance(f, centers[eval.Labels[i]])
	}
	eval.Accuracy = KnownClassAccuracy(eval.Predictions, eval.Labels, e.holdout)
	eval.SoftmaxLoss = softmaxSum / float64(n)
	eval.CenterLoss = 0.5 * squaredSum / float64(n)
	// The same figure as the records' intra_class_spread (without a held-out class): one definition of it.
	if eval.MeanCenterDistance, err = metrics.IntraClassSpread(eval.Features, eval.Labels, centers); err != nil {
		return nil, errors.WithMessage(err, "mean distance to the class centers")
	}
	return eval, nil
}

// Centers returns the class centers held in store (or in the checkpoint loaded into it), [numClasses][dim].
func Centers(store *model.Store) ([][]float32, error) {
	v := store.GetVariable(model.JoinPath("/", centerloss.CentersScope, centerloss.CentersVariableName))
	if v == nil {
		return nil, errors.New("reading the class centers: the model has none yet")
	}
	t, err := v.Value()
	if err != nil {
		return nil, errors.WithMessage(err, "reading the class centers")
	}
	dims := t.Shape().Dimensions
	flat := tensors.MustCopyFlatData[float32](t)
	centers := make([][]float32, dims[0])
	for j := range centers {
		centers[j] = flat[j*dims[1] : (j+1)*dims[1]]
	}
	return centers, nil
}

func argmax(row []float32) int {
	best := 0
	for i, v := range row {
		if v > row[best] {
			best = i
		}
	}
	return best
}

// crossEntropy is −log softmax(row)[label], computed stably.
func crossEntropy(row []float32, label int) float64 {
	maxLogit := float64(row[argmax(row)])
	var sum float64
	for _, v := range row {
		sum += math.Exp(float64(v) - maxLogit)
	}
	return maxLogit + math.Log(sum) - float64(row[label])
}
