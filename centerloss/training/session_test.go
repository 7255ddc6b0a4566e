package training

import (
	"bufio"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/centerloss/centerloss/centerloss/data"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

var (
	mnistOnce sync.Once
	mnist     *data.Dataset
	mnistErr  error
)

func mnistForTest(t *testing.T) *data.Dataset {
	t.Helper()
	mnistOnce.Do(func() { mnist, mnistErr = data.LoadMNIST() })
	if mnistErr != nil {
		t.Fatal(mnistErr)
	}
	return mnist
}

// subset keeps the first nTrain training and nTest test images of MNIST: enough to exercise training quickly.
func subset(d *data.Dataset, nTrain, nTest int) *data.Dataset {
	cut := func(s data.Split, n int) data.Split {
		im := *s.Images
		im.N = n
		im.Pixels = im.Pixels[:n*im.Rows*im.Cols]
		return data.Split{Images: &im, Labels: s.Labels[:n]}
	}
	return &data.Dataset{Dir: d.Dir, Train: cut(d.Train, nTrain), Test: cut(d.Test, nTest), NumClasses: d.NumClasses}
}

func smallContext() *model.Scope {
	scope := NewContext()
	scope.SetParams(map[string]any{ParamBatchSize: 64, ParamEvalBatchSize: 500, ParamLRDecayEpochs: 1})
	return scope
}

// TestResumeMatchesUnbrokenRun trains 24 steps straight, and 10 steps, a checkpoint, a new session and 14 more:
// the weights, centers and test evaluation must agree (crossing an epoch boundary and resuming mid-epoch).
func TestResumeMatchesUnbrokenRun(t *testing.T) {
	backend := backendForTest(t)
	d := subset(mnistForTest(t), 1024, 500) // 16 steps per epoch
	straight, err := NewSession(smallContext(), backend, d, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := straight.TrainSteps(24); err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	first, err := NewSession(smallContext(), backend, d, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.TrainSteps(10); err != nil {
		t.Fatal(err)
	}
	if err := first.Save(); err != nil {
		t.Fatal(err)
	}
	resumed, err := NewSession(smallContext(), backend, d, dir, nil)
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
	assertClose(t, "centers", flatten(a.Centers), flatten(b.Centers), 1e-4)
	assertClose(t, "test features[0]", a.Features[0], b.Features[0], 1e-4)
	if a.Accuracy != b.Accuracy {
		t.Errorf("test accuracy %v straight, %v resumed", a.Accuracy, b.Accuracy)
	}
	for _, name := range []string{"/lenetpp/conv0/conv", "/lenetpp/logits/dense"} {
		va := straight.Ctx.GetVariableByScopeAndName(name, "weights")
		vb := resumed.Ctx.GetVariableByScopeAndName(name, "weights")
		if va == nil || vb == nil {
			t.Fatalf("no weights variable in %s", name)
		}
		assertClose(t, name, tensors.MustCopyFlatData[float32](va.MustValue()),
			tensors.MustCopyFlatData[float32](vb.MustValue()), 1e-4)
	}
}

// TestSameSeedSameRun: two sessions with the same seed give the same losses and test accuracy.
func TestSameSeedSameRun(t *testing.T) {
	backend := backendForTest(t)
	d := subset(mnistForTest(t), 512, 500)
	var evals []*Evaluation
	var losses [][3]float64
	for range 2 {
		s, err := NewSession(smallContext(), backend, d, "", nil)
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
	backend := backendForTest(t)
	d := subset(mnistForTest(t), 1024, 500)
	scope := smallContext()
	scope.SetParam(ParamTrainSteps, 20) // one epoch (16 steps) and 4 more
	out := t.TempDir()
	s, err := NewSession(scope, backend, d, filepath.Join(out, "checkpoint"), nil)
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
		if err != nil || img.Bounds().Dx() != PlotSize {
			t.Errorf("%s: %v, bounds %v", name, err, img)
		}
	}
}

// TestCenterLossShrinksClusters trains the softmax baseline and center loss the same way on real MNIST; the test
// features must end up clearly closer to their class centers with center loss.
func TestCenterLossShrinksClusters(t *testing.T) {
	if testing.Short() {
		t.Skip("trains two models for 150 steps each on MNIST")
	}
	backend := backendForTest(t)
	scope := NewContext()
	scope.SetParam(ParamTrainSteps, 150)
	c, err := Compare(scope, backend, mnistForTest(t), t.TempDir(), os.Stdout)
	if err != nil {
		t.Fatal(err)
	}
	c.Table(os.Stdout)
	if c.CenterLoss.MeanCenterDistance > 0.75*c.Softmax.MeanCenterDistance {
		t.Errorf("mean distance to center: %.3f with center loss, %.3f without: want at most 0.75×",
			c.CenterLoss.MeanCenterDistance, c.Softmax.MeanCenterDistance)
	}
	if c.Softmax.TestAccuracy < 0.5 || c.CenterLoss.TestAccuracy < 0.5 {
		t.Errorf("after 150 steps both should classify: accuracy %.3f and %.3f",
			c.Softmax.TestAccuracy, c.CenterLoss.TestAccuracy)
	}
}
