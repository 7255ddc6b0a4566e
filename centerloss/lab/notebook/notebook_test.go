package notebook

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/data"
	"github.com/centerloss/centerloss/centerloss/training"
)

// TestWorkOneStep is the theory notebook's example: four features around the origin; Σ(c − x_i) = (−8, −8),
// divided by 1 + 4, times α.
func TestWorkOneStep(t *testing.T) {
	features := [][]float32{{2, 1}, {3, 2}, {1, 3}, {2, 2}}
	for _, c := range []struct {
		alpha float64
		want  []float32
	}{{0.5, []float32{0.8, 0.8}}, {1, []float32{1.6, 1.6}}} {
		w, err := WorkOneStep(features, []float32{0, 0}, c.alpha)
		if err != nil {
			t.Fatal(err)
		}
		for d := range c.want {
			if diff := w.NewCenter[d] - c.want[d]; diff > 1e-6 || diff < -1e-6 {
				t.Errorf("α=%g: new center %v, want %v", c.alpha, w.NewCenter, c.want)
			}
		}
		if w.Loss != 4.5 || !slices.Equal(w.Gradients[1], []float32{0.75, 0.5}) || !slices.Equal(w.Difference[0], []float32{-2, -1}) {
			t.Errorf("loss %v, gradient of x_2 %v, c − x_1 %v", w.Loss, w.Gradients[1], w.Difference[0])
		}
		if _, err := w.Picture(); err != nil {
			t.Error(err)
		}
	}
}

func TestFirstOfClasses(t *testing.T) {
	split := data.Split{Labels: []uint8{4, 9, 1, 4, 9, 4, 9}}
	if got := FirstOfClasses(split, []int{4, 9}, 2); !slices.Equal(got, []int{0, 3, 1, 4}) {
		t.Errorf("got %v", got)
	}
	if got := FirstN(3); !slices.Equal(got, []int{0, 1, 2}) {
		t.Errorf("FirstN(3) = %v", got)
	}
}

func TestRunDir(t *testing.T) {
	t.Setenv(RepoEnvVar, "/repo")
	if got := RunDir("softmax"); got != filepath.Join("/repo", "runs", "notebooks", "softmax") {
		t.Errorf("RunDir = %q", got)
	}
	t.Setenv(RepoEnvVar, t.TempDir())
	dir, err := FreshRunDir("x")
	if err != nil || filepath.Base(dir) != "x" {
		t.Errorf("FreshRunDir: %q, %v", dir, err)
	}
}

func TestNewSessionRejectsUnknownSetting(t *testing.T) {
	if _, err := NewSession(map[string]any{"lamda": 0.1}, ""); err == nil || !strings.Contains(err.Error(), `"lamda"`) ||
		!strings.Contains(err.Error(), centerloss.Lambda.Key) {
		t.Errorf("a misspelt setting must be an error that lists the settings: %v", err)
	}
}

// TestNewStoreSetsThroughTheDeclarations: each value is read as its setting's declared type (an untyped 1 for a
// float setting, a float64 that is whole for an int one), the keys set come back sorted, the others read as their
// defaults, and a value the setting cannot take is an error that names it.
func TestNewStoreSetsThroughTheDeclarations(t *testing.T) {
	store, keys, err := newStore(map[string]any{centerloss.Lambda.Key: 0, centerloss.Alpha.Key: 1,
		training.BatchSize.Key: 32.0, training.HoldoutDigit.Key: 9, centerloss.CenterUpdate.Key: centerloss.CenterUpdateGradient})
	if err != nil {
		t.Fatal(err)
	}
	scope := store.RootScope()
	if got := centerloss.Lambda.Get(scope); got != 0 {
		t.Errorf("λ = %v", got)
	}
	if got := centerloss.Alpha.Get(scope); got != 1.0 {
		t.Errorf("α = %v", got)
	}
	if got := training.BatchSize.Get(scope); got != 32 {
		t.Errorf("batch size = %v", got)
	}
	if got := training.HoldoutDigit.Get(scope); got != 9 {
		t.Errorf("holdout digit = %v", got)
	}
	if got := centerloss.CenterUpdate.Get(scope); got != centerloss.CenterUpdateGradient {
		t.Errorf("center update = %q", got)
	}
	if got := training.LearningRate.Get(scope); got != training.LearningRate.Default {
		t.Errorf("unset learning rate = %v", got)
	}
	if err := training.ValidateSettings(store); err != nil {
		t.Error(err)
	}
	want := []string{training.HoldoutDigit.Key, training.BatchSize.Key, centerloss.Alpha.Key, centerloss.Lambda.Key,
		centerloss.CenterUpdate.Key}
	slices.Sort(want)
	if !slices.Equal(keys, want) {
		t.Errorf("keys %v, want %v", keys, want)
	}
	for _, bad := range []map[string]any{{training.BatchSize.Key: 0.5}, {centerloss.Lambda.Key: "much"}} {
		if _, _, err := newStore(bad); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}
