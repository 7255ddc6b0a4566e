// Command centerloss-scaling times the center loss and its Eq. 4 update as the number of classes K grows (K = 10,
// 1,000, 10,000 and 100,000; d = 512, batch 256, float32, labels drawn over all K classes), the old way and the new,
// side by side in one run, and prints a markdown table.
//
//	centerloss-scaling [-backend xla:cpu] [-reps 20] [-warmup 2] [-classes 10,1000,10000,100000]
//
// Each timed call is one compiled graph that returns the loss and the new centers; the centers it returns are the
// next call's input, donated to the execution as GoMLX donates a variable it updates. Per K it times, in lockstep
// (old, new, loss only, new not donated; old, new, …):
//
//   - old: the loss and the Eq. 4 update as this repository computed it before (bench.UpdateCentersOneHot: a one-hot [batch, K] and
//     an einsum, O(batch·K·d));
//   - new: the loss and centerloss.UpdateCenters (gather and scatter-add, O(batch·d + batch²)), which XLA runs in
//     the donated buffer (third_party/go-xla.patch);
//   - loss only: centerloss.CenterLoss alone, the centers not returned: the work that does not depend on K;
//   - new, not donated: the same graph, its centers kept by the caller, so that every call first copies the K×d
//     centers into a fresh buffer: what the update costs where it cannot be in place (go-xla unpatched).
//
// It reports each median, the median of the paired ratios old/new, whether the new way's output was its donated
// input's own memory at every call (CPU only), and the largest difference between the old and the new centers after
// the first step (both from the same centers), as a check that they compute the same thing.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/lab/bench"
	"github.com/centerloss/centerloss/centerloss/xlabackend"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

func main() { bench.ExitOnError("centerloss-scaling", run()) }

func run() error {
	cfg := defaultConfig()
	backendName := flag.String("backend", "", `"xla:cpu" (default) or "xla:cuda"; $GOMLX_BACKEND when unset`)
	flag.IntVar(&cfg.Reps, "reps", cfg.Reps, "timed calls of each way per K, in lockstep")
	flag.IntVar(&cfg.Warmup, "warmup", cfg.Warmup, "untimed calls of each way per K after the first (compiling) one")
	classes := flag.String("classes", joinInts(cfg.Classes), "the numbers of classes K, comma-separated")
	flag.IntVar(&cfg.Dim, "dim", cfg.Dim, "feature dimension d")
	flag.IntVar(&cfg.Batch, "batch", cfg.Batch, "batch size")
	flag.Parse()
	var err error
	if cfg.Classes, err = parseInts(*classes); err != nil {
		return err
	}
	if cfg.Reps < 1 || cfg.Warmup < 0 || cfg.Dim < 1 || cfg.Batch < 1 {
		return errors.New("-reps, -dim and -batch must be ≥ 1 and -warmup ≥ 0")
	}
	backend, err := xlabackend.NewBackend(*backendName)
	if err != nil {
		return err
	}
	defer backend.Finalize()
	return benchmark(backend, cfg, os.Stdout)
}

// config is what one run measures.
type config struct {
	Classes      []int
	Dim, Batch   int
	Reps, Warmup int
	Alpha        float64
	Seed         int64
}

func defaultConfig() config {
	return config{Classes: []int{10, 1000, 10000, 100000}, Dim: 512, Batch: 256, Reps: 20, Warmup: 2, Alpha: 0.5,
		Seed: 2016}
}

// way is one of the timed graphs.
type way struct {
	name     string
	exec     *graph.Exec
	feedBack bool            // its second output is the next call's centers
	donates  bool            // … donated to the call
	centers  *tensors.Tensor // the centers of its next call
	ms       []float64       // the timed calls
	inPlace  int             // donated calls whose output was their input's memory
	checked  int             // donated calls whose memory could be compared
}

func newWays(backend compute.Backend, alpha float64) ([]*way, error) {
	loss := centerloss.CenterLoss
	newStep := func(x, y, c *graph.Node) (*graph.Node, *graph.Node) {
		return loss(x, y, c), centerloss.UpdateCenters(x, y, c, alpha)
	}
	steps := []struct {
		name    string
		fn      func(x, y, c *graph.Node) (*graph.Node, *graph.Node)
		donates bool
	}{
		{"old", func(x, y, c *graph.Node) (*graph.Node, *graph.Node) {
			return loss(x, y, c), bench.UpdateCentersOneHot(x, y, c, alpha)
		},
			true},
		{"new", newStep, true},
		{"new_not_donated", newStep, false},
	}
	var ways []*way
	for _, step := range steps {
		exec, err := graph.NewExec(backend, step.fn)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", step.name, err)
		}
		ways = append(ways, &way{name: step.name, exec: exec.WithName("scaling_" + step.name), feedBack: true,
			donates: step.donates})
	}
	exec, err := graph.NewExec(backend, loss)
	if err != nil {
		return nil, fmt.Errorf("loss only: %w", err)
	}
	// The order of the lockstep: old, new, loss only, new not donated.
	return []*way{ways[0], ways[1], {name: "loss only", exec: exec.WithName("scaling_loss_only")}, ways[2]}, nil
}

// call runs the way once on features and labels, feeding back (and donating) its centers, and returns how long it
// took, until its loss was on the host.
func (w *way) call(backend compute.Backend, features, labels *tensors.Tensor, donate bool) (time.Duration, error) {
	donate = donate && w.donates
	var centers any = w.centers
	before, known := uintptr(0), false
	if donate {
		before, known = xlabackend.DataAddress(backend, w.centers)
		var err error
		if centers, err = graph.DonateTensorBuffer(w.centers, backend, 0); err != nil {
			return 0, fmt.Errorf("%s: donating the centers: %w", w.name, err)
		}
	}
	start := time.Now()
	outputs, err := w.exec.Call(features, labels, centers)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", w.name, err)
	}
	loss := tensors.ToScalar[float32](outputs[0]) // waits for the execution
	elapsed := time.Since(start)
	if math.IsNaN(float64(loss)) || math.IsInf(float64(loss), 0) {
		return 0, fmt.Errorf("%s: loss %v", w.name, loss)
	}
	outputs[0].MustFinalizeAll()
	if w.feedBack {
		if !donate {
			w.centers.MustFinalizeAll()
		}
		w.centers = outputs[1]
	}
	if known {
		if after, ok := xlabackend.DataAddress(backend, w.centers); ok {
			w.checked++
			if after == before {
				w.inPlace++
			}
		}
	}
	return elapsed, nil
}

// row is the measurement of one K.
type row struct {
	K                              int
	Old, New, LossOnly, NotDonated []float64 // milliseconds, one per timed call
	InPlace, Checked               int       // the new way's donated calls in place, of those compared
	MaxDiff                        float64   // max |old − new| over the centers after the first step
	CentersMiB                     float64
	GoCopyReusedMs, GoCopyFreshMs  float64 // memory reference: copying the centers in Go
}

// measure times the four ways at K classes.
func measure(backend compute.Backend, cfg config, K int) (row, error) {
	r := row{K: K, CentersMiB: float64(K*cfg.Dim*4) / (1 << 20)}
	rng := rand.New(rand.NewSource(cfg.Seed + int64(K)))
	featuresFlat := normals(rng, cfg.Batch*cfg.Dim, 3)
	labelsFlat := make([]int32, cfg.Batch)
	for i := range labelsFlat {
		labelsFlat[i] = int32(rng.Intn(K))
	}
	centersFlat := normals(rng, K*cfg.Dim, 1)
	features := tensors.FromFlatDataAndDimensions(featuresFlat, cfg.Batch, cfg.Dim)
	labels := tensors.FromFlatDataAndDimensions(labelsFlat, cfg.Batch)
	defer features.MustFinalizeAll()
	defer labels.MustFinalizeAll()

	ways, err := newWays(backend, cfg.Alpha)
	if err != nil {
		return r, err
	}
	defer func() {
		for _, w := range ways {
			if w.centers != nil && w.centers.Ok() {
				w.centers.MustFinalizeAll()
			}
			w.exec.Finalize()
		}
	}()
	// The first call compiles, from the same centers for every way, and is not donated (its input is a Go tensor).
	for _, w := range ways {
		w.centers = tensors.FromFlatDataAndDimensions(centersFlat, K, cfg.Dim)
		if _, err := w.call(backend, features, labels, false); err != nil {
			return r, err
		}
	}
	oldCenters := tensors.MustCopyFlatData[float32](ways[0].centers)
	newCenters := tensors.MustCopyFlatData[float32](ways[1].centers)
	r.MaxDiff = maxAbsDiff(oldCenters, newCenters)
	oldCenters, newCenters = nil, nil
	r.GoCopyReusedMs, r.GoCopyFreshMs = goCopyReference(centersFlat)

	for range cfg.Warmup {
		for _, w := range ways {
			if _, err := w.call(backend, features, labels, true); err != nil {
				return r, err
			}
		}
	}
	for range cfg.Reps {
		for _, w := range ways {
			elapsed, err := w.call(backend, features, labels, true)
			if err != nil {
				return r, err
			}
			w.ms = append(w.ms, float64(elapsed.Nanoseconds())/1e6)
		}
	}
	r.Old, r.New, r.LossOnly, r.NotDonated = ways[0].ms, ways[1].ms, ways[2].ms, ways[3].ms
	r.InPlace, r.Checked = ways[1].inPlace, ways[1].checked
	return r, nil
}

// goCopyReference times copying the centers in Go, into a buffer already touched and into a fresh one (whose
// pages the kernel must first map and zero): the bandwidth the K·d write of an update that is not in place costs.
func goCopyReference(centers []float32) (reusedMs, freshMs float64) {
	const n = 3
	dst := make([]float32, len(centers))
	copy(dst, centers)
	var reused, fresh []float64
	for range n {
		start := time.Now()
		copy(dst, centers)
		reused = append(reused, float64(time.Since(start).Nanoseconds())/1e6)
		start = time.Now()
		fresh1 := make([]float32, len(centers))
		copy(fresh1, centers)
		fresh = append(fresh, float64(time.Since(start).Nanoseconds())/1e6)
		runtime.KeepAlive(fresh1)
	}
	return median(reused), median(fresh)
}

func benchmark(backend compute.Backend, cfg config, out io.Writer) error {
	var rows []row
	for _, K := range cfg.Classes {
		fmt.Fprintf(os.Stderr, "K = %d …\n", K)
		r, err := measure(backend, cfg, K)
		if err != nil {
			return fmt.Errorf("K = %d: %w", K, err)
		}
		rows = append(rows, r)
		runtime.GC()
	}
	writeReport(out, backend.Description(), cfg, rows, time.Now())
	return nil
}

func writeReport(out io.Writer, backendDescription string, cfg config, rows []row, now time.Time) {
	fmt.Fprintf(out, "## Center loss and Eq. 4 update as the classes grow\n\n")
	fmt.Fprintf(out, "%s · %d CPUs (nproc), %s · GOMAXPROCS %d · load average %s at the end · %s\n\n",
		now.UTC().Format("2006-01-02 15:04 MST"), runtime.NumCPU(), cpuModel(readFile("/proc/cpuinfo")),
		runtime.GOMAXPROCS(0), loadAverage(readFile("/proc/loadavg")), backendDescription)
	fmt.Fprintf(out, "d = %d, batch %d, float32, labels uniform over the K classes, α = %v; medians of %d calls per "+
		"way in lockstep after %d warm-up calls; each call one compiled graph, its centers fed back and donated.\n\n",
		cfg.Dim, cfg.Batch, cfg.Alpha, cfg.Reps, cfg.Warmup)
	fmt.Fprintln(out, "| K | centers | old ms | new ms | old/new (paired) | new in place | new, loss only ms | "+
		"new, not donated ms | copy's share of not donated | max abs diff old vs new |")
	fmt.Fprintln(out, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range rows {
		fmt.Fprintf(out, "| %s | %s | %s | %s | %.1f× | %s | %s | %s | %.0f%% | %.1e |\n", thousands(r.K),
			mib(r.CentersMiB), ms(median(r.Old)), ms(median(r.New)), pairedRatio(r.Old, r.New), inPlace(r),
			ms(median(r.LossOnly)), ms(median(r.NotDonated)), 100*max(0, copyShare(r)), r.MaxDiff)
	}
	fmt.Fprintln(out, "\n\"new in place\": of the new way's donated calls, those whose new centers were in the "+
		"memory of the old ones. \"not donated\": the new way with the caller keeping its centers, so that every "+
		"call first copies them; its copy's share is (not donated − new) / not donated.")
	fmt.Fprintln(out)
	fmt.Fprintln(out, "Copying the centers in Go on this machine (median of 3), into a buffer already in memory / into a "+
		"fresh one:")
	for _, r := range rows {
		fmt.Fprintf(out, "K = %s (%s): %s / %s ms\n", thousands(r.K), mib(r.CentersMiB), ms(r.GoCopyReusedMs),
			ms(r.GoCopyFreshMs))
	}
	if len(rows) >= 2 {
		first, last := rows[0], rows[len(rows)-1]
		fmt.Fprintf(out, "\nAt K = %s the new update is %.1f× faster than the old (paired median) and %.1f× its "+
			"time at K = %s; in place: %s calls. Not donated, it copies the %s centers at every call: %s ms, "+
			"of which the copy is %.0f%%.\n", thousands(last.K), pairedRatio(last.Old, last.New),
			median(last.New)/median(first.New), thousands(first.K), inPlace(last), mib(last.CentersMiB),
			ms(median(last.NotDonated)), 100*copyShare(last))
	}
}

// inPlace is "n/m": of m donated calls of the new way whose memory was compared, n wrote in place; "?" if none was.
func inPlace(r row) string {
	if r.Checked == 0 {
		return "?"
	}
	return fmt.Sprintf("%d/%d", r.InPlace, r.Checked)
}

// copyShare is the part of the not-donated update's time that is copying the centers: (not donated − new) / not
// donated.
func copyShare(r row) float64 {
	return (median(r.NotDonated) - median(r.New)) / median(r.NotDonated)
}

// pairedRatio is the median of the ratios a_i / b_i of calls made side by side.
func pairedRatio(a, b []float64) float64 {
	n := min(len(a), len(b))
	if n == 0 {
		return math.NaN()
	}
	ratios := make([]float64, n)
	for i := range n {
		ratios[i] = a[i] / b[i]
	}
	return median(ratios)
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func maxAbsDiff(a, b []float32) float64 {
	var m float64
	for i := range a {
		m = max(m, math.Abs(float64(a[i])-float64(b[i])))
	}
	return m
}

func normals(rng *rand.Rand, n int, scale float64) []float32 {
	xs := make([]float32, n)
	for i := range xs {
		xs[i] = float32(rng.NormFloat64() * scale)
	}
	return xs
}

func readFile(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return string(b)
}

// loadAverage is the 1-, 5- and 15-minute load averages of /proc/loadavg: how busy the machine was.
func loadAverage(loadavg string) string {
	fields := strings.Fields(loadavg)
	if len(fields) < 3 {
		return "unknown"
	}
	return strings.Join(fields[:3], " ")
}

// cpuModel is the first "model name" of /proc/cpuinfo, or runtime.GOARCH when there is none.
func cpuModel(cpuinfo string) string {
	for line := range strings.SplitSeq(cpuinfo, "\n") {
		key, value, ok := strings.Cut(line, ":")
		if ok && strings.TrimSpace(key) == "model name" {
			return strings.TrimSpace(value)
		}
	}
	return runtime.GOARCH
}

func ms(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

func mib(v float64) string {
	if v >= 10 {
		return fmt.Sprintf("%.0f MiB", v)
	}
	return fmt.Sprintf("%.2g MiB", v)
}

// thousands writes n with commas: 100000 → "100,000".
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func joinInts(xs []int) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = strconv.Itoa(x)
	}
	return strings.Join(parts, ",")
}

func parseInts(text string) ([]int, error) {
	var xs []int
	for part := range strings.SplitSeq(text, ",") {
		x, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || x < 1 {
			return nil, fmt.Errorf("-classes %q: want positive integers separated by commas", text)
		}
		xs = append(xs, x)
	}
	return xs, nil
}
