package notebook

import (
	"testing"
)

// Outside a browser (here, outside GoNB) an Interact cell draws its picture once, at the sliders' start, and ends.
func TestInteractWithoutBrowserDrawsTheStartOnce(t *testing.T) {
	var drawn [][]int
	err := Interact([]Slider{{Label: "a", Min: 0, Max: 10, Value: 3}, {Label: "b", Min: -5, Max: 5, Value: -1}},
		func(p []int) ([]byte, error) {
			drawn = append(drawn, append([]int(nil), p...))
			return []byte("png"), nil
		})
	if err != nil || len(drawn) != 1 || drawn[0][0] != 3 || drawn[0][1] != -1 {
		t.Fatalf("err %v, drawn %v; want one picture at (3, -1)", err, drawn)
	}
	if got := Choose("λ", []string{"0", "0.1"}, 1, "Train"); got != 1 {
		t.Errorf("Choose without a browser = %d, want the default 1", got)
	}
}
