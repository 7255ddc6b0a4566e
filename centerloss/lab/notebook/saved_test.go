package notebook

import (
	"strings"
	"testing"

	"github.com/centerloss/centerloss/centerloss/training"
)

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
