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
// It reports each bench.Median, the bench.Median of the paired ratios old/new, whether the new way's output was its donated
// input's own memory at every call (CPU only), and the largest difference between the old and the new centers after
// the first step (both from the same centers), as a check that they compute the same thing.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/centerloss/centerloss/centerloss/lab/bench"
	"github.com/centerloss/centerloss/centerloss/xlabackend"
	"github.com/gomlx/compute"
)

func main() { bench.ExitOnError("centerloss-scaling", run()) }

func run() error {
	cfg := bench.DefaultScalingConfig()
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

func benchmark(backend compute.Backend, cfg bench.ScalingConfig, out io.Writer) error {
	var rows []bench.ScalingRow
	for _, K := range cfg.Classes {
		fmt.Fprintf(os.Stderr, "K = %d …\n", K)
		r, err := bench.MeasureScaling(backend, cfg, K)
		if err != nil {
			return fmt.Errorf("K = %d: %w", K, err)
		}
		rows = append(rows, r)
		runtime.GC()
	}
	writeReport(out, backend.Description(), cfg, rows, time.Now())
	return nil
}

func writeReport(out io.Writer, backendDescription string, cfg bench.ScalingConfig, rows []bench.ScalingRow, now time.Time) {
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
			mib(r.CentersMiB), ms(bench.Median(r.Old)), ms(bench.Median(r.New)), bench.PairedRatio(r.Old, r.New), inPlace(r),
			ms(bench.Median(r.LossOnly)), ms(bench.Median(r.NotDonated)), 100*max(0, copyShare(r)), r.MaxDiff)
	}
	fmt.Fprintln(out, "\n\"new in place\": of the new way's donated calls, those whose new centers were in the "+
		"memory of the old ones. \"not donated\": the new way with the caller keeping its centers, so that every "+
		"call first copies them; its copy's share is (not donated − new) / not donated.")
	fmt.Fprintln(out)
	fmt.Fprintln(out, "Copying the centers in Go on this machine (bench.Median of 3), into a buffer already in memory / into a "+
		"fresh one:")
	for _, r := range rows {
		fmt.Fprintf(out, "K = %s (%s): %s / %s ms\n", thousands(r.K), mib(r.CentersMiB), ms(r.GoCopyReusedMs),
			ms(r.GoCopyFreshMs))
	}
	if len(rows) >= 2 {
		first, last := rows[0], rows[len(rows)-1]
		fmt.Fprintf(out, "\nAt K = %s the new update is %.1f× faster than the old (paired bench.Median) and %.1f× its "+
			"time at K = %s; in place: %s calls. Not donated, it copies the %s centers at every call: %s ms, "+
			"of which the copy is %.0f%%.\n", thousands(last.K), bench.PairedRatio(last.Old, last.New),
			bench.Median(last.New)/bench.Median(first.New), thousands(first.K), inPlace(last), mib(last.CentersMiB),
			ms(bench.Median(last.NotDonated)), 100*copyShare(last))
	}
}

// inPlace is "n/m": of m donated calls of the new way whose memory was compared, n wrote in place; "?" if none was.
func inPlace(r bench.ScalingRow) string {
	if r.Checked == 0 {
		return "?"
	}
	return fmt.Sprintf("%d/%d", r.InPlace, r.Checked)
}

// copyShare is the part of the not-donated update's time that is copying the centers: (not donated − new) / not
// donated.
func copyShare(r bench.ScalingRow) float64 {
	return (bench.Median(r.NotDonated) - bench.Median(r.New)) / bench.Median(r.NotDonated)
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
