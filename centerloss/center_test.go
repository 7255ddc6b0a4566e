package centerloss

import (
	"math"
	"math/rand"
	"testing"

	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
)

// The tutorial's worked example: four features of one class around a center at the origin. With α = 1 the center
// moves by minus the sum of the differences (c − x_i) divided by 1 + n = 5.
var (
	fourFeatures = [][]float32{{2, 1}, {3, 2}, {1, 3}, {2, 2}}
	fourLabels   = []int32{0, 0, 0, 0}
	twoCenters   = [][]float32{{0, 0}, {5, 5}}
)

func TestUpdateCentersHandWorked(t *testing.T) {
	backend := backendForTest(t)
	got := graph.MustExecOnce(backend, func(x, y, c *graph.Node) *graph.Node {
		return UpdateCenters(x, y, c, 1.0)
	}, fourFeatures, fourLabels, twoCenters)
	// Σ(c − x_i) = (−8, −8); Δc = (−8, −8)/5 = (−1.6, −1.6); c ← c − Δc = (1.6, 1.6). Class 1 is absent: stays.
	want := [][]float32{{1.6, 1.6}, {5, 5}}
	assertClose(t, "centers", flatten(want), tensors.MustCopyFlatData[float32](got), 1e-6)
}

func TestCenterLossValueAndFeatureGradient(t *testing.T) {
	backend := backendForTest(t)
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
	assertClose(t, "∂L/∂x", want, tensors.MustCopyFlatData[float32](outputs[1]), 1e-6)
	// The centers get no gradient: only Eq. 4 moves them.
	assertClose(t, "∂L/∂c", make([]float32, 4), tensors.MustCopyFlatData[float32](outputs[2]), 0)
}

// TestUpdateCentersRandom checks Eq. 4 on random batches with several classes, some absent, against a plain-Go
// loop over the samples.
func TestUpdateCentersRandom(t *testing.T) {
	backend := backendForTest(t)
	rng := rand.New(rand.NewSource(7))
	const batch, numClasses, dim, alpha = 64, 10, 3, 0.5
	present := []int32{0, 2, 3, 7} // classes 1, 4, 5, 6, 8, 9 are absent from the batch
	for trial := range 3 {
		features, labels, centers := randomBatch(rng, batch, numClasses, dim, present)
		got := graph.MustExecOnce(backend, func(x, y, c *graph.Node) *graph.Node {
			return UpdateCenters(x, y, c, alpha)
		}, features, labels, centers)
		want := updateCentersLoop(features, labels, centers, alpha)
		assertClose(t, "centers", flatten(want), tensors.MustCopyFlatData[float32](got), 1e-5)
		for _, j := range []int{1, 4, 9} {
			for d := range dim {
				if want[j][d] != centers[j][d] {
					t.Fatalf("trial %d: absent class %d moved", trial, j)
				}
			}
		}
	}
}

// TestCenterLossRandom checks the loss on random batches against a plain-Go loop.
func TestCenterLossRandom(t *testing.T) {
	backend := backendForTest(t)
	rng := rand.New(rand.NewSource(11))
	features, labels, centers := randomBatch(rng, 50, 10, 4, []int32{1, 3, 5, 6, 8, 9})
	got := graph.MustExecOnce(backend, CenterLoss, features, labels, centers)
	var sum float64
	for i, x := range features {
		for d := range x {
			diff := float64(x[d] - centers[labels[i]][d])
			sum += diff * diff
		}
	}
	want := 0.5 * sum / float64(len(features))
	if g := float64(tensors.ToScalar[float32](got)); math.Abs(g-want) > 1e-4*want {
		t.Errorf("center loss = %v, want %v", g, want)
	}
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

func flatten(rows [][]float32) []float32 {
	var flat []float32
	for _, r := range rows {
		flat = append(flat, r...)
	}
	return flat
}

func assertClose(t *testing.T, name string, want, got []float32, tolerance float64) {
	t.Helper()
	if len(want) != len(got) {
		t.Fatalf("%s: got %d values, want %d", name, len(got), len(want))
	}
	for i := range want {
		if math.Abs(float64(want[i]-got[i])) > tolerance {
			t.Fatalf("%s[%d] = %v, want %v (all: got %v, want %v)", name, i, got[i], want[i], got, want)
		}
	}
}
