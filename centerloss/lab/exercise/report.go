package exercise

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Report is the outcome of one check: ✓, or the first thing that differs on the first failing batch, with a hint
// when the mistake is a common one. The checks print it themselves (a GoNB cell shows what a program prints, not
// what its functions return), and return it for the notebook's tests.
type Report struct {
	ok   bool
	line string
}

// OK says whether the learner's function matched the library's on every batch.
func (r *Report) OK() bool { return r.ok }

// String is the line the check printed, without its newline.
func (r *Report) String() string { return r.line }

// publish prints the report and returns it.
func publish(r *Report) *Report {
	fmt.Println(r.line)
	return r
}

// near says whether got is within float32 rounding of want; NaN is never close, so that a 0/0 shows.
func near(got, want float32) bool {
	diff := math.Abs(float64(got) - float64(want))
	return diff <= 1e-5+1e-4*math.Abs(float64(want))
}

// nearRows says whether two rows (a sample's gradient, a class's center) are close everywhere.
func nearRows(got, want []float32) bool {
	for i := range want {
		if !near(got[i], want[i]) {
			return false
		}
	}
	return true
}

// formatPair writes got and want with the fewest digits (4 to 9) that tell them apart: 1.25 beside 2.5, not
// 1.2500000 beside 2.5000000, but 1.00012 beside 1.00001 rather than 1 beside 1.
func formatPair(got, want []float32) (string, string) {
	var g, w string
	for digits := 4; digits <= 9; digits++ {
		g, w = formatRow(got, digits), formatRow(want, digits)
		if g != w {
			break
		}
	}
	return g, w
}

// formatRow writes a scalar as a number, and a row as a point: (0.3, -1).
func formatRow(row []float32, digits int) string {
	parts := make([]string, len(row))
	for i, v := range row {
		parts[i] = strconv.FormatFloat(float64(v), 'g', digits, 32)
	}
	if len(row) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// formatShape writes dims with the axes the learner knows by name: [batch, 2] = [16, 2]. Only the cases' batch and
// classes get names (the feature dimension is the number the exercise uses), and only when it says something.
func formatShape(dims []int, b *batch) string {
	named := make([]string, len(dims))
	numbers := make([]string, len(dims))
	anyName := false
	for i, d := range dims {
		numbers[i] = strconv.Itoa(d)
		named[i] = numbers[i]
		switch d {
		case len(b.labels):
			named[i], anyName = "batch", true
		case len(b.centers):
			named[i], anyName = "classes", true
		}
	}
	shape := "[" + strings.Join(numbers, ", ") + "]"
	if anyName {
		shape = "[" + strings.Join(named, ", ") + "] = " + shape
	}
	return shape
}

// firstLine keeps a panic's or an error's first line: GoMLX's messages go on with stack traces.
func firstLine(message string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(message), "\n")
	return line
}
