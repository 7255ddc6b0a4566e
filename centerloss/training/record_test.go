package training

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/centerloss/centerloss/centerloss/evaluation"
)

func TestDropRecordsAfter(t *testing.T) {
	path := filepath.Join(t.TempDir(), MetricsFileName)
	if n, err := DropRecordsAfter(path, 10); n != 0 || err != nil {
		t.Fatalf("missing file: dropped %d, %v", n, err)
	}
	for step := 16; step <= 64; step += 16 {
		if err := AppendRecord(path, Record{Step: step, TestAccuracy: float64(step) / 100}); err != nil {
			t.Fatal(err)
		}
	}
	before, _ := os.ReadFile(path)
	if n, err := DropRecordsAfter(path, 64); n != 0 || err != nil {
		t.Fatalf("nothing to drop: dropped %d, %v", n, err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("the file changed though nothing was dropped")
	}
	// A run killed after its step-48 and step-64 records, resumed from the step-32 checkpoint.
	if n, err := DropRecordsAfter(path, 32); n != 2 || err != nil {
		t.Fatalf("dropped %d, %v; want 2", n, err)
	}
	records, err := ReadRecords(path)
	if err != nil || len(records) != 2 || records[0].Step != 16 || records[1] != (Record{Step: 32, TestAccuracy: 0.32}) {
		t.Errorf("left %+v, %v; want the records of steps 16 and 32", records, err)
	}
}

func TestReadRecordsNamesTheBadLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), MetricsFileName)
	if err := os.WriteFile(path, []byte("{\"step\":1}\n{\"step\":2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	records, err := ReadRecords(path)
	if len(records) != 1 || err == nil || err.Error() != "metrics "+path+": line 2 is not a record: unexpected end of JSON input" {
		t.Errorf("got %v, %v", records, err)
	}
}

// TestRecordKeys: the existing keys of metrics.jsonl stay as they were, the embedding's figures join them at the
// top level, and the figures that may not exist are absent rather than null.
func TestRecordKeys(t *testing.T) {
	line, err := json.Marshal(Record{Step: 16, MeanCenterDistance: 2, EmbeddingMetrics: evaluation.EmbeddingMetrics{IntraClassSpread: 2}})
	if err != nil {
		t.Fatal(err)
	}
	var keys map[string]any
	_ = json.Unmarshal(line, &keys)
	for _, key := range []string{"epoch", "step", "train_loss", "test_accuracy", "mean_center_distance", "lambda",
		"intra_class_spread", "inter_class_separation", "closest_centers", "knn_accuracy", "knn_k", "knn_gallery"} {
		if _, ok := keys[key]; !ok {
			t.Errorf("no %q in %s", key, line)
		}
	}
	for _, key := range []string{"intra_inter_ratio", "open_set_auroc", "holdout_digit", "snapshot", "EmbeddingMetrics"} {
		if strings.Contains(string(line), key) {
			t.Errorf("%q in %s", key, line)
		}
	}
}
