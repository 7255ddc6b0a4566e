package centerloss

import (
	"encoding/json"
	"os"

	"github.com/pkg/errors"
)

// Record is one line of metrics.jsonl: the state of training at the end of an epoch (or of a -steps run).
// The train_* losses are means over the steps since the previous record; test_* figures are over the test split.
type Record struct {
	Epoch              float64 `json:"epoch"`
	Step               int     `json:"step"`
	TrainLoss          float64 `json:"train_loss"`   // softmax + λ·center, as optimised
	SoftmaxLoss        float64 `json:"softmax_loss"` // train softmax cross-entropy
	CenterLoss         float64 `json:"center_loss"`  // train center loss L_C (not multiplied by λ)
	TestAccuracy       float64 `json:"test_accuracy"`
	TestSoftmaxLoss    float64 `json:"test_softmax_loss"`
	TestCenterLoss     float64 `json:"test_center_loss"`
	MeanCenterDistance float64 `json:"mean_center_distance"` // test features to their own class center
	Lambda             float64 `json:"lambda"`
	Alpha              float64 `json:"alpha"`
	LearningRate       float64 `json:"learning_rate"`
	Backend            string  `json:"backend"`
	Seconds            float64 `json:"seconds"`        // wall time of this run so far, training and evaluation
	MedianStepMillis   float64 `json:"median_step_ms"` // median training step since the previous record
	Plot               string  `json:"plot,omitempty"` // the PNG of the test embedding, beside metrics.jsonl
}

// AppendRecord adds r as one line to the JSON-lines file at path, in a single write, synced, so that a crash
// never leaves a half-written line in the middle of the file.
func AppendRecord(path string, r Record) error {
	line, err := json.Marshal(r)
	if err != nil {
		return errors.Wrapf(err, "metrics %s", path)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return errors.Wrapf(err, "metrics %s", path)
	}
	if _, err = f.Write(append(line, '\n')); err == nil {
		err = f.Sync()
	}
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	return errors.Wrapf(err, "metrics %s", path)
}
