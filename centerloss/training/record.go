package training

import (
	"bytes"
	"encoding/json"
	"os"

	"github.com/centerloss/centerloss/centerloss/evaluation"
	"github.com/centerloss/centerloss/centerloss/internal/atomicfile"
	"github.com/pkg/errors"
)

// Record is one line of metrics.jsonl: the state of training at the end of an epoch (or of a -steps run).
// The train_* losses are means over the steps since the previous record; test_* figures are over the test split.
type Record struct {
	Epoch              float64 `json:"epoch"`
	Step               int     `json:"step"`
	TrainLoss          float64 `json:"train_loss"`    // softmax + λ·center, as optimised
	SoftmaxLoss        float64 `json:"softmax_loss"`  // train softmax cross-entropy
	CenterLoss         float64 `json:"center_loss"`   // train center loss L_C (not multiplied by λ)
	TestAccuracy       float64 `json:"test_accuracy"` // by the softmax, or the nearest class mean: see AccuracyBy; over the known digits with a holdout
	TestSoftmaxLoss    float64 `json:"test_softmax_loss"`
	TestCenterLoss     float64 `json:"test_center_loss"`
	MeanCenterDistance float64 `json:"mean_center_distance"` // test features to their own class center
	Lambda             float64 `json:"lambda"`               // the λ the objective used: 0 for the metric losses
	Alpha              float64 `json:"alpha"`
	LearningRate       float64 `json:"learning_rate"`
	Backend            string  `json:"backend"`
	Seconds            float64 `json:"seconds"`        // wall time of this run so far, training and evaluation
	MedianStepMillis   float64 `json:"median_step_ms"` // median training step since the previous record
	Plot               string  `json:"plot,omitempty"` // the PNG of the test embedding, beside metrics.jsonl
	// Snapshot is the .npz of the test features and centers (2-D embeddings), beside metrics.jsonl: the frames of
	// evolution.gif (see Snapshot).
	Snapshot string `json:"snapshot,omitempty"`
	// Loss is the loss setting ("softmax_center", "contrastive", "triplet"); CenterUpdate the center_update one ("eq4",
	// "gradient"). AccuracyBy says where TestAccuracy comes from: "softmax" (the largest logit) when the loss
	// trains the classifier layer, "nearest_center" (the nearest class mean of the kNN gallery's training
	// features, nearest_mean_accuracy) for the metric losses, which never train it.
	Loss         string `json:"loss,omitempty"`
	CenterUpdate string `json:"center_update,omitempty"`
	AccuracyBy   string `json:"accuracy_by,omitempty"`
	// The geometry of the embedding, with the JSON keys of EmbeddingMetrics at the top level of the line.
	evaluation.EmbeddingMetrics
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

// ReadRecords reads the JSON-lines file at path. A missing file has no records.
func ReadRecords(path string) ([]Record, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, errors.Wrapf(err, "metrics %s", path)
	}
	var records []Record
	for i, line := range bytes.Split(bytes.TrimSuffix(raw, []byte("\n")), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var r Record
		if err := json.Unmarshal(line, &r); err != nil {
			return records, errors.Errorf("metrics %s: line %d is not a record: %v", path, i+1, err)
		}
		records = append(records, r)
	}
	return records, nil
}

// DropRecordsAfter removes from the metrics file at path the records of steps after step: those written by a run
// that was killed before it saved the checkpoint of that step, which the resumed run will write again. The file is
// replaced atomically (a new file renamed over it), and left untouched when there is nothing to drop.
func DropRecordsAfter(path string, step int) (dropped int, err error) {
	records, err := ReadRecords(path)
	if err != nil {
		return 0, err
	}
	keep := records[:0:0]
	for _, r := range records {
		if r.Step <= step {
			keep = append(keep, r)
		}
	}
	if len(keep) == len(records) {
		return 0, nil
	}
	var buf bytes.Buffer
	for _, r := range keep {
		line, err := json.Marshal(r)
		if err != nil {
			return 0, errors.Wrapf(err, "metrics %s", path)
		}
		buf.Write(append(line, '\n'))
	}
	if err := atomicfile.Write(path, buf.Bytes(), 0o644); err != nil {
		return 0, errors.Wrapf(err, "metrics %s", path)
	}
	return len(records) - len(keep), nil
}
