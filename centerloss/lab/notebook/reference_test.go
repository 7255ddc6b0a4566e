package notebook

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestShowReference times the reference once on MNIST and reads its figures back from the JSON line, as the notebook
// test and `make reference` do: every part took time, and the total is their sum.
func TestShowReference(t *testing.T) {
	if testing.Short() {
		t.Skip("trains 30 steps on MNIST")
	}
	out, shown := printed(t, ShowReference)
	if shown != nil {
		t.Fatal(shown)
	}
	_, line, found := strings.Cut(out, "\n"+ReferencePrefix)
	if !found {
		t.Fatalf("no line starting with %q in:\n%s", ReferencePrefix, out)
	}
	var r Reference
	if err := json.Unmarshal([]byte(line), &r); err != nil {
		t.Fatal(err)
	}
	parts := []float64{r.Session, r.FirstStep, r.Steps, r.TestPass}
	sum := 0.0
	for i, part := range parts {
		if part <= 0 {
			t.Errorf("part %d of the reference took %g s", i, part)
		}
		sum += part
	}
	if diff := r.Total - sum; diff > 1e-9 || diff < -1e-9 {
		t.Errorf("reference_s %g, the parts add up to %g", r.Total, sum)
	}
	t.Logf("%s", out)
}
