package notebook

import (
	"fmt"
	"strings"
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

// One script sets every slider's value and the picture, so that they always show the same moment.
func TestRedrawJSSetsValuesAndPictureTogether(t *testing.T) {
	sliders := []Slider{{Label: "α", Show: func(p int) string { return fmt.Sprintf("%.2f", float64(p)/100) }}, {Label: "n"}}
	js := redrawJS([]string{"v0", "v1"}, sliders, []int{63, 13}, "pic", []byte("not a png"))
	for _, want := range []string{`set("v0", "0.63")`, `set("v1", "13")`, `getElementById("pic")`, `data:image/png;base64,`} {
		if !strings.Contains(js, want) {
			t.Errorf("the script lacks %s: %s", want, js)
		}
	}
}
