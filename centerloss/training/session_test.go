package training

import (
	"bufio"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/centerloss/centerloss/centerloss/evaluation"
	"github.com/centerloss/centerloss/centerloss/internal/testbackend"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// smallStore is the default settings with small batches and a decay every epoch, for short runs.
func smallStore() *model.Store {
	store := NewStore()
	scope := store.RootScope()
	BatchSize.Set(scope, 64)
	evaluation.EvalBatchSize.Set(scope, 500)
	LRDecayEpochs.Set(scope, 1)
	return store
}

// TestResumeMatchesUnbrokenRun trains 24 steps straight, and 10 steps, a checkpoint, a new session and 14 more:
// the weights, centers and test evaluation must agree (crossing an epoch boundary and resuming mid-epoch).
func TestResumeMatchesUnbrokenRun(t *testing.T) {
	backend := testbackend.Get(t)
	d := testbackend.MNISTSubset(t, 1024, 500) // 16 steps per epoch
	straight, err := NewSession(smallStore(), backend, d, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := straight.TrainSteps(24); err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	first, err := NewSession(smallStore(), backend, d, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.TrainSteps(10); err != nil {
		t.Fatal(err)
	}
	if err := first.Save(); err != nil {
		t.Fatal(err)
	}
	resumed, err := NewSession(smallStore(), backend, d, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resumed.GlobalStep() != 10 {
		t.Fatalf("resumed at step %d, want 10", resumed.GlobalStep())
	}
	if err := resumed.TrainSteps(14); err != nil {
		t.Fatal(err)
	}

	a, err := straight.Evaluate()
	if err != nil {
		t.Fatal(err)
	}
	b, err := resumed.Evaluate()
	if err != nil {
		t.Fatal(err)
	}
	testbackend.AssertClose(t, "centers", testbackend.Flatten(a.Centers), testbackend.Flatten(b.Centers), 1e-4)
	testbackend.AssertClose(t, "test features[0]", a.Features[0], b.Features[0], 1e-4)
	if a.Accuracy != b.Accuracy {
		t.Errorf("test accuracy %v straight, %v resumed", a.Accuracy, b.Accuracy)
	}
	for _, name := range []string{"/lenetpp/conv0/conv", "/lenetpp/logits/dense"} {
		va := straight.Store.GetVariable(name + "/weights")
		vb := resumed.Store.GetVariable(name + "/weights")
		if va == nil || vb == nil {
			t.Fatalf("no weights variable in %s", name)
		}
		testbackend.AssertClose(t, name, tensors.MustCopyFlatData[float32](va.MustValue()),
			tensors.MustCopyFlatData[float32](vb.MustValue()), 1e-4)
	}
}

// TestSameSeedSameRun: two sessions with the same seed give the same losses and test accuracy.
func TestSameSeedSameRun(t *testing.T) {
	backend := testbackend.Get(t)
	d := testbackend.MNISTSubset(t, 512, 500)
	var evals []*evaluation.Evaluation
	var losses [][3]float64
	for range 2 {
		s, err := NewSession(smallStore(), backend, d, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.TrainSteps(8); err != nil {
			t.Fatal(err)
		}
		total, softmax, center := s.TakeLossMeans()
		losses = append(losses, [3]float64{total, softmax, center})
		e, err := s.Evaluate()
		if err != nil {
			t.Fatal(err)
		}
		evals = append(evals, e)
	}
	if losses[0] != losses[1] || evals[0].Accuracy != evals[1].Accuracy {
		t.Errorf("same seed, different runs: losses %v vs %v, accuracy %v vs %v",
			losses[0], losses[1], evals[0].Accuracy, evals[1].Accuracy)
	}
}

// TestRunWritesMetricsAndPlots runs Run for a short -steps run and checks metrics.jsonl and the PNG.
func TestRunWritesMetricsAndPlots(t *testing.T) {
	backend := testbackend.Get(t)
	d := testbackend.MNISTSubset(t, 1024, 500)
	store := smallStore()
	TrainSteps.Set(store.RootScope(), 20) // one epoch (16 steps) and 4 more
	out := t.TempDir()
	s, err := NewSession(store, backend, d, filepath.Join(out, "checkpoint"), nil)
	if err != nil {
		t.Fatal(err)
	}
	last, err := Run(s, out, os.Stdout)
	if err != nil {
		t.Fatal(err)
	}
	if last.Step != 20 || last.Plot != "step_000020.png" {
		t.Errorf("last record: step %d, plot %q", last.Step, last.Plot)
	}
	f, err := os.Open(filepath.Join(out, MetricsFileName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []map[string]any
	for sc := bufio.NewScanner(f); sc.Scan(); {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("metrics line %q: %v", sc.Text(), err)
		}
		lines = append(lines, m)
	}
	if len(lines) != 2 {
		t.Fatalf("%d metrics lines, want 2 (end of epoch 1, end of run)", len(lines))
	}
	for _, key := range []string{"epoch", "step", "train_loss", "softmax_loss", "center_loss", "test_accuracy",
		"backend", "seconds", "mean_center_distance"} {
		if _, ok := lines[0][key]; !ok {
			t.Errorf("metrics line has no %q: %v", key, lines[0])
		}
	}
	if lines[0]["step"].(float64) != 16 || lines[0]["epoch"].(float64) != 1 || lines[0]["plot"] != "epoch_001.png" {
		t.Errorf("first record: %v", lines[0])
	}
	for _, name := range []string{"epoch_001.png", "step_000020.png"} {
		pf, err := os.Open(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(pf)
		pf.Close()
		if err != nil || img.Bounds().Dx() != evaluation.PlotSize {
			t.Errorf("%s: %v, bounds %v", name, err, img)
		}
	}
}
