package centerloss

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/centerloss/centerloss/centerloss/internal/testbackend"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// The tutorial's worked example: four features of one class around a center at the origin. With α = 1 the center
// moves by minus the sum of the differences (c − x_i) divided by 1 + n = 5.
var (
	fourFeatures = [][]float32{{2, 1}, {3, 2}, {1, 3}, {2, 2}}
	fourLabels   = []int32{0, 0, 0, 0}
	twoCenters   = [][]float32{{0, 0}, {5, 5}}
)

func TestUpdateCentersHandWorked(t *testing.T) {
	backend := testbackend.Get(t)
	got := graph.MustExecOnce(backend, func(x, y, c *graph.Node) *graph.Node {
		return UpdateCenters(x, y, c, 1.0)
	}, fourFeatures, fourLabels, twoCenters)
	// Σ(c − x_i) = (−8, −8); Δc = (−8, −8)/5 = (−1.6, −1.6); c ← c − Δc = (1.6, 1.6). Class 1 is absent: stays.
	want := [][]float32{{1.6, 1.6}, {5, 5}}
	testbackend.AssertClose(t, "centers", flatten(want), tensors.MustCopyFlatData[float32](got), 1e-6)
}

// TestUpdateCentersClassSeenOnce: the 1 of 1 + n_j. A class seen once moves halfway (α = 1) towards its only sample,
// not onto it; a class seen twice moves by 2/3 of the way to their mean; an absent class stays.
func TestUpdateCentersClassSeenOnce(t *testing.T) {
	backend := testbackend.Get(t)
	features := [][]float32{{4, 2}, {1, 1}, {3, 3}}
	labels := []int32{1, 0, 0}
	centers := [][]float32{{0, 0}, {0, 0}, {9, 9}}
	for _, c := range []struct {
		alpha float64
		want  []float32
	}{
		// Class 0: Σ(c − x) = (−4, −4), Δc = (−4/3, −4/3); class 1: Δc = (0 − (4, 2))/(1 + 1) = (−2, −1).
		{1.0, []float32{4.0 / 3, 4.0 / 3, 2, 1, 9, 9}},
		{0.5, []float32{2.0 / 3, 2.0 / 3, 1, 0.5, 9, 9}},
	} {
		got := graph.MustExecOnce(backend, func(x, y, cs *graph.Node) *graph.Node {
			return UpdateCenters(x, y, cs, c.alpha)
		}, features, labels, centers)
		testbackend.AssertClose(t, fmt.Sprintf("α=%v", c.alpha), c.want, tensors.MustCopyFlatData[float32](got), 1e-6)
	}
}

func TestCenterLossValueAndFeatureGradient(t *testing.T) {
	backend := testbackend.Get(t)
	outputs := graph.MustExecOnceN(backend, func(x, y, c *graph.Node) []*graph.Node {
		loss := CenterLoss(x, y, c)
		grads := graph.Gradient(loss, x, c)
		return []*graph.Node{loss, grads[0], grads[1]}
	}, fourFeatures, fourLabels, twoCenters)
	// ½ · mean(‖(2,1)‖², ‖(3,2)‖², ‖(1,3)‖², ‖(2,2)‖²) = ½ · (5 + 13 + 10 + 8)/4 = 4.5.
	if got := tensors.ToScalar[float32](outputs[0]); math.Abs(float64(got)-4.5) > 1e-6 {
		t.Errorf("center loss = %v, want 4.5", got)
	}
	// ∂L/∂x_i = (x_i − c_{y_i}) / m = x_i / 4.
	var want []float32
	for _, x := range fourFeatures {
		want = append(want, x[0]/4, x[1]/4)
	}
	testbackend.AssertClose(t, "∂L/∂x", want, tensors.MustCopyFlatData[float32](outputs[1]), 1e-6)
	// The centers get no gradient: only Eq. 4 moves them.
	testbackend.AssertClose(t, "∂L/∂c", make([]float32, 4), tensors.MustCopyFlatData[float32](outputs[2]), 0)
}

// TestUpdateCentersRandom checks Eq. 4 on random batches with several classes, some absent, against a plain-Go
// loop over the samples.
func TestUpdateCentersRandom(t *testing.T) {
	backend := testbackend.Get(t)
	rng := rand.New(rand.NewSource(7))
	const batch, numClasses, dim, alpha = 64, 10, 3, 0.5
	present := []int32{0, 2, 3, 7} // classes 1, 4, 5, 6, 8, 9 are absent from the batch
	for trial := range 3 {
		features, labels, centers := randomBatch(rng, batch, numClasses, dim, present)
		got := graph.MustExecOnce(backend, func(x, y, c *graph.Node) *graph.Node {
			return UpdateCenters(x, y, c, alpha)
		}, features, labels, centers)
		want := updateCentersLoop(features, labels, centers, alpha)
		testbackend.AssertClose(t, "centers", flatten(want), tensors.MustCopyFlatData[float32](got), 1e-5)
		assertAbsentUnchanged(t, fmt.Sprintf("trial %d", trial), centers, tensors.MustCopyFlatData[float32](got),
			labels)
	}
}

// TestCenterLossRandom checks the loss on random batches against a plain-Go loop.
func TestCenterLossRandom(t *testing.T) {
	backend := testbackend.Get(t)
	rng := rand.New(rand.NewSource(11))
	features, labels, centers := randomBatch(rng, 50, 10, 4, []int32{1, 3, 5, 6, 8, 9})
	got := graph.MustExecOnce(backend, CenterLoss, features, labels, centers)
	want := centerLossLoop(features, labels, centers)
	if g := float64(tensors.ToScalar[float32](got)); math.Abs(g-want) > 1e-4*want {
		t.Errorf("center loss = %v, want %v", g, want)
	}
}

// TestMethodAcceptsLabelShapesAndDTypes: labels as [batch] or [batch, 1], int32 or int64, give the same loss,
// Eq. 4 update, gradient and gradient step, each equal to its plain-Go loop. The batch repeats classes (class 2
// three times, class 0 twice), has a class seen once (5) and classes absent (1, 3, 4, 6), which stay bit for bit.
func TestMethodAcceptsLabelShapesAndDTypes(t *testing.T) {
	backend := testbackend.Get(t)
	rng := rand.New(rand.NewSource(5))
	labels := []int32{2, 0, 2, 5, 2, 0}
	features, _, centers := randomBatch(rng, len(labels), 7, 3, []int32{0})
	const alpha, lr = 0.5, 0.7
	wantLoss := centerLossLoop(features, labels, centers)
	wantEq4 := flatten(updateCentersLoop(features, labels, centers, alpha))
	wantGrad := flatten(centerGradientLoop(features, labels, centers))
	wantStep := flatten(gradientStepLoop(features, labels, centers, lr))
	for _, form := range labelForms(labels) {
		t.Run(form.name, func(t *testing.T) {
			outputs := graph.MustExecOnceN(backend, func(x, y, c *graph.Node) []*graph.Node {
				return []*graph.Node{CenterLoss(x, y, c), UpdateCenters(x, y, c, alpha), CenterGradient(x, y, c),
					GradientStepCenters(x, y, c, lr)}
			}, features, form.value, centers)
			if g := float64(tensors.ToScalar[float32](outputs[0])); math.Abs(g-wantLoss) > 1e-5*wantLoss {
				t.Errorf("center loss = %v, want %v", g, wantLoss)
			}
			eq4 := tensors.MustCopyFlatData[float32](outputs[1])
			step := tensors.MustCopyFlatData[float32](outputs[3])
			testbackend.AssertClose(t, "Eq. 4", wantEq4, eq4, 1e-5)
			testbackend.AssertClose(t, "∂L_C/∂c", wantGrad, tensors.MustCopyFlatData[float32](outputs[2]), 1e-5)
			testbackend.AssertClose(t, "gradient step", wantStep, step, 1e-5)
			assertAbsentUnchanged(t, "Eq. 4", centers, eq4, labels)
			assertAbsentUnchanged(t, "gradient step", centers, step, labels)
		})
	}
}

// TestUpdateCentersManyClasses: K = 1,000 classes of which a batch of 64 samples sees 16, as in face recognition
// (many identities, few per batch): both rules equal their loops, and the 984 absent centers stay bit for bit.
func TestUpdateCentersManyClasses(t *testing.T) {
	backend := testbackend.Get(t)
	rng := rand.New(rand.NewSource(1000))
	const numClasses, batch, dim, alpha, lr = 1000, 64, 8, 0.5, 1.0
	present := make([]int32, 16)
	for i, j := range rng.Perm(numClasses)[:16] {
		present[i] = int32(j)
	}
	features, labels, centers := randomBatch(rng, batch, numClasses, dim, present)
	for i, k := range rng.Perm(batch) { // each of the 16 classes 4 times, in random order
		labels[i] = present[k%len(present)]
	}
	outputs := graph.MustExecOnceN(backend, func(x, y, c *graph.Node) []*graph.Node {
		return []*graph.Node{CenterLoss(x, y, c), UpdateCenters(x, y, c, alpha), GradientStepCenters(x, y, c, lr)}
	}, features, labels, centers)
	want := centerLossLoop(features, labels, centers)
	if g := float64(tensors.ToScalar[float32](outputs[0])); math.Abs(g-want) > 1e-5*want {
		t.Errorf("center loss = %v, want %v", g, want)
	}
	eq4 := tensors.MustCopyFlatData[float32](outputs[1])
	step := tensors.MustCopyFlatData[float32](outputs[2])
	testbackend.AssertClose(t, "Eq. 4", flatten(updateCentersLoop(features, labels, centers, alpha)), eq4, 1e-5)
	testbackend.AssertClose(t, "gradient step", flatten(gradientStepLoop(features, labels, centers, lr)), step, 1e-5)
	if moved := assertAbsentUnchanged(t, "Eq. 4", centers, eq4, labels); moved != 16 {
		t.Errorf("Eq. 4 moved %d classes, want the batch's 16", moved)
	}
	assertAbsentUnchanged(t, "gradient step", centers, step, labels)
}

// updateCentersLoop is Eq. 4 written the slow, obvious way.
func updateCentersLoop(features [][]float32, labels []int32, centers [][]float32, alpha float64) [][]float32 {
	updated := make([][]float32, len(centers))
	for j, c := range centers {
		sum := make([]float64, len(c))
		n := 0
		for i, x := range features {
			if int(labels[i]) != j {
				continue
			}
			n++
			for d := range c {
				sum[d] += float64(c[d] - x[d])
			}
		}
		updated[j] = make([]float32, len(c))
		for d := range c {
			updated[j][d] = float32(float64(c[d]) - alpha*sum[d]/float64(1+n))
		}
	}
	return updated
}

// centerLossLoop is L_C = ½ · mean_i ‖x_i − c_{y_i}‖², in float64.
func centerLossLoop(features [][]float32, labels []int32, centers [][]float32) float64 {
	var sum float64
	for i, x := range features {
		for d := range x {
			diff := float64(x[d] - centers[labels[i]][d])
			sum += diff * diff
		}
	}
	return 0.5 * sum / float64(len(features))
}

func randomBatch(rng *rand.Rand, batch, numClasses, dim int, present []int32) ([][]float32, []int32, [][]float32) {
	features := make([][]float32, batch)
	labels := make([]int32, batch)
	for i := range features {
		labels[i] = present[rng.Intn(len(present))]
		features[i] = make([]float32, dim)
		for d := range features[i] {
			features[i][d] = float32(rng.NormFloat64() * 3)
		}
	}
	centers := make([][]float32, numClasses)
	for j := range centers {
		centers[j] = make([]float32, dim)
		for d := range centers[j] {
			centers[j][d] = float32(rng.NormFloat64())
		}
	}
	return features, labels, centers
}

// labelForm is one way of giving the labels to the graph.
type labelForm struct {
	name  string
	value any
}

// labelForms gives labels as [batch] and [batch, 1], in int32 and int64.
func labelForms(labels []int32) []labelForm {
	flat64 := make([]int64, len(labels))
	column32 := make([][]int32, len(labels))
	column64 := make([][]int64, len(labels))
	for i, y := range labels {
		flat64[i] = int64(y)
		column32[i] = []int32{y}
		column64[i] = []int64{int64(y)}
	}
	return []labelForm{
		{"int32[batch]", labels}, {"int64[batch]", flat64},
		{"int32[batch,1]", column32}, {"int64[batch,1]", column64},
	}
}

func flatten(rows [][]float32) []float32 {
	var flat []float32
	for _, r := range rows {
		flat = append(flat, r...)
	}
	return flat
}

// assertAbsentUnchanged checks that every class absent from labels has exactly the bits of its center before, in
// the flat updated centers, and returns how many classes were present.
func assertAbsentUnchanged(t *testing.T, name string, before [][]float32, after []float32, labels []int32) int {
	t.Helper()
	present := make(map[int]bool)
	for _, y := range labels {
		present[int(y)] = true
	}
	for j, c := range before {
		if present[j] {
			continue
		}
		for d, v := range c {
			if got := after[j*len(c)+d]; math.Float32bits(got) != math.Float32bits(v) {
				t.Fatalf("%s: absent class %d moved: center[%d] = %v, was %v", name, j, d, got, v)
			}
		}
	}
	return len(present)
}
