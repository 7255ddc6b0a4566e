package training

import (
	"math"
	"strings"
	"testing"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/internal/testbackend"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/model"
)

// mlp is a model that is not LeNet++: images [batch, 28, 28, 1] → 784 → 64 (ReLU) → 2-D features → 10 logits.
func mlp(scope *model.Scope, images *graph.Node) []*graph.Node {
	batch := images.Shape().Dimensions[0]
	x := graph.Reshape(images, batch, -1)                                // [batch, 784]
	x = activation.Relu(layers.DenseWithBias(scope.In("hidden"), x, 64)) // [batch, 64]
	features := layers.DenseWithBias(scope.In("features"), x, 2)         // [batch, 2]
	logits := layers.DenseWithBias(scope.In("logits"), features, 10)     // [batch, 10]
	return []*graph.Node{logits, features}
}

// TestSessionTrainsAModelOfItsOwn trains the MLP above through Session (WithModel) with a strong center loss: the
// mean center loss of the last 10 of 300 steps is below that of the first 10, the test pass runs the MLP (better than
// chance), and the session names the model.
func TestSessionTrainsAModelOfItsOwn(t *testing.T) {
	backend := testbackend.Get(t)
	d := testbackend.MNISTSubset(t, 2048, 500)
	store := NewStore()
	BatchSize.Set(store.RootScope(), 64)
	centerloss.Lambda.Set(store.RootScope(), 0.1)
	s, err := NewSession(store, backend, d, "", nil, WithModel("MLP", mlp))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.String(), "MLP λ=0.1") {
		t.Errorf("session: %q, want it to name the MLP", s.String())
	}
	meanCenterOver := func(steps int) float64 {
		if err := s.TrainSteps(steps); err != nil {
			t.Fatal(err)
		}
		_, _, center := s.TakeLossMeans()
		return center
	}
	first := meanCenterOver(10)
	meanCenterOver(280)
	last := meanCenterOver(10)
	if !(last < first) || math.IsNaN(last) {
		t.Errorf("center loss: first 10 steps %.4f, last 10 (after 300) %.4f: it did not fall", first, last)
	}
	eval, err := s.Evaluate()
	if err != nil {
		t.Fatal(err)
	}
	if eval.Accuracy < 0.4 || len(eval.Features[0]) != 2 {
		t.Errorf("test accuracy %.3f (chance 0.1), features of width %d", eval.Accuracy, len(eval.Features[0]))
	}
	t.Logf("center loss %.4f → %.4f, test accuracy %.3f", first, last, eval.Accuracy)
}
