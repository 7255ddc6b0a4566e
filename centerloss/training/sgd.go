package training

import (
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/pkg/errors"
)

// SGDMomentum is stochastic gradient descent with momentum and L2 weight decay, written the way PyTorch's
// torch.optim.SGD does it (and Caffe, which the paper used), which GoMLX's optimizers package lacks:
//
//	g ← ∇w + weightDecay · w,    v ← momentum · v + g,    w ← w − lr · v
//
// The learning rate follows StepDecay over the global step. It reads lr, momentum and weight decay from the
// store (the LearningRate, Momentum and WeightDecay settings); the velocities are non-trainable variables under
// the "/optimizers/sgd_momentum" scope, so they are saved in checkpoints and a resumed run continues exactly.
type SGDMomentum struct {
	// DecaySteps multiplies the learning rate by DecayFactor every DecaySteps global steps; 0 keeps it constant.
	DecaySteps  int
	DecayFactor float64
}

// NewSGDMomentum is the optimizer a Session trains with: its rate decays by the LRDecayFactor setting every
// LRDecayEpochs epochs of stepsPerEpoch steps.
func NewSGDMomentum(scope *model.Scope, stepsPerEpoch int) *SGDMomentum {
	return &SGDMomentum{DecaySteps: LRDecayEpochs.Get(scope) * stepsPerEpoch, DecayFactor: LRDecayFactor.Get(scope)}
}

// Compile-time check that it is a GoMLX optimizer.
var _ optimizer.Interface = (*SGDMomentum)(nil)

const sgdMomentumScope = "sgd_momentum"

// UpdateGraph implements optimizer.Interface: it builds the gradient of loss and the update of every trainable
// variable used by the graph.
func (o *SGDMomentum) UpdateGraph(scope *model.Scope, g *graph.Graph, loss *graph.Node) {
	grads := scope.BuildTrainableVariablesGradientsGraph(loss)
	dtype := loss.DType()
	momentum := Momentum.Get(scope)
	weightDecay := WeightDecay.Get(scope)

	baseRate := optimizer.LearningRateVar(scope, dtype, LearningRate.Get(scope)).NodeValue(g)
	step := optimizer.IncrementGlobalStep(g, dtype) // 1 on the first step.
	rate := StepDecay(baseRate, graph.AddScalar(step, -1), o.DecaySteps, o.DecayFactor)

	i := 0
	for v := range scope.IterVariables() {
		if !v.Trainable || !v.InUseByGraph(g) {
			continue
		}
		weights := v.NodeValue(g)
		grad := grads[i]
		i++
		if weightDecay != 0 {
			grad = graph.Add(grad, graph.MulScalar(weights, weightDecay))
		}
		velocityVar := velocityVariable(scope, v, weights.DType())
		velocity := graph.Add(graph.MulScalar(velocityVar.NodeValue(g), momentum), grad)
		velocityVar.SetNodeValue(velocity)
		v.SetNodeValue(graph.Sub(weights, graph.Mul(graph.ConvertDType(rate, weights.DType()), velocity)))
	}
	if i != len(grads) {
		panic(errors.Errorf("SGDMomentum: %d gradients for %d trainable variables", len(grads), i))
	}
}

// velocityVariable returns the momentum buffer of the trainable variable v, created at zero on first use.
func velocityVariable(scope *model.Scope, v *model.Variable, dtype dtypes.DType) *model.Variable {
	path := model.JoinPath("/", optimizer.Scope, sgdMomentumScope, v.Scope(), v.Name()+"_velocity")
	shape := v.Shape().Clone()
	shape.DType = dtype
	return scope.Store().VariableWithShape(path, shape, initializer.Zero).SetTrainable(false)
}

// Clear implements optimizer.Interface: it drops the velocities (e.g. before exporting a model for inference).
func (o *SGDMomentum) Clear(scope *model.Scope) error {
	return scope.Store().DeleteVariablesInScope(model.JoinPath("/", optimizer.Scope, sgdMomentumScope))
}

// StepDecay is the step learning-rate schedule (PyTorch's StepLR, Caffe's "step" policy):
// rate = baseRate · factor^⌊step / every⌋, where step counts from 0. every ≤ 0 returns baseRate unchanged.
func StepDecay(baseRate, step *graph.Node, every int, factor float64) *graph.Node {
	if every <= 0 {
		return baseRate
	}
	step = graph.ConvertDType(step, baseRate.DType())
	decays := graph.Floor(graph.DivScalar(step, float64(every)))
	return graph.Mul(baseRate, graph.Pow(graph.Scalar(baseRate.Graph(), baseRate.DType(), factor), decays))
}
