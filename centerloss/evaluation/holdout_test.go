package evaluation

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/centerloss/centerloss/centerloss/data"
)

func TestTrainingSplitHoldsOutOnlyTraining(t *testing.T) {
	split := func(labels ...uint8) data.Split {
		return data.Split{Images: &data.Images{N: len(labels), Rows: 1, Cols: 1, Pixels: append([]byte(nil), labels...)}, Labels: labels}
	}
	d := &data.Dataset{Train: split(3, 1, 3, 0), Test: split(3, 2), NumClasses: 10}
	scope := NewContext()
	if got := TrainingSplit(scope, d); got.Len() != 4 {
		t.Errorf("no holdout: %d training examples, want 4", got.Len())
	}
	scope.SetParam(ParamHoldoutDigit, 3)
	if got := TrainingSplit(scope, d); !bytes.Equal(got.Labels, []uint8{1, 0}) || !bytes.Equal(got.Images.Pixels, []byte{1, 0}) {
		t.Errorf("holdout 3: %v", got.Labels)
	}
	if d.Train.Len() != 4 || d.Test.Len() != 2 {
		t.Error("the data set itself changed")
	}
}

func TestKnownCenters(t *testing.T) {
	centers := [][]float32{{1, 1}, {0, 0}, {2, 2}}
	got := knownCenters(centers, 1)
	if got[1] != nil || got[0] == nil || got[2] == nil || centers[1] == nil {
		t.Errorf("knownCenters(…, 1) = %v (input now %v)", got, centers)
	}
	if got := knownCenters(centers, -1); len(got) != 3 || got[1] == nil {
		t.Errorf("no holdout: %v", got)
	}
}

// TestKnownClassAccuracy on hand-made predictions: 5 examples, 2 of the held-out class 9 (never right, not
// counted); of the 3 others 2 are right.
func TestKnownClassAccuracy(t *testing.T) {
	predictions := []int{0, 1, 3, 9, 4}
	labels := []int{0, 1, 2, 9, 9}
	if got := KnownClassAccuracy(predictions, labels, 9); got != 2.0/3 {
		t.Errorf("holdout 9: %v, want 2/3", got)
	}
	if got := KnownClassAccuracy(predictions, labels, -1); got != 3.0/5 {
		t.Errorf("no holdout: %v, want 3/5", got)
	}
	if got := KnownClassAccuracy([]int{9}, []int{9}, 9); !math.IsNaN(got) {
		t.Errorf("only held-out examples: %v, want NaN", got)
	}
}

// TestRecordKeys: the existing keys of metrics.jsonl stay as they were, the embedding's figures join them at the
// top level, and the figures that may not exist are absent rather than null.
func TestRecordKeys(t *testing.T) {
	line, err := json.Marshal(Record{Step: 16, MeanCenterDistance: 2, EmbeddingMetrics: EmbeddingMetrics{IntraClassSpread: 2}})
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
