package evaluation

import (
	"bytes"
	"math"
	"testing"

	"github.com/centerloss/centerloss/centerloss/data"
	"github.com/gomlx/gomlx/ml/model"
)

func TestTrainingSplitHoldsOutOnlyTraining(t *testing.T) {
	split := func(labels ...uint8) data.Split {
		return data.Split{Images: &data.Images{N: len(labels), Rows: 1, Cols: 1, Pixels: append([]byte(nil), labels...)}, Labels: labels}
	}
	d := &data.Dataset{Train: split(3, 1, 3, 0), Test: split(3, 2), NumClasses: 10}
	scope := model.NewStore().RootScope()
	if got := TrainingSplit(scope, d); got.Len() != 4 {
		t.Errorf("no holdout: %d training examples, want 4", got.Len())
	}
	HoldoutDigit.Set(scope, 3)
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
