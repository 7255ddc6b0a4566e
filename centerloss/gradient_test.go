package centerloss

import (
	"math/rand"
	"testing"

	"github.com/centerloss/centerloss/centerloss/internal/testbackend"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// The hand-worked gradient step: the tutorial's four features of class 0 around the origin, class 1 absent.
// ∂L_C/∂c_0 = (n_0·c_0 − Σ x_i)/m = ((0,0)·4 − (8, 8))/4 = (−2, −2); with lr 0.5, c_0 ← (0,0) − 0.5·(−2,−2) = (1, 1).
func TestGradientStepCentersHandWorked(t *testing.T) {
	backend := testbackend.Get(t)
	outputs := graph.MustExecOnceN(backend, func(x, y, c *graph.Node) []*graph.Node {
		return []*graph.Node{CenterGradient(x, y, c), GradientStepCenters(x, y, c, 0.5)}
	}, fourFeatures, fourLabels, twoCenters)
	testbackend.AssertClose(t, "∂L_C/∂c", []float32{-2, -2, 0, 0}, tensors.MustCopyFlatData[float32](outputs[0]), 1e-6)
	testbackend.AssertClose(t, "centers", []float32{1, 1, 5, 5}, tensors.MustCopyFlatData[float32](outputs[1]), 1e-6)
}

// TestCenterGradientIsAutodiff: the closed form equals GoMLX's gradient of L_C with the centers not stopped, on a
// random batch with absent classes; and the step does not reach the features.
func TestCenterGradientIsAutodiff(t *testing.T) {
	backend := testbackend.Get(t)
	features, labels, centers := randomBatch(rand.New(rand.NewSource(3)), 40, 10, 3, []int32{0, 4, 5, 9})
	outputs := graph.MustExecOnceN(backend, func(x, y, c *graph.Node) []*graph.Node {
		batch := x.Shape().Dimensions[0]
		own := graph.Gather(c, graph.Reshape(y, batch, 1))
		lc := graph.MulScalar(graph.ReduceAllMean(graph.ReduceSum(graph.Square(graph.Sub(x, own)), -1)), 0.5)
		autodiff := graph.Gradient(lc, c)[0]
		toFeatures := graph.Gradient(graph.ReduceAllSum(GradientStepCenters(x, y, c, 0.5)), x)[0]
		return []*graph.Node{CenterGradient(x, y, c), autodiff, toFeatures}
	}, features, labels, centers)
	testbackend.AssertClose(t, "closed form vs autodiff", tensors.MustCopyFlatData[float32](outputs[1]),
		tensors.MustCopyFlatData[float32](outputs[0]), 1e-5)
	testbackend.AssertClose(t, "∂(center step)/∂x", make([]float32, 40*3), tensors.MustCopyFlatData[float32](outputs[2]), 0)
}

// TestCenterUpdatesDoNotReachTheFeatures: the Eq. 4 update, like the gradient step, has no gradient to the
// features: moving the centers must not move the network.
func TestCenterUpdatesDoNotReachTheFeatures(t *testing.T) {
	backend := testbackend.Get(t)
	features, labels, centers := randomBatch(rand.New(rand.NewSource(4)), 12, 5, 3, []int32{0, 1, 3})
	got := graph.MustExecOnce(backend, func(x, y, c *graph.Node) *graph.Node {
		return graph.Gradient(graph.ReduceAllSum(UpdateCenters(x, y, c, 0.5)), x)[0]
	}, features, labels, centers)
	testbackend.AssertClose(t, "∂(Eq. 4)/∂x", make([]float32, 12*3), tensors.MustCopyFlatData[float32](got), 0)
}

// TestGradientStepCentersRandom checks the closed-form gradient and its step against plain-Go loops on random
// batches with repeated and absent classes; absent classes stay bit for bit.
func TestGradientStepCentersRandom(t *testing.T) {
	backend := testbackend.Get(t)
	rng := rand.New(rand.NewSource(13))
	const lr = 0.3
	for trial := range 3 {
		features, labels, centers := randomBatch(rng, 48, 12, 4, []int32{1, 2, 6, 7, 11})
		outputs := graph.MustExecOnceN(backend, func(x, y, c *graph.Node) []*graph.Node {
			return []*graph.Node{CenterGradient(x, y, c), GradientStepCenters(x, y, c, lr)}
		}, features, labels, centers)
		testbackend.AssertClose(t, "∂L_C/∂c", flatten(centerGradientLoop(features, labels, centers)),
			tensors.MustCopyFlatData[float32](outputs[0]), 1e-5)
		step := tensors.MustCopyFlatData[float32](outputs[1])
		testbackend.AssertClose(t, "centers", flatten(gradientStepLoop(features, labels, centers, lr)), step, 1e-5)
		if moved := assertAbsentUnchanged(t, "gradient step", centers, step, labels); moved > 5 {
			t.Fatalf("trial %d: %d classes present, want at most 5", trial, moved)
		}
	}
}

// TestMoveCentersFollowsTheSetting: one step of each rule on the hand-worked batch.
func TestMoveCentersFollowsTheSetting(t *testing.T) {
	backend := testbackend.Get(t)
	for _, c := range []struct {
		mode string
		want []float32
	}{
		{CenterUpdateEq4, []float32{0.8, 0.8, 5, 5}},  // α = 0.5: c − 0.5·(−8,−8)/5
		{CenterUpdateGradient, []float32{1, 1, 5, 5}}, // lr 0.5: see TestGradientStepCentersHandWorked
	} {
		scope := model.NewStore().RootScope()
		CenterUpdate.Set(scope, c.mode)
		Alpha.Set(scope, 0.5)
		CenterLR.Set(scope, 0.5)
		if err := Settings.Validate(scope); err != nil {
			t.Fatal(err)
		}
		got := graph.MustExecOnce(backend, func(x, y, cs *graph.Node) *graph.Node {
			return MoveCenters(scope, x, y, cs)
		}, fourFeatures, fourLabels, twoCenters)
		testbackend.AssertClose(t, c.mode, c.want, tensors.MustCopyFlatData[float32](got), 1e-6)
	}
}

// centerGradientLoop is ∂L_C/∂c_j = (n_j · c_j − Σ_{i: y_i=j} x_i) / m, the slow, obvious way.
func centerGradientLoop(features [][]float32, labels []int32, centers [][]float32) [][]float32 {
	m := float64(len(features))
	grad := make([][]float32, len(centers))
	for j, c := range centers {
		sum := make([]float64, len(c))
		for i, x := range features {
			if int(labels[i]) == j {
				for d := range c {
					sum[d] += float64(c[d]) - float64(x[d])
				}
			}
		}
		grad[j] = make([]float32, len(c))
		for d := range c {
			grad[j][d] = float32(sum[d] / m)
		}
	}
	return grad
}

// gradientStepLoop is c_j ← c_j − lr · ∂L_C/∂c_j, from centerGradientLoop.
func gradientStepLoop(features [][]float32, labels []int32, centers [][]float32, lr float64) [][]float32 {
	grad := centerGradientLoop(features, labels, centers)
	stepped := make([][]float32, len(centers))
	for j, c := range centers {
		stepped[j] = make([]float32, len(c))
		for d := range c {
			stepped[j][d] = float32(float64(c[d]) - lr*float64(grad[j][d]))
		}
	}
	return stepped
}
