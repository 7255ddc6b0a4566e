package notebook

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/centerloss/centerloss/centerloss/training"
)

// runDirWithSnapshots writes a run folder as training.Run leaves it: three records, each with its snapshot, the
// clusters spreading out from one to the next.
func runDirWithSnapshots(t *testing.T) string {
	dir := t.TempDir()
	for i, step := range []int{16, 32, 48} {
		snap := &training.Snapshot{Step: step, Epoch: float64(i + 1)}
		for j := range 10 {
			c := []float32{float32(j * (i + 1)), float32(-j)}
			snap.Centers = append(snap.Centers, c)
			snap.Features = append(snap.Features, []float32{c[0] + 0.1, c[1]}, []float32{c[0], c[1] - 0.1})
			snap.Labels = append(snap.Labels, j, j)
		}
		r := training.Record{Step: step, Epoch: snap.Epoch, Snapshot: filepath.Base(t.Name()) + strings.Repeat("x", i) + ".npz"}
		if err := snap.Write(filepath.Join(dir, r.Snapshot)); err != nil {
			t.Fatal(err)
		}
		if err := training.AppendRecord(filepath.Join(dir, training.MetricsFileName), r); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestFramesShareTheirAxes: the frames a slider moves through (ExploreRun) all get the axes that take in every one.
func TestFramesShareTheirAxes(t *testing.T) {
	frames, err := training.EvolutionFrames(runDirWithSnapshots(t))
	if err != nil {
		t.Fatal(err)
	}
	fixed := onFixedAxes(frames)
	for i := range fixed {
		if fixed[i].Limits == nil || *fixed[i].Limits != *fixed[0].Limits || frames[i].Limits != nil {
			t.Fatalf("frame %d: limits %v (first %v), input's %v", i, fixed[i].Limits, fixed[0].Limits, frames[i].Limits)
		}
	}
	if l := fixed[0].Limits; l.XMin > 0 || l.XMax < 27 { // the last frame's centers reach x = 9·3
		t.Errorf("the shared axes do not take in the last frame: %+v", *l)
	}
}
