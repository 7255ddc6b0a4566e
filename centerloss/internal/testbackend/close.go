package testbackend

import (
	"math"
	"testing"
)

// AssertClose stops the test at the first value of got farther than tolerance from want.
func AssertClose(t testing.TB, name string, want, got []float32, tolerance float64) {
	t.Helper()
	if len(want) != len(got) {
		t.Fatalf("%s: got %d values, want %d", name, len(got), len(want))
	}
	for i := range want {
		if math.Abs(float64(want[i]-got[i])) > tolerance {
			t.Fatalf("%s[%d] = %v, want %v (all: got %v, want %v)", name, i, got[i], want[i], got, want)
		}
	}
}

// Flatten concatenates rows.
func Flatten(rows [][]float32) []float32 {
	var flat []float32
	for _, r := range rows {
		flat = append(flat, r...)
	}
	return flat
}
