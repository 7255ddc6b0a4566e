package training

import (
	"bytes"
	"strings"
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
	if got, err := TrainingSplit(scope, d); err != nil || got.Len() != 4 {
		t.Errorf("no holdout: %d training examples, want 4", got.Len())
	}
	HoldoutDigit.Set(scope, 3)
	if got, err := TrainingSplit(scope, d); err != nil || !bytes.Equal(got.Labels, []uint8{1, 0}) ||
		!bytes.Equal(got.Images.Pixels, []byte{1, 0}) {
		t.Errorf("holdout 3: %v", got.Labels)
	}
	if d.Train.Len() != 4 || d.Test.Len() != 2 {
		t.Error("the data set itself changed")
	}
	HoldoutDigit.Set(scope, 259) // would wrap to 3 as a uint8
	if _, err := TrainingSplit(scope, d); err == nil || !strings.Contains(err.Error(), "holdout_digit=259") {
		t.Errorf("holdout 259 of 10 classes: %v", err)
	}
}

// TestHoldoutMustBeAClassOfTheData: which classes exist is the data set's to say; the message names the setting.
func TestHoldoutMustBeAClassOfTheData(t *testing.T) {
	for _, c := range []struct {
		classes, digit int
		ok             bool
	}{{10, -1, true}, {10, 0, true}, {10, 9, true}, {10, 10, false}, {3, 2, true}, {2, 1, false}} {
		scope := model.NewStore().RootScope()
		HoldoutDigit.Set(scope, c.digit)
		err := checkHoldout(scope, &data.Dataset{NumClasses: c.classes})
		if c.ok != (err == nil) {
			t.Errorf("%d classes, holdout %d: %v", c.classes, c.digit, err)
		}
		if err != nil && !strings.Contains(err.Error(), "holdout_digit=") {
			t.Errorf("%d classes, holdout %d: %q does not name the setting", c.classes, c.digit, err)
		}
	}
}
