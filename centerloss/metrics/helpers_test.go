package metrics

import (
	"math"
	"strings"
	"testing"
)

// pts turns x, y pairs into 2-D points.
func pts(xy ...float32) [][]float32 {
	p := make([][]float32, len(xy)/2)
	for i := range p {
		p[i] = []float32{xy[2*i], xy[2*i+1]}
	}
	return p
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }

// wantError checks that err is not nil and says what it should.
func wantError(t *testing.T, name string, err error, says string) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), says) {
		t.Errorf("%s: error %v, want one saying %q", name, err, says)
	}
}
