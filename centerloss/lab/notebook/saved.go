package notebook

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/centerloss/centerloss/centerloss/internal/atomicfile"
	"github.com/centerloss/centerloss/centerloss/training"
)

// GoNB runs each cell as a program of its own: what one cell trained reaches the next through RunDir(name), the
// checkpoint (LoadTrained) and the history of its redraws (SlideThroughRun).

// historyFile holds a saved History's test figures; its snapshots lie beside it as snapshot_NNN.npz.
const historyFile = "history.json"

type savedHistory struct {
	Steps              []float64 `json:"steps"`
	TestAccuracy       []float64 `json:"test_accuracy"`
	MeanCenterDistance []float64 `json:"mean_center_distance"`
}

// TrainOptions say what TrainNew trains, by name, so that a lesson's cell reads as a sentence.
type TrainOptions struct {
	Name        string         // the run's folder under runs/notebooks, the name later cells load it by
	Settings    map[string]any // the settings changed from their defaults, by key (centerloss.Lambda.Key: 0.01, …)
	Steps       int            // training steps, of a batch each
	RedrawEvery int            // steps between two redraws of the live picture
}

// TrainNew trains a new model, LeNet++ from the defaults changed by o.Settings, in a fresh RunDir(o.Name), for
// o.Steps steps with a live picture every o.RedrawEvery steps (TrainLive), and saves its checkpoint and its history
// there for the cells that follow.
func TrainNew(o TrainOptions) (*History, error) {
	if o.Steps < 1 || o.RedrawEvery < 1 {
		return nil, fmt.Errorf("notebook.TrainOptions: Steps %d and RedrawEvery %d must be at least 1", o.Steps,
			o.RedrawEvery)
	}
	dir, err := FreshRunDir(o.Name)
	if err != nil {
		return nil, err
	}
	s, err := NewSession(o.Settings, filepath.Join(dir, "checkpoint"))
	if err != nil {
		return nil, err
	}
	h, err := TrainLive(s, o.Steps, o.RedrawEvery)
	if err != nil {
		return h, err
	}
	return h, h.save(dir)
}

func (h *History) save(dir string) error {
	for i, snap := range h.Snapshots {
		if err := snap.Write(filepath.Join(dir, fmt.Sprintf("snapshot_%03d.npz", i))); err != nil {
			return err
		}
	}
	raw, err := json.Marshal(savedHistory{h.Steps, h.TestAccuracy, h.MeanCenterDistance})
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, historyFile), raw, 0o644)
}

// LoadHistory reads the history that TrainNew saved for name: its test figures and snapshots (not its losses).
func LoadHistory(name string) (*History, error) {
	dir := RunDir(name)
	raw, err := os.ReadFile(filepath.Join(dir, historyFile))
	if err != nil {
		return nil, fmt.Errorf("notebook: no training %q to show (run the cell that trains it first): %w", name, err)
	}
	var saved savedHistory
	if err := json.Unmarshal(raw, &saved); err != nil {
		return nil, fmt.Errorf("notebook: %s: %w", filepath.Join(dir, historyFile), err)
	}
	h := &History{Steps: saved.Steps, TestAccuracy: saved.TestAccuracy, MeanCenterDistance: saved.MeanCenterDistance}
	for i := range saved.Steps {
		snap, err := training.ReadSnapshot(filepath.Join(dir, fmt.Sprintf("snapshot_%03d.npz", i)))
		if err != nil {
			return nil, err
		}
		h.Snapshots = append(h.Snapshots, snap)
	}
	return h, nil
}

// SlideThroughRun shows the training that TrainNew saved as name under a slider over its redraws.
func SlideThroughRun(name string) error {
	h, err := LoadHistory(name)
	if err != nil {
		return err
	}
	return h.SlideThrough()
}
