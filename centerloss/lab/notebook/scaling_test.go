package notebook

import (
	"regexp"
	"strings"
	"testing"
)

// TestTimeEq4AsClassesGrow prints a row per K, each with two positive times and their ratio.
func TestTimeEq4AsClassesGrow(t *testing.T) {
	out, err := printed(t, func() error {
		return TimeEq4AsClassesGrow(ScalingOptions{Classes: []int{3, 40}, Dim: 4, Batch: 8, Reps: 2})
	})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	row := regexp.MustCompile(`^\s+(3|40)\s+\S+ MiB\s+[0-9.]+\s+[0-9.]+\s+[0-9.]+×$`)
	if len(lines) != 5 || !row.MatchString(lines[2]) || !row.MatchString(lines[3]) ||
		!regexp.MustCompile(`^From K = 3 to K = 40 the one-hot form's time grew [0-9]+×, the gather/scatter form's [0-9.]+×\.$`).MatchString(lines[4]) {
		t.Fatalf("want a title, a header, rows for K = 3 and 40 and how each form grew:\n%s", out)
	}
}
