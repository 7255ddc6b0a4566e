package main

import (
	"bytes"
	"math"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/internal/testbackend"
	"github.com/centerloss/centerloss/centerloss/lab/bench"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// TestOldUpdateEqualsNew: the formulation of before and UpdateCenters compute the same Eq. 4, on a batch with
// repeated classes, a class seen once and absent classes (which neither moves).
func TestOldUpdateEqualsNew(t *testing.T) {
	backend := testbackend.Get(t)
	const numClasses, dim, alpha = 12, 5, 0.5
	rng := rand.New(rand.NewSource(1))
	labels := []int32{3, 3, 7, 0, 3, 7, 11} // 3 three times, 7 twice, 0 and 11 once; the others absent
	features := tensors.FromFlatDataAndDimensions(normals(rng, len(labels)*dim, 3), len(labels), dim)
	centersFlat := normals(rng, numClasses*dim, 1)
	centers := tensors.FromFlatDataAndDimensions(centersFlat, numClasses, dim)
	outputs := graph.MustExecOnceN(backend, func(x, y, c *graph.Node) []*graph.Node {
		return []*graph.Node{bench.UpdateCentersOneHot(x, y, c, alpha), centerloss.UpdateCenters(x, y, c, alpha)}
	}, features, labels, centers)
	old, updated := tensors.MustCopyFlatData[float32](outputs[0]), tensors.MustCopyFlatData[float32](outputs[1])
	testbackend.AssertClose(t, "old vs new", old, updated, 1e-5)
	if d := maxAbsDiff(old, centersFlat); d == 0 {
		t.Fatal("the update moved no center")
	}
	for _, j := range []int{1, 2, 4, 5, 6, 8, 9, 10} {
		testbackend.AssertClose(t, "absent class (old)", centersFlat[j*dim:(j+1)*dim], old[j*dim:(j+1)*dim], 0)
	}
}

// TestMeasureSmall runs the whole measurement on small sizes: every way timed once per repetition, the old and
// new centers equal, and the report holds one table row per K.
func TestMeasureSmall(t *testing.T) {
	backend := testbackend.Get(t)
	cfg := config{Classes: []int{3, 40}, Dim: 4, Batch: 8, Reps: 3, Warmup: 1, Alpha: 0.5, Seed: 1}
	var rows []row
	for _, K := range cfg.Classes {
		r, err := measure(backend, cfg, K)
		if err != nil {
			t.Fatal(err)
		}
		for name, ms := range map[string][]float64{"old": r.Old, "new": r.New, "loss only": r.LossOnly,
			"not donated": r.NotDonated} {
			if len(ms) != cfg.Reps || median(ms) <= 0 {
				t.Errorf("K = %d, %s: times %v, want %d positive", K, name, ms, cfg.Reps)
			}
		}
		if r.MaxDiff > 1e-5 {
			t.Errorf("K = %d: old and new centers differ by %v", K, r.MaxDiff)
		}
		// Every donated call of the new way (warm-up and timed) updated the centers in their own memory.
		if want := cfg.Warmup + cfg.Reps; r.InPlace != want || r.Checked != want {
			t.Errorf("K = %d: in place %d of %d donated calls compared, want %d of %d", K, r.InPlace, r.Checked,
				want, want)
		}
		rows = append(rows, r)
	}
	var out bytes.Buffer
	writeReport(&out, "test backend", cfg, rows, time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))
	report := out.String()
	for _, want := range []string{"| K | centers | old ms | new ms | old/new (paired) |", "\n| 3 | ", "\n| 40 | ",
		"2026-12-01 12:00 UTC", "test backend", "At K = 40 the new update is", "in place: 4/4 calls"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
}

func TestMedianAndPairedRatio(t *testing.T) {
	if m := median([]float64{5, 1, 3}); m != 3 {
		t.Errorf("median odd = %v", m)
	}
	if m := median([]float64{4, 1, 3, 2}); m != 2.5 {
		t.Errorf("median even = %v", m)
	}
	if !math.IsNaN(median(nil)) {
		t.Error("median of nothing is not NaN")
	}
	// Ratios 2, 4, 10: the paired median is 4, not median(a)/median(b) = 8/2.
	if r := pairedRatio([]float64{2, 8, 30}, []float64{1, 2, 3}); r != 4 {
		t.Errorf("paired ratio = %v, want 4", r)
	}
}

func TestCopyShare(t *testing.T) {
	r := row{New: []float64{2, 2}, NotDonated: []float64{10, 10}}
	if s := copyShare(r); math.Abs(s-0.8) > 1e-12 {
		t.Errorf("copy share = %v, want (10 − 2)/10 = 0.8", s)
	}
	if got := inPlace(row{}); got != "?" {
		t.Errorf("in place with nothing compared = %q, want ?", got)
	}
	if got := inPlace(row{InPlace: 19, Checked: 20}); got != "19/20" {
		t.Errorf("in place = %q, want 19/20", got)
	}
}

func TestCPUModel(t *testing.T) {
	info := "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13 64-Core Processor\n" +
		"processor\t: 1\nmodel name\t: AMD EPYC 7B13 64-Core Processor\n"
	if m := cpuModel(info); m != "AMD EPYC 7B13 64-Core Processor" {
		t.Errorf("cpu model = %q", m)
	}
	if m := cpuModel(""); m == "" {
		t.Error("no cpu model without /proc/cpuinfo")
	}
	if l := loadAverage("13.24 11.65 6.01 9/812 15328\n"); l != "13.24 11.65 6.01" {
		t.Errorf("load average = %q", l)
	}
	if l := loadAverage(""); l != "unknown" {
		t.Errorf("load average of nothing = %q", l)
	}
}

func TestFormatting(t *testing.T) {
	for n, want := range map[int]string{10: "10", 1000: "1,000", 100000: "100,000", 1234567: "1,234,567"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
	xs, err := parseInts(joinInts(defaultConfig().Classes))
	if err != nil || len(xs) != 4 || xs[3] != 100000 {
		t.Errorf("parseInts(joinInts(defaults)) = %v, %v", xs, err)
	}
	for _, bad := range []string{"", "10,,100", "0", "ten"} {
		if _, err := parseInts(bad); err == nil {
			t.Errorf("parseInts(%q) accepted", bad)
		}
	}
}
