package training

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/checkpoint"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// saveCheckpoints saves one GoMLX checkpoint per value in values (a variable "w" holding 1000 copies of it, at
// global step 1, 2, ...) into dir, and returns their base names, oldest first.
func saveCheckpoints(t *testing.T, dir string, values ...float32) []string {
	t.Helper()
	store := model.NewStore()
	h, err := checkpoint.Build(store).Dir(dir).Keep(-1).Done()
	if err != nil {
		t.Fatal(err)
	}
	w := store.VariableWithValue("/w", make([]float32, 1000))
	step := optimizer.GetGlobalStepVar(store)
	for i, v := range values {
		w.MustSetValue(tensors.FromValue(filled(1000, v)))
		step.MustSetValue(tensors.FromValue(int64(i + 1)))
		if err := h.Save(); err != nil {
			t.Fatal(err)
		}
	}
	list, err := h.ListCheckpoints()
	if err != nil || len(list) != len(values) {
		t.Fatalf("%d checkpoints listed (%v), want %d", len(list), err, len(values))
	}
	return list
}

func filled(n int, v float32) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = v
	}
	return s
}

// loadW loads the latest checkpoint in dir the way a session does, and returns its step and w[0].
func loadW(t *testing.T, dir string) (int64, float32) {
	t.Helper()
	store := model.NewStore()
	if _, err := checkpoint.Build(store).Dir(dir).Immediate().Done(); err != nil {
		t.Fatalf("GoMLX cannot load the checkpoint left: %v", err)
	}
	w := store.GetVariable("/w")
	if w == nil {
		t.Fatal("no variable w loaded")
	}
	return optimizer.GetGlobalStep(store), tensors.MustCopyFlatData[float32](w.MustValue())[0]
}

// TestSetAsideIncompleteCheckpoint cuts the newest checkpoint's files the ways a killed save leaves them, and checks
// that it is set aside (not deleted) and that the previous checkpoint then loads whole.
func TestSetAsideIncompleteCheckpoint(t *testing.T) {
	for _, tc := range []struct {
		name string
		cut  func(json, bin string) // damages the newest checkpoint's files
		why  string
	}{
		{"empty json", func(json, _ string) { truncate(t, json, 0) }, ".json cut short"},
		{"json cut short", func(json, _ string) { truncate(t, json, fileSize(t, json)/2) }, ".json cut short"},
		{"json cut by one byte", func(json, _ string) { truncate(t, json, fileSize(t, json)-2) }, ".json cut short"},
		{"bin cut short", func(_, bin string) { truncate(t, bin, fileSize(t, bin)/2) }, ".bin gzip stream cut short"},
		{"bin header cut", func(_, bin string) { truncate(t, bin, int64(len(binMagic)+3)) }, ".bin header cut short"},
		{"bin magic cut", func(_, bin string) { truncate(t, bin, 10) }, ".bin holds 10 bytes"},
		{"bin empty", func(_, bin string) { truncate(t, bin, 0) }, ".bin holds 0 bytes"},
		{"no bin", func(_, bin string) { remove(t, bin) }, "no .bin"},
		{"no json", func(json, _ string) { remove(t, json) }, "no .json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			list := saveCheckpoints(t, dir, 1, 2)
			newest := filepath.Join(dir, list[1])
			tc.cut(newest+".json", newest+".bin")

			notes, err := SetAsideIncomplete(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(notes) != 1 || !strings.Contains(notes[0], list[1]) || !strings.Contains(notes[0], tc.why) {
				t.Errorf("notes %q, want one naming %s and %q", notes, list[1], tc.why)
			}
			if step, w := loadW(t, dir); step != 1 || w != 1 {
				t.Errorf("loaded step %d with w=%v, want the previous checkpoint: step 1, w=1", step, w)
			}
			aside, _ := filepath.Glob(filepath.Join(dir, IncompleteDir, list[1]+".*"))
			if len(aside) == 0 {
				t.Errorf("nothing of %s kept in %s", list[1], IncompleteDir)
			}
			// A second look finds nothing more to do.
			if notes, err := SetAsideIncomplete(dir); err != nil || len(notes) != 0 {
				t.Errorf("second pass: %q, %v", notes, err)
			}
		})
	}
}

// TestSetAsideAtEveryCut cuts the newest checkpoint's .json at every length short of whole (as a kill during its
// write would): each time, the previous checkpoint must be what loads; whole, the newest must.
func TestSetAsideAtEveryCut(t *testing.T) {
	dir := t.TempDir()
	list := saveCheckpoints(t, dir, 1, 2)
	json := filepath.Join(dir, list[1]+".json")
	whole, err := os.ReadFile(json)
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n <= len(whole); n += max(1, len(whole)/97) {
		if err := os.WriteFile(json, whole[:n], 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := SetAsideIncomplete(dir); err != nil {
			t.Fatal(err)
		}
		wantStep, wantW := int64(1), float32(1)
		if strings.TrimSpace(string(whole[:n])) == strings.TrimSpace(string(whole)) {
			wantStep, wantW = 2, 2 // only the final newline missing: the checkpoint is whole
		}
		if step, w := loadW(t, dir); step != wantStep || w != wantW {
			t.Fatalf(".json cut at %d of %d bytes: loaded step %d w=%v, want step %d w=%v", n, len(whole), step, w,
				wantStep, wantW)
		}
		// Put the newest back for the next cut.
		_ = os.Rename(filepath.Join(dir, IncompleteDir, list[1]+".bin"), filepath.Join(dir, list[1]+".bin"))
		_ = os.RemoveAll(filepath.Join(dir, IncompleteDir))
	}
}

func TestSetAsideKeepsEveryCompleteCheckpoint(t *testing.T) {
	dir := t.TempDir()
	list := saveCheckpoints(t, dir, 1, 2, 3)
	notes, err := SetAsideIncomplete(dir)
	if err != nil || len(notes) != 0 {
		t.Fatalf("notes %q, %v; want none", notes, err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "checkpoint-*"))
	if len(left) != 2*len(list) {
		t.Errorf("%d files left, want %d", len(left), 2*len(list))
	}
	if notes, err := SetAsideIncomplete(filepath.Join(dir, "missing")); err != nil || notes != nil {
		t.Errorf("missing folder: %q, %v", notes, err)
	}
}

func truncate(t *testing.T, path string, size int64) {
	t.Helper()
	if err := os.Truncate(path, size); err != nil {
		t.Fatal(err)
	}
}

func remove(t *testing.T, path string) {
	t.Helper()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Size()
}
