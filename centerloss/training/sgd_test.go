package training

import (
	"math"
	"testing"

	"github.com/centerloss/centerloss/centerloss/internal/testbackend"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// TestSGDMomentumSteps runs two steps on loss = Σ g·w (so ∇w = g) and checks them against the update worked by hand:
// v₁ = g + wd·w₀, w₁ = w₀ − lr·v₁;  v₂ = μ·v₁ + g + wd·w₁, w₂ = w₁ − lr·v₂.
func TestSGDMomentumSteps(t *testing.T) {
	backend := testbackend.Get(t)
	const lr, momentum, wd = 0.1, 0.9, 0.01
	store := model.NewStore()
	LearningRate.Set(store.RootScope(), lr)
	Momentum.Set(store.RootScope(), momentum)
	WeightDecay.Set(store.RootScope(), wd)
	g := []float64{0.5, -2}
	w := []float64{1, 2}
	opt := &SGDMomentum{}
	exec := model.MustNewExec(backend, store, func(scope *model.Scope, gradient *graph.Node) *graph.Node {
		weights := scope.VariableWithValue("w", []float32{1, 2}).NodeValue(gradient.Graph())
		loss := graph.ReduceAllSum(graph.Mul(weights, gradient))
		opt.UpdateGraph(scope, gradient.Graph(), loss)
		return loss
	})
	v := []float64{0, 0}
	for step := 1; step <= 2; step++ {
		exec.MustCall([]float32{0.5, -2})
		for i := range w {
			v[i] = momentum*v[i] + g[i] + wd*w[i]
			w[i] -= lr * v[i]
		}
		got := tensors.MustCopyFlatData[float32](store.GetVariable("/w").MustValue())
		testbackend.AssertClose(t, "w", []float32{float32(w[0]), float32(w[1])}, got, 1e-6)
	}
	if step := optimizer.GetGlobalStep(store); step != 2 {
		t.Errorf("global step = %d, want 2", step)
	}
}

func TestStepDecay(t *testing.T) {
	backend := testbackend.Get(t)
	for _, c := range []struct {
		step  float32
		every int
		want  float64
	}{{0, 10, 0.01}, {9, 10, 0.01}, {10, 10, 0.001}, {25, 10, 0.0001}, {25, 0, 0.01}} {
		got := graph.MustExecOnce(backend, func(step *graph.Node) *graph.Node {
			return StepDecay(graph.Scalar(step.Graph(), step.DType(), 0.01), step, c.every, 0.1)
		}, c.step)
		if g := float64(tensors.ToScalar[float32](got)); math.Abs(g-c.want) > 1e-6*c.want {
			t.Errorf("StepDecay(step %v, every %d) = %v, want %v", c.step, c.every, g, c.want)
		}
	}
}
