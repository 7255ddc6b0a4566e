package exercise

import (
	"math"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/language"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
)

// CheckCenterLoss checks Exercise 1, L_C = ½ · mean_i ‖x_i − c_{y_i}‖², against centerloss.CenterLoss on the XLA
// backend, prints the Report and returns it. fn gets x [batch, dim] features, y [batch] int32 labels and c
// [classes, dim] centers, and returns a scalar.
func CheckCenterLoss(fn func(x, y, c *graph.Node) *graph.Node) *Report {
	backend, err := defaultBackend()
	if err != nil {
		return publish(&Report{line: language.Sayf("✗ no backend to run the check on: %s", firstLine(err.Error()))})
	}
	return CheckCenterLossOn(backend, fn)
}

// CheckCenterLossOn is CheckCenterLoss on a given backend. It compares, batch after batch, the value, the gradient
// with respect to the features (what trains the network), and the gradient with respect to the centers, which the
// library stops: Eq. 4 moves the centers, and a gradient reaching them would move them a second time.
func CheckCenterLossOn(backend compute.Backend, fn func(x, y, c *graph.Node) *graph.Node) *Report {
	name := functionName(fn, "myCenterLoss")
	all := batches()
	for i := range all {
		if line := checkLossOn(backend, fn, name, &all[i]); line != "" {
			return publish(&Report{line: line})
		}
	}
	return publish(&Report{ok: true, line: language.Sayf("✓ %s matches %s on %d batches (value and gradient)", name,
		"centerloss.CenterLoss", len(all))})
}

// checkLossOn runs one batch: "" when it matches, else the failure's line.
func checkLossOn(backend compute.Backend, fn func(x, y, c *graph.Node) *graph.Node, name string,
	b *batch) string {
	var problem string
	values, err := run(backend, func(x, y, c *graph.Node) []*graph.Node {
		loss, panicked := callLearner(func() *graph.Node { return fn(x, y, c) })
		switch {
		case panicked != "":
			problem = language.Sayf("✗ batch \"%s\": %s", b.name, language.Sayf("%s panicked: %s", name, panicked))
		case loss == nil:
			problem = language.Sayf("✗ %s returns nil: write the loss where it says TODO", name)
		case loss.Rank() != 0:
			problem = language.Sayf("✗ batch \"%s\": %s", b.name, language.Sayf("%s returns shape %s: want a scalar (shape [])",
				name, formatShape(loss.Shape().Dimensions, b)))
		case loss.DType() != x.DType():
			problem = language.Sayf("✗ batch \"%s\": %s", b.name,
				language.Sayf("%s returns %s values: want %s, the dtype of the features", name, loss.DType(), x.DType()))
		}
		if problem != "" {
			return nil
		}
		want := centerloss.CenterLoss(x, y, c)
		got, lib := graph.Gradient(loss, x, c), graph.Gradient(want, x, c)
		return []*graph.Node{loss, got[0], got[1], want, lib[0], lib[1]}
	}, b.inputs())
	switch {
	case problem != "":
		return problem
	case err != nil:
		return language.Sayf("✗ batch \"%s\": %s", b.name,
			language.Sayf("GoMLX could not build or run the check: %s", firstLine(err.Error())))
	}
	if detail := compareLoss(values[:3], values[3:], b); detail != "" {
		return language.Sayf("✗ batch \"%s\": %s", b.name, detail)
	}
	return ""
}

// compareLoss compares the learner's [loss, ∂L/∂x, ∂L/∂c] with the library's: what differs first, or "".
func compareLoss(got, want [][]float32, b *batch) string {
	if !near(got[0][0], want[0][0]) {
		g, w := formatPair(got[0], want[0])
		return language.Sayf("the loss is %s, the library's is %s", g, w) +
			lossHint(float64(got[0][0]), float64(want[0][0]), b)
	}
	dim := b.dim()
	for i := range b.labels {
		if g, w := got[1][i*dim:(i+1)*dim], want[1][i*dim:(i+1)*dim]; !nearRows(g, w) {
			gs, ws := formatPair(g, w)
			hint := ""
			if allZero(got[1]) {
				hint = language.Say(" (your loss does not reach the features: are " +
					"they behind a StopGradient?)")
			}
			return language.Sayf("the gradient for sample %d is %s, the library's is %s", i, gs, ws) + hint
		}
	}
	for j := range b.centers {
		if g, w := got[2][j*dim:(j+1)*dim], want[2][j*dim:(j+1)*dim]; !nearRows(g, w) {
			gs, ws := formatPair(g, w)
			return language.Sayf("the gradient reaches the centers: for class %d it is %s, the library's is %s (put the "+
				"centers behind graph.StopGradient: Eq. 4 moves them, not the optimizer)", j, gs, ws)
		}
	}
	return ""
}

// lossHint recognises the common slips by the ratio of the learner's loss to the library's: the ½ forgotten, the
// batch summed instead of averaged, or both, or the squares averaged over the features instead of summed.
func lossHint(got, want float64, b *batch) string {
	if want == 0 {
		return ""
	}
	ratio, n := got/want, len(b.labels)
	is := func(r float64) bool { return math.Abs(ratio-r) <= 1e-3*r }
	switch {
	case is(2):
		return language.Say(" (your value is 2× it: did you forget the ½?)")
	case n > 1 && is(float64(n)):
		return language.Sayf(" (your value is %d× it, the batch size: did you sum "+
			"over the batch instead of averaging?)", n)
	case n > 1 && is(float64(2*n)):
		return language.Sayf(" (your value is %d× it, twice the batch size: "+
			"average over the batch, and halve)", 2*n)
	case b.dim() > 1 && is(1/float64(b.dim())):
		return language.Sayf(" (your value is 1/%d of it: sum the squares over the "+
			"feature axis, average over the batch only)", b.dim())
	}
	return ""
}

func allZero(values []float32) bool {
	for _, v := range values {
		if v != 0 {
			return false
		}
	}
	return true
}
