package exercise

import (
	"fmt"
	"math"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
)

// CheckCenterLoss checks Exercise 1, L_C = ½ · mean_i ‖x_i − c_{y_i}‖², against centerloss.CenterLoss on the XLA
// backend, prints the Report and returns it. fn gets x [batch, dim] features, y [batch] int32 labels and c
// [classes, dim] centers, and returns a scalar.
func CheckCenterLoss(fn func(x, y, c *graph.Node) *graph.Node) *Report {
	backend, err := defaultBackend()
	if err != nil {
		return publish(&Report{line: fmt.Sprintf(messages().NoBackend, firstLine(err.Error()))})
	}
	return CheckCenterLossOn(backend, fn)
}

// CheckCenterLossOn is CheckCenterLoss on a given backend. It compares, batch after batch, the value, the gradient
// with respect to the features (what trains the network), and the gradient with respect to the centers, which the
// library stops: Eq. 4 moves the centers, and a gradient reaching them would move them a second time.
func CheckCenterLossOn(backend compute.Backend, fn func(x, y, c *graph.Node) *graph.Node) *Report {
	name := functionName(fn, "myCenterLoss")
	m := messages()
	all := batches()
	for i := range all {
		if line := checkLossOn(backend, fn, name, &all[i], m); line != "" {
			return publish(&Report{line: line})
		}
	}
	return publish(&Report{ok: true, line: fmt.Sprintf(m.PassLoss, name, "centerloss.CenterLoss", len(all))})
}

// checkLossOn runs one batch: "" when it matches, else the failure's line.
func checkLossOn(backend compute.Backend, fn func(x, y, c *graph.Node) *graph.Node, name string, b *batch,
	m *Messages) string {
	var problem string
	values, err := run(backend, func(x, y, c *graph.Node) []*graph.Node {
		loss, panicked := callLearner(func() *graph.Node { return fn(x, y, c) })
		switch {
		case panicked != "":
			problem = fmt.Sprintf(m.Fail, b.name, fmt.Sprintf(m.Panicked, name, panicked))
		case loss == nil:
			problem = fmt.Sprintf(m.NilLoss, name)
		case loss.Rank() != 0:
			problem = fmt.Sprintf(m.Fail, b.name, fmt.Sprintf(m.WantScalar, name, formatShape(loss.Shape().Dimensions, b)))
		case loss.DType() != x.DType():
			problem = fmt.Sprintf(m.Fail, b.name, fmt.Sprintf(m.WantDType, name, loss.DType(), x.DType()))
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
		return fmt.Sprintf(m.Fail, b.name, fmt.Sprintf(m.Broken, firstLine(err.Error())))
	}
	if detail := compareLoss(values[:3], values[3:], b, m); detail != "" {
		return fmt.Sprintf(m.Fail, b.name, detail)
	}
	return ""
}

// compareLoss compares the learner's [loss, ∂L/∂x, ∂L/∂c] with the library's: what differs first, or "".
func compareLoss(got, want [][]float32, b *batch, m *Messages) string {
	if !near(got[0][0], want[0][0]) {
		g, w := formatPair(got[0], want[0])
		return fmt.Sprintf(m.Loss, g, w) + lossHint(float64(got[0][0]), float64(want[0][0]), b, m)
	}
	dim := b.dim()
	for i := range b.labels {
		if g, w := got[1][i*dim:(i+1)*dim], want[1][i*dim:(i+1)*dim]; !nearRows(g, w) {
			gs, ws := formatPair(g, w)
			hint := ""
			if allZero(got[1]) {
				hint = m.HintZeroGradient
			}
			return fmt.Sprintf(m.Gradient, i, gs, ws) + hint
		}
	}
	for j := range b.centers {
		if g, w := got[2][j*dim:(j+1)*dim], want[2][j*dim:(j+1)*dim]; !nearRows(g, w) {
			gs, ws := formatPair(g, w)
			return fmt.Sprintf(m.CenterGradient, j, gs, ws)
		}
	}
	return ""
}

// lossHint recognises the common slips by the ratio of the learner's loss to the library's: the ½ forgotten, the
// batch summed instead of averaged, or both, or the squares averaged over the features instead of summed.
func lossHint(got, want float64, b *batch, m *Messages) string {
	if want == 0 {
		return ""
	}
	ratio, n := got/want, len(b.labels)
	is := func(r float64) bool { return math.Abs(ratio-r) <= 1e-3*r }
	switch {
	case is(2):
		return m.HintHalf
	case n > 1 && is(float64(n)):
		return fmt.Sprintf(m.HintSum, n)
	case n > 1 && is(float64(2*n)):
		return fmt.Sprintf(m.HintSumHalf, 2*n)
	case b.dim() > 1 && is(1/float64(b.dim())):
		return fmt.Sprintf(m.HintFeatureMean, b.dim())
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
