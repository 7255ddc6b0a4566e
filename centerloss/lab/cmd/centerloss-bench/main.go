// Command centerloss-bench times the library's LeNet++ training step (batch 128: forward, backward, the Eq. 4
// center update, SGD with momentum and weight decay) and its pass over the 10,000 MNIST test images, on XLA, and
// writes the figures as JSON for scripts/bench_compare.py to set beside PyTorch's (`make bench` runs both).
//
//	centerloss-bench [-backend xla:cpu] [-reps 30] [-warmup 3] [-loop-steps 60] [-infer-reps 5] [-json out.json]
//	                 [-set "key=value;key=value"]
//	centerloss-bench -profile          # the time of each part of the step, each convolution alone
//	centerloss-bench -serve            # one phase per command on stdin, for scripts/bench_lockstep.py
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/centerloss/centerloss/centerloss/data"
	"github.com/centerloss/centerloss/centerloss/lab/bench"
	"github.com/centerloss/centerloss/centerloss/training"
	"github.com/centerloss/centerloss/centerloss/xlabackend"
	"github.com/gomlx/gomlx/ml/model"
)

func main() { bench.ExitOnError("centerloss-bench", run()) }

func run() error {
	d := bench.DefaultOptions()
	backendName := flag.String("backend", "", `"xla:cpu" (default) or "xla:cuda"; $GOMLX_BACKEND when unset`)
	dataDir := flag.String("data", "", "folder with MNIST-style IDX files (default: the real MNIST of the GoMNIST Go module)")
	batch := flag.Int("batch", d.Batch, "training batch size (the setting batch_size)")
	warmup := flag.Int("warmup", d.Warmup, "untimed training steps after the first (compiling) one")
	reps := flag.Int("reps", d.Reps, "training steps timed one by one")
	loopSteps := flag.Int("loop-steps", d.LoopSteps, "steps of the real training loop (data feeding included), timed as a whole; 0 skips")
	epochSteps := flag.Int("epoch-steps", 0, "also time this many steps of the training loop in one go (468: a whole MNIST epoch)")
	inferReps := flag.Int("infer-reps", d.InferReps, "timed passes over the test images (after a first, compiling, one); 0 skips the test pass")
	jsonPath := flag.String("json", "", "write the results as JSON to this file")
	profile := flag.Bool("profile", false, "time each part of the step instead: forward, forward+backward, the whole step, "+
		"each convolution's forward and backward alone, inference")
	profileReps := flag.Int("profile-reps", 10, "timed repetitions of each part with -profile")
	serve := flag.Bool("serve", false, "build the session, run the first and the warm-up steps, then time one phase per "+
		"command read from stdin (step, loop N, infer, result), answering with JSON lines: scripts/bench_lockstep.py "+
		"alternates it with PyTorch step by step")
	settings := flag.String("set", "", `other settings, "key=value;key=value"; keys: `+
		strings.Join(training.AllSettings().Names(), ", "))
	flag.Parse()

	store, err := newStore(*settings)
	if err != nil {
		return err
	}
	batchFlagSet := false
	flag.Visit(func(f *flag.Flag) { batchFlagSet = batchFlagSet || f.Name == "batch" })
	if !batchFlagSet { // -set batch_size=N, or the default
		*batch = training.BatchSize.Get(store.RootScope())
	}

	dataset, err := loadData(*dataDir)
	if err != nil {
		return err
	}
	backend, err := xlabackend.NewBackend(*backendName)
	if err != nil {
		return err
	}
	if *profile {
		parts, err := bench.Profile(store, backend, dataset, *batch, *profileReps, os.Stdout)
		if err != nil {
			return err
		}
		return writeJSON(*jsonPath, parts)
	}
	opts := bench.Options{Batch: *batch, Warmup: *warmup, Reps: *reps, LoopSteps: *loopSteps,
		InferReps: *inferReps, EpochSteps: *epochSteps}
	if *serve {
		return bench.Serve(store, backend, dataset, opts, os.Stdin, os.Stdout)
	}
	fmt.Printf("centerloss-bench on %s, XLA_FLAGS=%q\n", backend.Description(), os.Getenv("XLA_FLAGS"))
	result, err := bench.Run(store, backend, dataset, opts, os.Stdout)
	if err != nil {
		return err
	}
	fmt.Printf("projected epoch (%d steps × median step): %.0f s; peak RSS %.0f MiB\n",
		result.StepsPerEpoch, result.EpochSecondsProjected, result.PeakRSSMiB)
	return writeJSON(*jsonPath, result)
}

// newStore is a store with every setting at its declared default but those of settings ("key=value;key=value"),
// checked before any work starts.
func newStore(settings string) (*model.Store, error) {
	store := training.NewStore()
	all := training.AllSettings()
	for _, assignment := range strings.Split(settings, ";") {
		if assignment = strings.TrimSpace(assignment); assignment == "" {
			continue
		}
		if _, err := all.SetFromText(store.RootScope(), assignment); err != nil {
			return nil, err
		}
	}
	return store, training.ValidateSettings(store)
}

func writeJSON(path string, v any) error {
	if path == "" {
		return nil
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func loadData(dir string) (*data.Dataset, error) {
	if dir == "" {
		return data.LoadMNIST()
	}
	return data.Load(dir)
}
