package exercise

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/internal/testbackend"
	"github.com/gomlx/gomlx/core/graph"
)

const (
	passLoss   = "✓ myCenterLoss matches centerloss.CenterLoss on 7 batches (value and gradient)"
	passUpdate = "✓ myUpdateCenters matches centerloss.UpdateCenters on 7 batches " +
		"(the new center of every class, α = 0.5, 1, 0.1)"
)

// TestSolutionsPass: the reference solutions get ✓, under their own names.
func TestSolutionsPass(t *testing.T) {
	backend := testbackend.Get(t)
	if r := CheckCenterLossOn(backend, myCenterLoss); !r.OK() || r.String() != passLoss {
		t.Errorf("CheckCenterLossOn(myCenterLoss) = %v, %q", r.OK(), r)
	}
	if r := CheckUpdateCentersOn(backend, myUpdateCenters); !r.OK() || r.String() != passUpdate {
		t.Errorf("CheckUpdateCentersOn(myUpdateCenters) = %v, %q", r.OK(), r)
	}
}

// TestLibraryPasses: the library, wrapped in function literals, which have no name of their own to report.
func TestLibraryPasses(t *testing.T) {
	backend := testbackend.Get(t)
	if r := CheckCenterLossOn(backend, func(x, y, c *graph.Node) *graph.Node {
		return centerloss.CenterLoss(x, y, c)
	}); !r.OK() || r.String() != passLoss {
		t.Errorf("the library's loss: %v, %q", r.OK(), r)
	}
	if r := CheckUpdateCentersOn(backend, func(x, y, c *graph.Node, alpha float64) *graph.Node {
		return centerloss.UpdateCenters(x, y, c, alpha)
	}); !r.OK() || r.String() != passUpdate {
		t.Errorf("the library's update: %v, %q", r.OK(), r)
	}
}

// TestDefaultBackend: the notebook's call, on the backend the package opens itself.
func TestDefaultBackend(t *testing.T) {
	if r := CheckCenterLoss(myCenterLoss); !r.OK() {
		t.Errorf("CheckCenterLoss(myCenterLoss) = %q", r)
	}
}

// first is the batch most mistakes fail on.
var first = batches()[0]

// TestWrongLossesFail: each mistake fails on the batch it should, with the message the checker promises, and the
// numbers in the message are the ones plain loops give.
func TestWrongLossesFail(t *testing.T) {
	backend := testbackend.Get(t)
	loss := lossLoop(&first)
	j := firstPresent(&first)
	prefix := `✗ batch "16 samples of 10 classes, labels repeated": `
	for _, c := range []struct {
		fn   func(x, y, c *graph.Node) *graph.Node
		want string    // the line, as a regular expression
		nums []float64 // the numbers its groups hold
	}{
		{nilLoss, `^✗ nilLoss returns nil: write the loss where it says TODO$`, nil},
		{lossWithoutHalf, `^` + prefix + `the loss is (\S+), the library's is (\S+) ` +
			`\(your value is 2× it: did you forget the ½\?\)$`, []float64{2 * loss, loss}},
		{lossSummed, `^` + prefix + `the loss is (\S+), the library's is (\S+) \(your value is 16× it, the batch size: ` +
			`did you sum over the batch instead of averaging\?\)$`, []float64{16 * loss, loss}},
		{lossMeanOverFeatures, `^` + prefix + `the loss is (\S+), the library's is (\S+) \(your value is 1/2 of it`,
			[]float64{loss / 2, loss}},
		{lossPerSample, `^` + regexp.QuoteMeta(prefix+"lossPerSample returns shape [batch] = [16]: "+
			"want a scalar (shape [])") + `$`, nil},
		{lossReachingCenters, `^` + prefix + `the gradient reaches the centers: for class (\d+) it is \((\S+), (\S+)\), ` +
			`the library's is \(0, 0\) \(put the centers behind graph.StopGradient`,
			append([]float64{float64(j)}, centerGradientLoop(&first)[j]...)},
		{lossStoppingFeatures, `^` + prefix + `the gradient for sample 0 is \(0, 0\), the library's is \((\S+), (\S+)\) ` +
			`\(your loss does not reach the features`, featureGradientLoop(&first)[0]},
		{lossPanics, `^` + prefix + `lossPanics panicked: [^\n]*$`, nil},
		{lossHardCoded2, `^✗ batch "features of dimension 3": lossHardCoded2 panicked: [^\n]*$`, nil},
	} {
		r := CheckCenterLossOn(backend, c.fn)
		assertLine(t, r, c.want, c.nums)
	}
}

// TestWrongUpdatesFail: the same for Exercise 2. (The dense mean, c_j − α(c_j − Σ x_i / n_j), divides by n_j too:
// its hint says so.)
func TestWrongUpdatesFail(t *testing.T) {
	backend := testbackend.Get(t)
	prefix := `✗ batch "16 samples of 10 classes, labels repeated" \(α = 0.5\): `
	j, absent := firstPresent(&first), firstAbsent(&first)
	nj, right := eq4(&first, 0, 1), updateLoop(&first)
	moved := func(row []float64) []float64 { return append(append([]float64{float64(j)}, row...), right[j]...) }
	c0 := first.centers[absent]
	for _, c := range []struct {
		fn   func(x, y, c *graph.Node, alpha float64) *graph.Node
		want string
		nums []float64
	}{
		{nilUpdate, `^✗ nilUpdate returns nil: write the update where it says TODO$`, nil},
		{updateByNj, `^` + prefix + `class (\d+) \(\d samples?\): new center \((\S+), (\S+)\), ` +
			`the library's \((\S+), (\S+)\): off by \(\S+, \S+\) \(you divided by n_j: `, moved(nj[j])},
		{updateByNjNaN, `^` + prefix + `the center of class (\d+) \(absent from the batch\) moved from \((\S+), (\S+)\) ` +
			`to \(NaN, NaN\); a class absent from the batch must stay put \(NaN: 0/0`,
			[]float64{float64(absent), float64(c0[0]), float64(c0[1])}},
		{updateDenseMean, `^` + prefix + `the center of class (\d+) \(absent from the batch\) moved from \((\S+), (\S+)\) ` +
			`to \((\S+), (\S+)\); a class absent from the batch must stay put \(you divided by n_j`, []float64{float64(absent),
			float64(c0[0]), float64(c0[1]), float64(c0[0]) / 2, float64(c0[1]) / 2}},
		{updatePlusAlpha, `^` + prefix + `class (\d+) \(\d samples?\): new center \((\S+), (\S+)\), the library's ` +
			`\((\S+), (\S+)\): off by \(\S+, \S+\) \(your centers move away from their samples`, moved(eq4(&first, 1, -1)[j])},
		{updateTowardsBatchMean, `^` + prefix + `class \d+ \(.*\(your centers move towards the mean of the whole batch`, nil},
		{updatePanics, `^` + prefix + `updatePanics panicked: [^\n]*$`, nil},
		{updatePerSample, `^` + regexp.QuoteMeta(`✗ batch "16 samples of 10 classes, labels repeated" (α = 0.5): `+
			`updatePerSample returns shape [batch, 2] = [16, 2]: want [classes, 2] = [10, 2], the shape of the centers`) +
			`$`, nil},
		{updateFixedAlpha, `^✗ batch "one sample of class 3" \(α = 1\): class \d+ \(`, nil},
	} {
		r := CheckUpdateCentersOn(backend, c.fn)
		assertLine(t, r, c.want, c.nums)
	}
}

// assertLine checks a failing report's line against a regular expression, and its groups against numbers.
func assertLine(t *testing.T, r *Report, pattern string, nums []float64) {
	t.Helper()
	t.Log(r)
	groups := regexp.MustCompile(pattern).FindStringSubmatch(r.String())
	switch {
	case r.OK():
		t.Errorf("%q passed", r)
		return
	case groups == nil:
		t.Errorf("%q\ndoes not match %q", r, pattern)
		return
	case len(groups)-1 != len(nums):
		t.Fatalf("%q: %d groups, %d numbers", pattern, len(groups)-1, len(nums))
	}
	for i, want := range nums {
		got, err := strconv.ParseFloat(groups[i+1], 64)
		if err != nil || math.Abs(got-want) > 1e-3*math.Max(1, math.Abs(want)) {
			t.Errorf("%q: number %d is %s, want %.6g", r, i, groups[i+1], want)
		}
	}
}

func firstPresent(b *batch) int {
	for j, n := range b.counts() {
		if n > 0 {
			return j
		}
	}
	return -1
}

func firstAbsent(b *batch) int {
	for j, n := range b.counts() {
		if n == 0 {
			return j
		}
	}
	return -1
}

func TestFunctionName(t *testing.T) {
	for fn, want := range map[string]any{"myCenterLoss": myCenterLoss, "lossPanics": lossPanics,
		"fallback": func() {}, "Join": strings.Join} {
		if got := functionName(want, "fallback"); got != fn {
			t.Errorf("functionName = %q, want %q", got, fn)
		}
	}
}
