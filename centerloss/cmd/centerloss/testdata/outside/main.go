// A project of its own that depends on the library as anyone would, through a module proxy: it adds center loss to
// its model and trains one step. (TestAnOutsideModuleBuildsAgainstTheLibrary builds and runs it.)
package main

import (
	"fmt"
	"os"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/xlabackend"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

func main() {
	backend, err := xlabackend.NewBackend("")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	myModel := func(scope *model.Scope, x *graph.Node) []*graph.Node {
		features := layers.DenseWithBias(scope.In("features"), x, 2) // [batch, 2]
		logits := layers.DenseWithBias(scope.In("logits"), features, 3)
		return []*graph.Node{logits, features}
	}
	store := model.NewStore()
	trainer := train.NewTrainer(backend, store, myModel, centerloss.Loss(store.RootScope()),
		optimizer.Adam().Done(), centerloss.TermMetrics(), nil)
	batch := train.Batch{
		Inputs: []*tensors.Tensor{tensors.FromValue([][]float32{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 0}})},
		Labels: []*tensors.Tensor{tensors.FromValue([][]int32{{0}, {1}, {2}, {0}})},
	}
	metrics, err := trainer.TrainStep(batch)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("trained one step: loss %.4f, center term %.4f\n", tensors.ToScalar[float32](metrics[0]),
		tensors.ToScalar[float32](metrics[3]))
}
