package training

import (
	"strings"
	"testing"

	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/pkg/ml/train/optimizers"
)

func TestParamKeysAreGoMLXs(t *testing.T) {
	if ParamLearningRate != optimizers.ParamLearningRate || ParamSeed != model.ParamInitialSeed {
		t.Fatal("the learning-rate and seed keys must be GoMLX's own, so its optimizers and initialisers read them")
	}
}

func TestDefaultsAreValid(t *testing.T) {
	if err := ValidateParams(NewContext()); err != nil {
		t.Fatal(err)
	}
}

func TestValidateParamsNamesTheBadSetting(t *testing.T) {
	for _, c := range []struct {
		key   string
		value any
		want  string
	}{
		{ParamLambda, -0.1, "center_loss_lambda=-0.1: must be ≥ 0"},
		{ParamAlpha, 0.0, "center_loss_alpha=0: must be in (0, 1]"},
		{ParamAlpha, 1.5, "center_loss_alpha=1.5: must be in (0, 1]"},
		{ParamBatchSize, 0, "batch_size=0: must be ≥ 1"},
		{ParamLearningRate, 0.0, "learning_rate=0: must be > 0"},
		{ParamLearningRate, -1.0, "learning_rate=-1: must be > 0"},
		{ParamKNNK, 0, "knn_k=0: must be ≥ 1"},
		{ParamKNNGallerySize, 0, "knn_gallery_size=0: must be ≥ knn_k"},
		{ParamHoldoutDigit, 10, "holdout_digit=10: must be -1 (none) or a class"},
		{ParamHoldoutDigit, -2, "holdout_digit=-2: must be -1 (none) or a class"},
		{ParamCenterUpdate, "sgd", `center_update=sgd: must be "eq4" or "gradient"`},
		{ParamCenterLR, 0.0, "center_lr=0: must be > 0"},
		{ParamLoss, "arcface", `loss=arcface: must be "softmax_center", "contrastive" or "triplet"`},
		{ParamMargin, -1.0, "margin=-1: must be > 0"},
		{ParamTripletMining, "easy", `triplet_mining=easy: must be "all", "hard" or "semi_hard"`},
	} {
		scope := NewContext()
		scope.SetParam(c.key, c.value)
		err := ValidateParams(scope)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s=%v: got %v, want %q", c.key, c.value, err, c.want)
		}
	}
}
