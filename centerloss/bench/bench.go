// Package bench times the library's real training step and test pass, the figures that `make bench` sets beside
// PyTorch's (scripts/bench_torch.py runs the same network, batch, threads and data there).
//
// What it times is what a user gets: a centerloss.Session's train.Trainer (forward, backward, the Eq. 4 center
// update, SGD with momentum and weight decay, and the per-step metrics read back to the host) on real MNIST
// batches, the session's training loop (with its data feeding and bookkeeping), and Session.Evaluate over the
// 10,000 test images.
package bench

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/data"
	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/pkg/errors"
)

// Options says what to time and how often.
type Options struct {
	Batch      int // training batch (128: the reference)
	Warmup     int // training steps run, untimed, after the first (compiling) one
	Reps       int // training steps timed one by one
	LoopSteps  int // steps of the session's real training loop, timed as a whole (0: skip)
	InferReps  int // timed passes over the test split (after a first, compiling, one); 0 skips the test pass
	EpochSteps int // steps of a whole epoch to time through the training loop (0: skip; 468 is MNIST's epoch)
}

// DefaultOptions are the repetitions `make bench` uses unless told otherwise.
func DefaultOptions() Options {
	return Options{Batch: 128, Warmup: 3, Reps: 30, LoopSteps: 60, InferReps: 5}
}

// Stats summarises repeated timings, in seconds.
type Stats struct {
	N      int       `json:"n"`
	Median float64   `json:"median"`
	Min    float64   `json:"min"`
	Max    float64   `json:"max"`
	Q1     float64   `json:"q1"`
	Q3     float64   `json:"q3"`
	Mean   float64   `json:"mean"`
	All    []float64 `json:"all"`
}

// NewStats summarises samples (seconds).
func NewStats(samples []float64) Stats {
	if len(samples) == 0 {
		return Stats{}
	}
	sorted := slices.Clone(samples)
	slices.Sort(sorted)
	var sum float64
	for _, s := range sorted {
		sum += s
	}
	return Stats{N: len(sorted), Median: quantile(sorted, 0.5), Min: sorted[0], Max: sorted[len(sorted)-1],
		Q1: quantile(sorted, 0.25), Q3: quantile(sorted, 0.75), Mean: sum / float64(len(sorted)), All: slices.Clone(samples)}
}

// quantile interpolates linearly between the order statistics of sorted (numpy's default method).
func quantile(sorted []float64, q float64) float64 {
	pos := q * float64(len(sorted)-1)
	lo := int(math.Floor(pos))
	hi := min(lo+1, len(sorted)-1)
	return sorted[lo] + (pos-float64(lo))*(sorted[hi]-sorted[lo])
}

// Result is what one benchmark run measured; the JSON field names are shared with scripts/bench_torch.py.
type Result struct {
	Framework string            `json:"framework"`
	Versions  map[string]string `json:"versions"`
	Backend   string            `json:"backend"`
	XLAFlags  string            `json:"xla_flags"`
	Threads   int               `json:"threads"`
	Batch     int               `json:"batch"`
	Layout    string            `json:"layout"`
	Date      string            `json:"date"`
	Host      string            `json:"host"`
	// LoadAvg is /proc/loadavg's 1, 5 and 15-minute load averages when the run started and when it ended: other
	// work on the machine shows there.
	LoadAvg []string `json:"loadavg"`

	// SetupSeconds is building the session (no compilation: GoMLX compiles on the first call).
	SetupSeconds float64 `json:"setup_seconds"`
	// FirstStepSeconds is the first training step: variable initialisation, graph building and XLA compilation.
	FirstStepSeconds float64 `json:"first_step_seconds"`
	// Step is one training step as train.Trainer runs it, with its metrics read back to the host.
	Step Stats `json:"step"`
	// FeedSeconds is the median time to make a batch (ShuffledBatches.Yield: gather and copy 128 normalised images),
	// outside Step; MetricsToHostSeconds is the part of Step spent reading the step's metrics back to the host.
	FeedSeconds          float64 `json:"feed_seconds"`
	MetricsToHostSeconds float64 `json:"metrics_to_host_seconds"`
	ImagesPerSecond      float64 `json:"images_per_second"`
	StepsPerEpoch        int     `json:"steps_per_epoch"`
	// EpochSecondsProjected is StepsPerEpoch × the median step.
	EpochSecondsProjected float64 `json:"epoch_seconds_projected"`
	// LoopStepSeconds is the session's training loop (Session.TrainSteps: data feeding, the step, the metrics and
	// their bookkeeping), its total time over LoopSteps steps divided by them.
	LoopSteps              int     `json:"loop_steps"`
	LoopStepSeconds        float64 `json:"loop_step_seconds"`
	EpochSecondsLoop       float64 `json:"epoch_seconds_loop"`
	EpochSecondsMeasured   float64 `json:"epoch_seconds_measured,omitempty"`
	EpochStepsMeasured     int     `json:"epoch_steps_measured,omitempty"`
	InferenceFirstSeconds  float64 `json:"inference_first_seconds"`
	Inference              Stats   `json:"inference"`
	InferenceImages        int     `json:"inference_images"`
	InferenceImagesPerSec  float64 `json:"inference_images_per_second"`
	TestAccuracy           float64 `json:"test_accuracy"`
	FinalLoss              float64 `json:"final_loss"`
	PeakRSSMiB             float64 `json:"peak_rss_mib"`
	PeakRSSAfterTrainMiB   float64 `json:"peak_rss_after_train_mib"`
	GoMaxProcs             int     `json:"gomaxprocs"`
	TotalBenchmarkSeconds  float64 `json:"total_seconds"`
	InferenceBatch         int     `json:"inference_batch"`
	TrainStepMetricsOnHost int     `json:"train_step_metrics_on_host"`
}

// Run times training and inference on a new session for ctx (centerloss.NewContext and any settings) on backend,
// with the dataset's training and test splits. log gets a line per phase.
func Run(ctx *context.Context, backend backends.Backend, dataset *data.Dataset, opts Options, log io.Writer) (*Result, error) {
	start := time.Now()
	ctx.SetParam(centerloss.ParamBatchSize, opts.Batch)
	r := &Result{Framework: "centerloss (GoMLX + XLA)", Versions: Versions(), Backend: backend.Description(),
		XLAFlags: os.Getenv("XLA_FLAGS"), Threads: runtime.NumCPU(), GoMaxProcs: runtime.GOMAXPROCS(0),
		Batch: opts.Batch, Layout: "NHWC (GoMLX's channels-last)", Date: time.Now().Format(time.RFC3339),
		Host: hostDescription(), LoadAvg: []string{loadAverage()}}
	defer func() { r.LoadAvg = append(r.LoadAvg, loadAverage()) }()

	t0 := time.Now()
	session, err := centerloss.NewSession(ctx, backend, dataset, "", nil)
	if err != nil {
		return nil, err
	}
	r.SetupSeconds = time.Since(t0).Seconds()
	r.StepsPerEpoch = session.StepsPerEpoch
	r.InferenceBatch = context.GetParamOr(ctx, centerloss.ParamEvalBatchSize, 1000)

	// The batches of the timed steps: real MNIST, shuffled as the session would, made before the clock starts.
	batches, err := centerloss.NewShuffledBatches(dataset.Train, opts.Batch)
	if err != nil {
		return nil, err
	}
	batches.SeekEpoch(7, 0, 0)
	var feedTimes, metricTimes []float64
	step := func() (float64, error) {
		t0 := time.Now()
		_, inputs, labels, err := batches.Yield()
		if errors.Is(err, io.EOF) {
			batches.Reset()
			_, inputs, labels, err = batches.Yield()
		}
		if err != nil {
			return 0, err
		}
		t := time.Now()
		feedTimes = append(feedTimes, t.Sub(t0).Seconds())
		metrics, err := session.Trainer.TrainStep(nil, inputs, labels)
		if err != nil {
			return 0, err
		}
		tMetrics := time.Now()
		// Read every metric to the host, as the training loop's bookkeeping does each step: it also waits for
		// the step to finish.
		var loss float64
		for i, m := range metrics {
			v := scalar(m)
			if session.Trainer.TrainMetrics()[i].ShortName() == "loss+" {
				loss = v
			}
		}
		elapsed := time.Since(t).Seconds()
		metricTimes = append(metricTimes, time.Since(tMetrics).Seconds())
		r.TrainStepMetricsOnHost = len(metrics)
		for _, ts := range [][]*tensors.Tensor{inputs, labels, metrics} {
			for _, x := range ts {
				x.FinalizeAll()
			}
		}
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return 0, errors.Errorf("the loss is %v", loss)
		}
		r.FinalLoss = loss
		return elapsed, nil
	}

	if r.FirstStepSeconds, err = step(); err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "first training step (initialisation + compilation): %.2f s\n", r.FirstStepSeconds)
	for range opts.Warmup {
		if _, err = step(); err != nil {
			return nil, err
		}
	}
	samples := make([]float64, 0, opts.Reps)
	for range opts.Reps {
		s, err := step()
		if err != nil {
			return nil, err
		}
		samples = append(samples, s)
	}
	r.Step = NewStats(samples)
	r.FeedSeconds = NewStats(feedTimes[1+opts.Warmup:]).Median
	r.MetricsToHostSeconds = NewStats(metricTimes[1+opts.Warmup:]).Median
	r.ImagesPerSecond = float64(opts.Batch) / r.Step.Median
	r.EpochSecondsProjected = float64(r.StepsPerEpoch) * r.Step.Median
	fmt.Fprintf(log, "training step: median %.1f ms (min %.1f, max %.1f, IQR %.1f–%.1f) over %d, %.0f images/s; "+
		"batch making %.2f ms and %d metrics to the host %.2f ms a step\n",
		1e3*r.Step.Median, 1e3*r.Step.Min, 1e3*r.Step.Max, 1e3*r.Step.Q1, 1e3*r.Step.Q3, r.Step.N, r.ImagesPerSecond,
		1e3*r.FeedSeconds, r.TrainStepMetricsOnHost, 1e3*r.MetricsToHostSeconds)

	if opts.LoopSteps > 0 {
		t := time.Now()
		if err := session.TrainSteps(opts.LoopSteps); err != nil {
			return nil, err
		}
		r.LoopSteps = opts.LoopSteps
		r.LoopStepSeconds = time.Since(t).Seconds() / float64(opts.LoopSteps)
		r.EpochSecondsLoop = r.LoopStepSeconds * float64(r.StepsPerEpoch)
		fmt.Fprintf(log, "training loop: %.1f ms a step over %d steps (data feeding and metrics included)\n",
			1e3*r.LoopStepSeconds, opts.LoopSteps)
	}
	if opts.EpochSteps > 0 {
		t := time.Now()
		if err := session.TrainSteps(opts.EpochSteps); err != nil {
			return nil, err
		}
		r.EpochStepsMeasured = opts.EpochSteps
		r.EpochSecondsMeasured = time.Since(t).Seconds()
		fmt.Fprintf(log, "training loop, %d steps: %.1f s\n", opts.EpochSteps, r.EpochSecondsMeasured)
	}
	r.PeakRSSAfterTrainMiB = PeakRSSMiB()
	if opts.InferReps <= 0 {
		r.PeakRSSMiB = r.PeakRSSAfterTrainMiB
		r.TotalBenchmarkSeconds = time.Since(start).Seconds()
		return r, nil
	}

	t0 = time.Now()
	eval, err := session.Evaluate()
	if err != nil {
		return nil, err
	}
	r.InferenceFirstSeconds = time.Since(t0).Seconds()
	r.InferenceImages = len(eval.Labels)
	fmt.Fprintf(log, "first test pass (compilation included): %.2f s\n", r.InferenceFirstSeconds)
	samples = samples[:0]
	for range opts.InferReps {
		t := time.Now()
		if eval, err = session.Evaluate(); err != nil {
			return nil, err
		}
		samples = append(samples, time.Since(t).Seconds())
	}
	r.Inference = NewStats(samples)
	r.InferenceImagesPerSec = float64(r.InferenceImages) / r.Inference.Median
	r.TestAccuracy = eval.Accuracy
	fmt.Fprintf(log, "test pass over %d images: median %.2f s (min %.2f, max %.2f), %.0f images/s\n",
		r.InferenceImages, r.Inference.Median, r.Inference.Min, r.Inference.Max, r.InferenceImagesPerSec)
	r.PeakRSSMiB = PeakRSSMiB()
	r.TotalBenchmarkSeconds = time.Since(start).Seconds()
	return r, nil
}

// scalar reads a scalar metric to the host.
func scalar(t *tensors.Tensor) float64 {
	switch v := t.Value().(type) {
	case float32:
		return float64(v)
	case float64:
		return v
	}
	return math.NaN()
}

// PeakRSSMiB is the process's peak resident memory (VmHWM of /proc/self/status), in MiB; 0 where unknown.
func PeakRSSMiB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		if rest, ok := strings.CutPrefix(scanner.Text(), "VmHWM:"); ok {
			fields := strings.Fields(rest) // "123456 kB"
			if kb, err := strconv.ParseFloat(fields[0], 64); err == nil {
				return kb / 1024
			}
		}
	}
	return 0
}

// Versions names Go and the modules that matter.
func Versions() map[string]string {
	v := map[string]string{"go": runtime.Version()}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			switch dep.Path {
			case "github.com/gomlx/gomlx", "github.com/gomlx/go-xla":
				v[dep.Path[strings.LastIndex(dep.Path, "/")+1:]] = dep.Version
			}
		}
	}
	return v
}

// loadAverage is the first three fields of /proc/loadavg.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	fields := strings.Fields(string(b))
	return strings.Join(fields[:min(3, len(fields))], " ")
}

// hostDescription is the CPU model and count, from /proc/cpuinfo.
func hostDescription() string {
	model := ""
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, "model name"); ok {
				model = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), ":"))
				break
			}
		}
	}
	return fmt.Sprintf("%s, %d CPUs", model, runtime.NumCPU())
}
