package training

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/centerloss/centerloss/centerloss/internal/npy"
)

func handSnapshot() *Snapshot {
	return &Snapshot{
		Step: 16, Epoch: 1,
		Features: [][]float32{{0, 1}, {2.5, -3}, {4, 4}},
		Labels:   []int{1, 0, 1},
		Centers:  [][]float32{{2, -2}, {1, 2}},
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "embedding_001.npz")
	want := handSnapshot()
	if err := want.Write(path); err != nil {
		t.Fatal(err)
	}
	got, err := ReadSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("wrote %+v, read %+v", want, got)
	}
	// What Python's numpy.load sees: the arrays by name, with these shapes and dtypes.
	raw, _ := os.ReadFile(path)
	arrays, err := npy.ReadNPZ(raw)
	if err != nil {
		t.Fatal(err)
	}
	for name, shape := range map[string][]int{"features": {3, 2}, "labels": {3}, "centers": {2, 2}, "step": nil, "epoch": nil} {
		if a, ok := arrays[name]; !ok || len(a.Shape) != len(shape) || (shape != nil && !reflect.DeepEqual(a.Shape, shape)) {
			t.Errorf("array %s: %+v, want shape %v", name, a, shape)
		}
	}
}

func TestSnapshotName(t *testing.T) {
	if got := snapshotName(32, 16); got != "embedding_002.npz" {
		t.Errorf("end of epoch 2: %s", got)
	}
	if got := snapshotName(20, 16); got != "embedding_step_000020.npz" {
		t.Errorf("mid-epoch step 20: %s", got)
	}
}

func TestSnapshotErrors(t *testing.T) {
	dir := t.TempDir()
	bad := handSnapshot()
	bad.Labels[2] = 2
	if err := bad.Write(filepath.Join(dir, "a.npz")); err == nil || !strings.Contains(err.Error(), "label 2 of feature 2") {
		t.Errorf("label out of range: %v", err)
	}
	bad = handSnapshot()
	bad.Features[1] = []float32{1}
	if err := bad.Write(filepath.Join(dir, "b.npz")); err == nil || !strings.Contains(err.Error(), "row 1 has 1 values") {
		t.Errorf("short feature: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "a.npz")); err == nil {
		t.Error("a failed Write left a file")
	}

	notZip := filepath.Join(dir, "c.npz")
	_ = os.WriteFile(notZip, []byte("hello"), 0o644)
	if _, err := ReadSnapshot(notZip); err == nil || !strings.Contains(err.Error(), "not an .npz") {
		t.Errorf("not a zip: %v", err)
	}
	partial := filepath.Join(dir, "d.npz")
	raw, _ := npy.NPZ([]npy.Named{{Name: "features", Array: npy.Array{Shape: []int{1, 2}, Data: []float32{1, 2}}}})
	_ = os.WriteFile(partial, raw, 0o644)
	if _, err := ReadSnapshot(partial); err == nil || !strings.Contains(err.Error(), "want arrays") {
		t.Errorf("missing arrays: %v", err)
	}
	if _, err := ReadSnapshot(filepath.Join(dir, "none.npz")); err == nil {
		t.Error("missing file: no error")
	}
}
