package centerloss

import (
	"math/rand"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// The hand-worked gradient step: the tutorial's four features of class 0 around the origin, class 1 absent.
// ∂L_C/∂c_0 = (n_0·c_0 − Σ x_i)/m = ((0,0)·4 − (8, 8))/4 = (−2, −2); with lr 0.5, c_0 ← (0,0) − 0.5·(−2,−2) = (1, 1).
func TestGradientStepCentersHandWorked(t *testing.T) {
	backend := backendForTest(t)
	outputs := graph.MustExecOnceN(backend, func(x, y, c *graph.Node) []*graph.Node {
		return []*graph.Node{CenterGradient(x, y, c), GradientStepCenters(x, y, c, 0.5)}
	}, fourFeatures, fourLabels, twoCenters)
	assertClose(t, "∂L_C/∂c", []float32{-2, -2, 0, 0}, tensors.MustCopyFlatData[float32](outputs[0]), 1e-6)
	assertClose(t, "centers", []float32{1, 1, 5, 5}, tensors.MustCopyFlatData[float32](outputs[1]), 1e-6)
}

// TestCenterGradientIsAutodiff: the closed form equals GoMLX's gradient of L_C with the centers not stopped, on a
// random batch with absent classes; and the step does not reach the features.
func TestCenterGradientIsAutodiff(t *testing.T) {
	backend := backendForTest(t)
	features, labels, centers := randomBatch(rand.New(rand.NewSource(3)), 40, 10, 3, []int32{0, 4, 5, 9})
	outputs := graph.MustExecOnceN(backend, func(x, y, c *graph.Node) []*graph.Node {
		batch := x.Shape().Dimensions[0]
		own := graph.Gather(c, graph.Reshape(y, batch, 1))
		lc := graph.MulScalar(graph.ReduceAllMean(graph.ReduceSum(graph.Square(graph.Sub(x, own)), -1)), 0.5)
		autodiff := graph.Gradient(lc, c)[0]
		toFeatures := graph.Gradient(graph.ReduceAllSum(GradientStepCenters(x, y, c, 0.5)), x)[0]
		return []*graph.Node{CenterGradient(x, y, c), autodiff, toFeatures}
	}, features, labels, centers)
	assertClose(t, "closed form vs autodiff", tensors.MustCopyFlatData[float32](outputs[1]),
		tensors.MustCopyFlatData[float32](outputs[0]), 1e-5)
	assertClose(t, "∂(center step)/∂x", make([]float32, 40*3), tensors.MustCopyFlatData[float32](outputs[2]), 0)
}

// TestMoveCentersFollowsTheSetting: one step of each rule on the hand-worked batch.
func TestMoveCentersFollowsTheSetting(t *testing.T) {
	backend := backendForTest(t)
	for _, c := range []struct {
		mode string
		want []float32
	}{
		{CenterUpdateEq4, []float32{0.8, 0.8, 5, 5}},  // α = 0.5: c − 0.5·(−8,−8)/5
		{CenterUpdateGradient, []float32{1, 1, 5, 5}}, // lr 0.5: see TestGradientStepCentersHandWorked
	} {
		scope := NewContext()
		scope.SetParams(map[string]any{ParamCenterUpdate: c.mode, ParamAlpha: 0.5, ParamCenterLR: 0.5})
		got := graph.MustExecOnce(backend, func(x, y, cs *graph.Node) *graph.Node {
			return MoveCenters(scope, x, y, cs)
		}, fourFeatures, fourLabels, twoCenters)
		assertClose(t, c.mode, c.want, tensors.MustCopyFlatData[float32](got), 1e-6)
	}
}
