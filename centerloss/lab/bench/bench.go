// Package bench times the library's real training step and test pass, the figures that `make bench` sets beside
// PyTorch's (scripts/bench_torch.py runs the same network, batch, threads and data there).
//
// What it times is what a user gets: a training.Session's train.Trainer (forward, backward, the Eq. 4 center
// update, SGD with momentum and weight decay, and the per-step metrics read back to the host) on real MNIST
// batches, the session's training loop (with its data feeding and bookkeeping), and Session.Evaluate over the
// 10,000 test images.
package bench

import (
	"bufio"
	"encoding/json"
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

	"github.com/centerloss/centerloss/centerloss/data"
	"github.com/centerloss/centerloss/centerloss/evaluation"
	"github.com/centerloss/centerloss/centerloss/training"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
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
	return Options{Batch: training.BatchSize.Default, Warmup: 3, Reps: 30, LoopSteps: 60, InferReps: 5}
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
	// FeedSeconds is the median time to make a batch (a ShuffledBatches batch: gather and copy 128 normalised images),
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

// bencher holds a session being timed, and its results so far.
type bencher struct {
	opts                    Options
	session                 *training.Session
	batches                 *training.ShuffledBatches
	batchEpoch              int // the epoch of batches being taken
	r                       *Result
	start                   time.Time
	steps, feeds, metrics   []float64 // timed steps; batch making and metrics reading of every step
	inference               []float64
	evaluations             int
	testAccuracy, finalLoss float64
}

// batchSeed seeds the order of the timed steps' batches (the session's own loop keeps the store's seed).
const batchSeed = 7

// newBencher builds a session for store (training.NewStore and any settings; its batch size is set to opts.Batch)
// on backend, with the dataset's training and test splits.
func newBencher(store *model.Store, backend compute.Backend, dataset *data.Dataset, opts Options) (*bencher, error) {
	b := &bencher{opts: opts, start: time.Now()}
	scope := store.RootScope()
	training.BatchSize.Set(scope, opts.Batch)
	b.r = &Result{Framework: "centerloss (GoMLX + XLA)", Versions: Versions(), Backend: backend.Description(),
		XLAFlags: os.Getenv("XLA_FLAGS"), Threads: runtime.NumCPU(), GoMaxProcs: runtime.GOMAXPROCS(0),
		Batch: opts.Batch, Layout: "NHWC (GoMLX's channels-last)", Date: time.Now().Format(time.RFC3339),
		Host: hostDescription(), LoadAvg: []string{loadAverage()}}
	t0 := time.Now()
	var err error
	if b.session, err = training.NewSession(store, backend, dataset, "", nil); err != nil {
		return nil, err
	}
	b.r.SetupSeconds = time.Since(t0).Seconds()
	b.r.StepsPerEpoch = b.session.StepsPerEpoch
	b.r.InferenceBatch = evaluation.EvalBatchSize.Get(scope)
	// The batches of the timed steps: real MNIST, shuffled as the session would.
	trained, err := training.TrainingSplit(scope, dataset)
	if err != nil {
		return nil, err
	}
	if b.batches, err = training.NewShuffledBatches(trained, opts.Batch); err != nil {
		return nil, err
	}
	b.batches.SeekEpoch(batchSeed, 0, 0)
	return b, nil
}

// nextBatch is the next batch of the timed steps; the next epoch's first one after an epoch's last.
func (b *bencher) nextBatch() (train.Batch, error) {
	for range 2 {
		for batch, err := range b.batches.Iter() {
			return batch, err
		}
		b.batchEpoch++
		b.batches.SeekEpoch(batchSeed, b.batchEpoch, 0)
	}
	return train.Batch{}, errors.New("bench: the training split gives no batch")
}

// step runs one training step as train.Trainer runs it, and returns its time: the step itself, with its metrics read
// back to the host (as the training loop's bookkeeping does every step; it also waits for the step to finish). The
// batch is made before the clock starts; that time is kept apart. The trainer takes the batch's tensors over.
func (b *bencher) step() (float64, error) {
	t0 := time.Now()
	batch, err := b.nextBatch()
	if err != nil {
		return 0, err
	}
	t := time.Now()
	metrics, err := b.session.Trainer.TrainStep(batch)
	if err != nil {
		return 0, err
	}
	tMetrics := time.Now()
	loss := math.NaN()
	for i, m := range metrics {
		v := training.ScalarValue(m)
		if b.session.Trainer.TrainMetrics()[i].ShortName() == "loss" {
			loss = v
		}
	}
	elapsed := time.Since(t).Seconds()
	b.feeds = append(b.feeds, t.Sub(t0).Seconds())
	b.metrics = append(b.metrics, time.Since(tMetrics).Seconds())
	b.r.TrainStepMetricsOnHost = len(metrics)
	for _, m := range metrics {
		m.FinalizeAll()
	}
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return 0, errors.Errorf("the loss is %v", loss)
	}
	b.finalLoss = loss
	return elapsed, nil
}

// firstSteps runs the first (compiling) step and the warm-up ones.
func (b *bencher) firstSteps(log io.Writer) error {
	var err error
	if b.r.FirstStepSeconds, err = b.step(); err != nil {
		return err
	}
	fmt.Fprintf(log, "first training step (initialisation + compilation): %.2f s\n", b.r.FirstStepSeconds)
	for range b.opts.Warmup {
		if _, err = b.step(); err != nil {
			return err
		}
	}
	b.feeds, b.metrics = nil, nil
	return nil
}

// timedStep runs one timed training step.
func (b *bencher) timedStep() (float64, error) {
	s, err := b.step()
	if err == nil {
		b.steps = append(b.steps, s)
	}
	return s, err
}

// loop runs the session's own training loop for n steps (Session.TrainSteps: its data feeding, the step, the
// metrics and their bookkeeping) and returns its time.
func (b *bencher) loop(n int) (float64, error) {
	t := time.Now()
	if err := b.session.TrainSteps(n); err != nil {
		return 0, err
	}
	return time.Since(t).Seconds(), nil
}

// evaluate runs Session.Evaluate over the test split and returns its time; the first one compiles.
func (b *bencher) evaluate() (float64, error) {
	t := time.Now()
	eval, err := b.session.Evaluate()
	if err != nil {
		return 0, err
	}
	seconds := time.Since(t).Seconds()
	b.r.InferenceImages, b.testAccuracy = len(eval.Labels), eval.Accuracy
	if b.evaluations++; b.evaluations == 1 {
		b.r.InferenceFirstSeconds = seconds
	} else {
		b.inference = append(b.inference, seconds)
	}
	return seconds, nil
}

// result fills in the statistics of what ran.
func (b *bencher) result() *Result {
	r := b.r
	r.Step = NewStats(b.steps)
	if len(b.steps) > 0 {
		r.FeedSeconds = NewStats(b.feeds).Median
		r.MetricsToHostSeconds = NewStats(b.metrics).Median
		r.ImagesPerSecond = float64(b.opts.Batch) / r.Step.Median
		r.EpochSecondsProjected = float64(r.StepsPerEpoch) * r.Step.Median
	}
	r.Inference = NewStats(b.inference)
	if len(b.inference) > 0 {
		r.InferenceImagesPerSec = float64(r.InferenceImages) / r.Inference.Median
	}
	r.TestAccuracy, r.FinalLoss = b.testAccuracy, b.finalLoss
	r.PeakRSSMiB = PeakRSSMiB()
	r.TotalBenchmarkSeconds = time.Since(b.start).Seconds()
	r.LoadAvg = []string{r.LoadAvg[0], loadAverage()} // at the start, and now
	return r
}

// Run times training and inference on a new session for store (training.NewStore and any settings) on backend,
// with the dataset's training and test splits, one phase after the other. log gets a line per phase.
func Run(store *model.Store, backend compute.Backend, dataset *data.Dataset, opts Options, log io.Writer) (*Result, error) {
	b, err := newBencher(store, backend, dataset, opts)
	if err != nil {
		return nil, err
	}
	r := b.r
	if err = b.firstSteps(log); err != nil {
		return nil, err
	}
	for range opts.Reps {
		if _, err := b.timedStep(); err != nil {
			return nil, err
		}
	}
	b.result()
	fmt.Fprintf(log, "training step: median %.1f ms (min %.1f, max %.1f, IQR %.1f–%.1f) over %d, %.0f images/s; "+
		"batch making %.2f ms and %d metrics to the host %.2f ms a step\n",
		1e3*r.Step.Median, 1e3*r.Step.Min, 1e3*r.Step.Max, 1e3*r.Step.Q1, 1e3*r.Step.Q3, r.Step.N, r.ImagesPerSecond,
		1e3*r.FeedSeconds, r.TrainStepMetricsOnHost, 1e3*r.MetricsToHostSeconds)
	if opts.LoopSteps > 0 {
		seconds, err := b.loop(opts.LoopSteps)
		if err != nil {
			return nil, err
		}
		r.LoopSteps, r.LoopStepSeconds = opts.LoopSteps, seconds/float64(opts.LoopSteps)
		r.EpochSecondsLoop = r.LoopStepSeconds * float64(r.StepsPerEpoch)
		fmt.Fprintf(log, "training loop: %.1f ms a step over %d steps (data feeding and metrics included)\n",
			1e3*r.LoopStepSeconds, opts.LoopSteps)
	}
	if opts.EpochSteps > 0 {
		if r.EpochSecondsMeasured, err = b.loop(opts.EpochSteps); err != nil {
			return nil, err
		}
		r.EpochStepsMeasured = opts.EpochSteps
		fmt.Fprintf(log, "training loop, %d steps: %.1f s\n", opts.EpochSteps, r.EpochSecondsMeasured)
	}
	r.PeakRSSAfterTrainMiB = PeakRSSMiB()
	if opts.InferReps > 0 {
		for range opts.InferReps + 1 {
			if _, err := b.evaluate(); err != nil {
				return nil, err
			}
		}
		fmt.Fprintf(log, "first test pass (compilation included): %.2f s\n", r.InferenceFirstSeconds)
	}
	b.result()
	if opts.InferReps > 0 {
		fmt.Fprintf(log, "test pass over %d images: median %.2f s (min %.2f, max %.2f), %.0f images/s\n",
			r.InferenceImages, r.Inference.Median, r.Inference.Min, r.Inference.Max, r.InferenceImagesPerSec)
	}
	return r, nil
}

// Serve is Run driven one phase at a time by a peer, so that two frameworks can alternate step by step under the
// same load (scripts/bench_lockstep.py). After building the session, the first step and the warm-up steps, it
// writes {"ready": true} on out and then answers each line of in with one JSON line:
//
//	step       {"step_seconds": s}: one timed training step
//	loop N     {"loop_seconds": s}: N steps of the session's training loop
//	infer      {"inference_seconds": s}: one pass over the test split (the first one compiles)
//	result     the Result of everything so far (the last answer)
func Serve(store *model.Store, backend compute.Backend, dataset *data.Dataset, opts Options, in io.Reader, out io.Writer) error {
	b, err := newBencher(store, backend, dataset, opts)
	if err != nil {
		return err
	}
	if err = b.firstSteps(io.Discard); err != nil {
		return err
	}
	answer := func(v any) error {
		line, err := json.Marshal(v)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(out, "%s\n", line)
		return err
	}
	if err = answer(map[string]any{"ready": true, "first_step_seconds": b.r.FirstStepSeconds}); err != nil {
		return err
	}
	scanner := bufio.NewScanner(in)
	for scanner.Scan() {
		fields := strings.Fields(scanner.Text())
		if len(fields) == 0 {
			continue
		}
		var seconds float64
		switch fields[0] {
		case "step":
			if seconds, err = b.timedStep(); err == nil {
				err = answer(map[string]float64{"step_seconds": seconds})
			}
		case "loop":
			n := 1
			if len(fields) > 1 {
				n, _ = strconv.Atoi(fields[1])
			}
			if seconds, err = b.loop(n); err == nil {
				b.r.LoopSteps += n
				b.r.LoopStepSeconds = (b.r.LoopStepSeconds*float64(b.r.LoopSteps-n) + seconds) / float64(b.r.LoopSteps)
				b.r.EpochSecondsLoop = b.r.LoopStepSeconds * float64(b.r.StepsPerEpoch)
				err = answer(map[string]float64{"loop_seconds": seconds})
			}
		case "infer":
			if b.evaluations == 0 {
				b.r.PeakRSSAfterTrainMiB = PeakRSSMiB()
			}
			if seconds, err = b.evaluate(); err == nil {
				err = answer(map[string]float64{"inference_seconds": seconds})
			}
		case "result":
			if b.evaluations == 0 {
				b.r.PeakRSSAfterTrainMiB = PeakRSSMiB()
			}
			return answer(b.result())
		default:
			err = errors.Errorf("bench: unknown command %q", fields[0])
		}
		if err != nil {
			return err
		}
	}
	return scanner.Err()
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
			case "github.com/gomlx/gomlx", "github.com/gomlx/go-xla", "github.com/gomlx/compute":
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
