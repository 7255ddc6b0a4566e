package main

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/centerloss/centerloss/centerloss/internal/testbackend"
	"github.com/centerloss/centerloss/centerloss/lab/bench"
)

// TestMeasureSmall runs the whole measurement on small sizes: every way timed once per repetition, the old and
// new centers equal, and the report holds one table bench.ScalingRow per K.
func TestMeasureSmall(t *testing.T) {
	backend := testbackend.Get(t)
	cfg := bench.ScalingConfig{Classes: []int{3, 40}, Dim: 4, Batch: 8, Reps: 3, Warmup: 1, Alpha: 0.5, Seed: 1}
	var rows []bench.ScalingRow
	for _, K := range cfg.Classes {
		r, err := bench.MeasureScaling(backend, cfg, K)
		if err != nil {
			t.Fatal(err)
		}
		for name, ms := range map[string][]float64{"old": r.Old, "new": r.New, "loss only": r.LossOnly,
			"not donated": r.NotDonated} {
			if len(ms) != cfg.Reps || bench.Median(ms) <= 0 {
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

func TestCopyShare(t *testing.T) {
	r := bench.ScalingRow{New: []float64{2, 2}, NotDonated: []float64{10, 10}}
	if s := copyShare(r); math.Abs(s-0.8) > 1e-12 {
		t.Errorf("copy share = %v, want (10 − 2)/10 = 0.8", s)
	}
	if got := inPlace(bench.ScalingRow{}); got != "?" {
		t.Errorf("in place with nothing compared = %q, want ?", got)
	}
	if got := inPlace(bench.ScalingRow{InPlace: 19, Checked: 20}); got != "19/20" {
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
	xs, err := parseInts(joinInts(bench.DefaultScalingConfig().Classes))
	if err != nil || len(xs) != 4 || xs[3] != 100000 {
		t.Errorf("parseInts(joinInts(defaults)) = %v, %v", xs, err)
	}
	for _, bad := range []string{"", "10,,100", "0", "ten"} {
		if _, err := parseInts(bad); err == nil {
			t.Errorf("parseInts(%q) accepted", bad)
		}
	}
}
