package training

import (
	"github.com/centerloss/centerloss/centerloss/data"
	"github.com/centerloss/centerloss/centerloss/setting"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/pkg/errors"
)

// HoldoutDigit removes a class from what the model trains on, and only from that: the test split keeps it, so that
// the open-set AUROC can measure how far from every known center the unseen class lands.
var HoldoutDigit = setting.Declare("holdout_digit", -1,
	"a class removed from the training split (the test split keeps it) for the open-set AUROC; -1: none",
	setting.Check[int]{OK: func(_ *model.Scope, v int) bool { return v >= -1 },
		Why: "must be -1 (none) or a class"})

// TrainingSplit is what the model in scope trains on: the data set's training split, less the held-out class when
// HoldoutDigit names one. The test split is never filtered: it keeps the held-out class, to be told apart. A
// HoldoutDigit that is no class of the data set is an error that names the setting.
func TrainingSplit(scope *model.Scope, dataset *data.Dataset) (data.Split, error) {
	if err := checkHoldout(scope, dataset); err != nil {
		return data.Split{}, err
	}
	digit := HoldoutDigit.Get(scope)
	if digit < 0 {
		return dataset.Train, nil
	}
	return data.Without(dataset.Train, uint8(digit)), nil // a class of the data: 0 ≤ digit < NumClasses ≤ 256
}

// checkHoldout says, in the setting's words, when HoldoutDigit names no class of the data set or leaves fewer than
// two: which classes exist is the data's to say, not the model's.
func checkHoldout(scope *model.Scope, dataset *data.Dataset) error {
	digit := HoldoutDigit.Get(scope)
	if digit < 0 {
		return nil
	}
	classes := dataset.NumClasses
	if digit >= classes || classes < 3 {
		return errors.Errorf("setting %s=%d: must be -1 (none) or a class of the data (0–%d), "+
			"with at least two classes left", HoldoutDigit.Key, digit, classes-1)
	}
	return nil
}
