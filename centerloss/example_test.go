package centerloss_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/xlabackend"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// Example adds center loss to a model of one's own. The model returns two predictions, the logits and the
// features the centers are kept for; centerloss.Loss is the training loss L_S + λ·L_C, and moves the centers by
// the paper's Eq. 4 inside each training step (the centers are a variable of the store that no optimizer touches).
func Example() {
	myModel := func(scope *model.Scope, x *graph.Node) []*graph.Node {
		hidden := activation.Relu(layers.DenseWithBias(scope.In("hidden"), x, 16)) // [batch, 16]
		features := layers.DenseWithBias(scope.In("features"), hidden, 2)          // [batch, 2]
		logits := layers.DenseWithBias(scope.In("logits"), features, 3)            // [batch, 3]
		return []*graph.Node{logits, features}
	}
	backend, err := xlabackend.NewBackend("") // XLA's CPU plugin, or CUDA where a GPU is
	if err != nil {
		fmt.Println(err)
		return
	}
	store := model.NewStore()
	centerloss.Lambda.Set(store.RootScope(), 0.1) // λ; α (centerloss.Alpha) keeps the paper's 0.5
	trainer := train.NewTrainer(backend, store, myModel, centerloss.Loss(store.RootScope()),
		optimizer.Adam().Done(), centerloss.TermMetrics(), nil)

	batch := threeClouds()
	var first, last float32
	for step := range 300 {
		metrics, err := trainer.TrainStep(batch) // [loss, moving loss, softmax term, center term]
		if err != nil {
			fmt.Println(err)
			return
		}
		last = tensors.ToScalar[float32](metrics[3])
		if step == 0 {
			first = last
		}
	}
	fmt.Println("the center loss fell to less than half:", last < first/2)
	// Output: the center loss fell to less than half: true
}

// threeClouds is a batch of 90 points in 4-D, 30 around each of three corners, with their classes.
func threeClouds() train.Batch {
	rng := rand.New(rand.NewPCG(1, 2))
	points, labels := make([][]float32, 90), make([][]int32, 90)
	for i := range points {
		class := i % 3
		points[i] = make([]float32, 4)
		for k := range points[i] {
			points[i][k] = float32(rng.NormFloat64())
		}
		points[i][class] += 4
		labels[i] = []int32{int32(class)}
	}
	return train.Batch{Inputs: []*tensors.Tensor{tensors.FromValue(points)},
		Labels: []*tensors.Tensor{tensors.FromValue(labels)}}
}
