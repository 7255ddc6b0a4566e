package notebook

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/centerloss/centerloss/centerloss/training"
)

// Outside a browser (here, outside GoNB) an Interact cell draws its picture once, at the sliders' start, and ends.
func TestInteractWithoutBrowserDrawsTheStartOnce(t *testing.T) {
	var drawn [][]int
	err := Interact([]Slider{{Label: "a", Min: 0, Max: 10, Value: 3}, {Label: "b", Min: -5, Max: 5, Value: -1}},
		func(p []int) ([]byte, error) { drawn = append(drawn, append([]int(nil), p...)); return []byte("png"), nil })
	if err != nil || len(drawn) != 1 || drawn[0][0] != 3 || drawn[0][1] != -1 {
		t.Fatalf("err %v, drawn %v; want one picture at (3, -1)", err, drawn)
	}
	if got := Choose("λ", []string{"0", "0.1"}, 1, "Train"); got != 1 {
		t.Errorf("Choose without a browser = %d, want the default 1", got)
	}
}

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

func TestSavedHistoryReadsBack(t *testing.T) {
	t.Setenv(RepoEnvVar, t.TempDir())
	dir, err := FreshRunDir("h")
	if err != nil {
		t.Fatal(err)
	}
	h := &History{Steps: []float64{25, 50}, TestAccuracy: []float64{0.5, 0.75}, MeanCenterDistance: []float64{3, 2}}
	for i, step := range []int{25, 50} {
		h.Snapshots = append(h.Snapshots, &training.Snapshot{Step: step, Features: [][]float32{{float32(i), 1}},
			Labels: []int{1}, Centers: [][]float32{{0, 0}, {float32(i), 1}}})
	}
	if err := h.save(dir); err != nil {
		t.Fatal(err)
	}
	got, err := LoadHistory("h")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Snapshots) != 2 || got.Snapshots[1].Step != 50 || got.Snapshots[1].Features[0][0] != 1 ||
		got.TestAccuracy[1] != 0.75 || got.MeanCenterDistance[0] != 3 {
		t.Errorf("read back %+v", got)
	}
	if _, err := LoadHistory("none"); err == nil || !strings.Contains(err.Error(), `no training "none"`) {
		t.Errorf("a missing history: %v", err)
	}
}

// The run the notebooks replay is in the repository, whole: one record and one snapshot per epoch, past 99 %.
func TestShippedRunIsComplete(t *testing.T) {
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(RepoEnvVar, repo)
	run, err := LoadShippedRun()
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Records) != 8 || len(run.Frames) != 8 {
		t.Fatalf("%d records, %d frames; want the 8 epochs", len(run.Records), len(run.Frames))
	}
	last := run.Records[7]
	if last.Epoch != 8 || last.TestAccuracy < 0.99 || last.Lambda != 0.03 || len(run.Frames[7].Features) != 10000 {
		t.Errorf("last record: epoch %g, accuracy %g, λ %g, %d features", last.Epoch, last.TestAccuracy, last.Lambda,
			len(run.Frames[7].Features))
	}
}

func TestSolutionIsFolded(t *testing.T) {
	html := solutionHTML("func f() { return a < b }")
	if !strings.HasPrefix(html, "<details><summary>") || !strings.Contains(html, "a &lt; b") {
		t.Errorf("solution HTML %q", html)
	}
}
