package exercise

import (
	"slices"
	"strconv"
	"strings"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/language"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
)

// CheckUpdateCenters checks Exercise 2, the paper's Eq. 4, against centerloss.UpdateCenters on the XLA backend,
// prints the Report and returns it. fn gets x [batch, dim] features, y [batch] int32 labels, c [classes, dim]
// centers and α, and returns the new centers [classes, dim].
func CheckUpdateCenters(fn func(x, y, c *graph.Node, alpha float64) *graph.Node) *Report {
	backend, err := defaultBackend()
	if err != nil {
		return publish(&Report{line: language.Sayf("✗ no backend to run the check on: %s", firstLine(err.Error()))})
	}
	return CheckUpdateCentersOn(backend, fn)
}

// CheckUpdateCentersOn is CheckUpdateCenters on a given backend. It compares the new center of every class, batch
// after batch: those of the batch's classes, and those of the absent classes, which must not move.
func CheckUpdateCentersOn(backend compute.Backend, fn func(x, y, c *graph.Node, alpha float64) *graph.Node) *Report {
	name := functionName(fn, "myUpdateCenters")
	all := batches()
	var alphas []string
	for i := range all {
		if line := checkUpdateOn(backend, fn, name, &all[i]); line != "" {
			return publish(&Report{line: line})
		}
		if alpha := strconv.FormatFloat(all[i].alpha, 'g', -1, 64); !slices.Contains(alphas, alpha) {
			alphas = append(alphas, alpha)
		}
	}
	return publish(&Report{ok: true, line: language.Sayf("✓ %s matches %s on %d batches (the new "+
		"center of every class, α = %s)", name, "centerloss.UpdateCenters", len(all),
		strings.Join(alphas, ", "))})
}

// checkUpdateOn runs one batch: "" when it matches, else the failure's line.
func checkUpdateOn(backend compute.Backend, fn func(x, y, c *graph.Node, alpha float64) *graph.Node, name string,
	b *batch) string {
	var problem string
	fail := func(detail string) string {
		return language.Sayf("✗ batch \"%s\" (α = %g): %s", b.name, b.alpha, detail)
	}
	values, err := run(backend, func(x, y, c *graph.Node) []*graph.Node {
		centers, panicked := callLearner(func() *graph.Node { return fn(x, y, c, b.alpha) })
		switch {
		case panicked != "":
			problem = fail(language.Sayf("%s panicked: %s", name, panicked))
		case centers == nil:
			problem = language.Sayf("✗ %s returns nil: write the update where it says TODO", name)
		case !slices.Equal(centers.Shape().Dimensions, c.Shape().Dimensions):
			problem = fail(language.Sayf("%s returns shape %s: want %s, the shape of the centers", name,
				formatShape(centers.Shape().Dimensions, b),
				formatShape(c.Shape().Dimensions, b)))
		case centers.DType() != x.DType():
			problem = fail(language.Sayf("%s returns %s values: want %s, the dtype of the features", name,
				centers.DType(), x.DType()))
		}
		if problem != "" {
			return nil
		}
		return []*graph.Node{centers, centerloss.UpdateCenters(x, y, c, b.alpha)}
	}, b.inputs())
	switch {
	case problem != "":
		return problem
	case err != nil:
		return fail(language.Sayf("GoMLX could not build or run the check: %s", firstLine(err.Error())))
	}
	if detail := compareCenters(rows(values[0], b.dim()), rows(values[1], b.dim()), b); detail != "" {
		return fail(detail)
	}
	return ""
}

// compareCenters compares the learner's new centers with the library's, class by class: the first absent class
// that moved (the plainest mistake to see, and to fix), else the first class that differs, with a hint from the
// whole batch when it looks like a common mistake; or "".
func compareCenters(got, want [][]float32, b *batch) string {
	counts := b.counts()
	for j := range want {
		if counts[j] == 0 && !nearRows(got[j], want[j]) {
			before, after := formatPair(b.centers[j], got[j])
			return language.Sayf("the center of class %d (absent from the batch) moved from %s to "+
				"%s; a class absent from the batch must stay put", j, before, after) + updateHint(got, b)
		}
	}
	for j := range want {
		if nearRows(got[j], want[j]) {
			continue
		}
		hint := updateHint(got, b)
		samples := language.Say("1 sample")
		if counts[j] != 1 {
			samples = language.Sayf("%d samples", counts[j])
		}
		off := make([]float32, len(got[j]))
		for d := range off {
			off[d] = got[j][d] - want[j][d]
		}
		g, w := formatPair(got[j], want[j])
		return language.Sayf("class %d (%s): new center %s, the library's %s: off by %s", j, samples, g, w,
			formatRow(off, 4)) + hint
	}
	return ""
}

// rows cuts flat values into rows of dim.
func rows(flat []float32, dim int) [][]float32 {
	out := make([][]float32, 0, len(flat)/dim)
	for i := 0; i < len(flat); i += dim {
		out = append(out, flat[i:i+dim])
	}
	return out
}
