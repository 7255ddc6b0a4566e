package notebook

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/centerloss/centerloss/centerloss/data"
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
	if _, err := NewSession(map[string]any{"lamda": 0.1}, ""); err == nil {
		t.Error("a misspelt setting must be an error")
	}
}
