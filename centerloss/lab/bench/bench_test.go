package bench

import (
	"bufio"
	"encoding/json"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/centerloss/centerloss/centerloss/evaluation"
	"github.com/centerloss/centerloss/centerloss/internal/testbackend"
	"github.com/centerloss/centerloss/centerloss/training"
)

// TestNewStats checks the quartiles against numpy's default (linear) method, which scripts/bench_compare.py uses.
func TestNewStats(t *testing.T) {
	s := NewStats([]float64{4, 1, 3, 2})
	if s.N != 4 || s.Median != 2.5 || s.Q1 != 1.75 || s.Q3 != 3.25 || s.Min != 1 || s.Max != 4 || s.Mean != 2.5 {
		t.Errorf("NewStats(4, 1, 3, 2) = %+v", s)
	}
	if s.All[0] != 4 {
		t.Errorf("NewStats keeps the samples in their order: got %v", s.All)
	}
	if s := NewStats(nil); s.N != 0 {
		t.Errorf("NewStats(nil) = %+v", s)
	}
}

// TestServe drives the lockstep protocol of scripts/bench_lockstep.py on a small subset of MNIST: every command
// answers one JSON line, the timed steps run past the end of an epoch, and the result counts what ran.
func TestServe(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles LeNet++'s training step and test pass")
	}
	backend := testbackend.Get(t)
	dataset := testbackend.MNISTSubset(t, 64, 30)
	store := training.NewStore()
	evaluation.EvalBatchSize.Set(store.RootScope(), 16)
	in := strings.NewReader("step\nstep\nstep\nloop 2\ninfer\ninfer\nresult\n")
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- Serve(store, backend, dataset, Options{Batch: 16, Warmup: 1}, in, outW)
		outW.Close()
	}()
	var answers []map[string]any
	scanner := bufio.NewScanner(outR)
	scanner.Buffer(nil, 1<<20)
	var last string
	for scanner.Scan() {
		last = scanner.Text()
		var answer map[string]any
		if err := json.Unmarshal([]byte(last), &answer); err != nil {
			t.Fatalf("answer %q: %v", last, err)
		}
		answers = append(answers, answer)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	wantKeys := []string{"ready", "step_seconds", "step_seconds", "step_seconds", "loop_seconds", "inference_seconds",
		"inference_seconds", "step"}
	if len(answers) != len(wantKeys) {
		t.Fatalf("got %d answers, want %d: %v", len(answers), len(wantKeys), answers)
	}
	for i, key := range wantKeys {
		if _, ok := answers[i][key]; !ok {
			t.Errorf("answer %d has no %q: %v", i, key, answers[i])
		}
	}
	var r Result
	if err := json.Unmarshal([]byte(last), &r); err != nil {
		t.Fatal(err)
	}
	if r.Step.N != 3 || r.LoopSteps != 2 || r.Inference.N != 1 || r.InferenceImages != 30 || r.StepsPerEpoch != 4 ||
		r.Batch != 16 || r.InferenceBatch != 16 || r.TrainStepMetricsOnHost == 0 {
		t.Errorf("result counts what ran wrong: %+v", r)
	}
	if math.IsNaN(r.FinalLoss) || r.FinalLoss <= 0 || r.TestAccuracy < 0 || r.TestAccuracy > 1 || r.FirstStepSeconds <= 0 {
		t.Errorf("result: loss %v, accuracy %v, first step %v s", r.FinalLoss, r.TestAccuracy, r.FirstStepSeconds)
	}
}
