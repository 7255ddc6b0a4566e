package lenetpp

import (
	"math"

	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// CaffeXavier is the "xavier" weight filler of Caffe, the framework the paper's LeNet++ was trained with: weights
// uniform in ±√(3 / fan_in), so of variance 1/fan_in, half of He's. Biases (rank ≤ 1) start at zero.
//
// It matters: with He's larger weights, LeNet++ (no batch normalisation, PReLU) diverges within a few steps at the
// paper's learning rate of 0.01.
func CaffeXavier(scope *model.Scope) model.VariableInitializer {
	return func(g *graph.Graph, shape shapes.Shape) *graph.Node {
		if shape.Rank() <= 1 {
			return graph.Zeros(g, shape)
		}
		fanIn := 1 // kernels are [height, width, in, out] and dense weights [in, out]: all but the last axis.
		for _, d := range shape.Dimensions[:shape.Rank()-1] {
			fanIn *= d
		}
		limit := math.Sqrt(3 / float64(fanIn))
		return graph.AddScalar(graph.MulScalar(scope.RandomUniform(g, shape), 2*limit), -limit)
	}
}
