package notebook

import (
	"math"
	"testing"
)

// Eq. 4 with α = 1 and many samples moves the center n/(1+n) of the way to the class's mean in one step; a smaller
// α lags further behind.
func TestFollowMovesTheCenterByEq4(t *testing.T) {
	means, centers := Follow{Alpha: 1, N: 1000, Steps: 1}.Path()
	if len(means) != 2 || centers[0] != [2]float64{} {
		t.Fatalf("path %v %v", means, centers)
	}
	for d := range 2 {
		want := means[1][d] * 1000 / 1001
		if math.Abs(centers[1][d]-want) > 0.05 {
			t.Errorf("center[%d] = %g after one step, want ≈ %g", d, centers[1][d], want)
		}
	}
	fast, slow := Follow{Alpha: 1, N: 13, Steps: 80}.Lag(), Follow{Alpha: 0.05, N: 13, Steps: 80}.Lag()
	if !(fast < slow) {
		t.Errorf("lag with α = 1 is %g, with α = 0.05 %g: the faster center should be closer", fast, slow)
	}
	if png, err := (Follow{Alpha: 0.5, N: 13, Steps: 10}).Picture(); err != nil || len(png) == 0 {
		t.Errorf("picture: %v", err)
	}
}
