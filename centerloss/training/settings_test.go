package training

import (
	"go/ast"
	"strings"
	"testing"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/evaluation"
	"github.com/centerloss/centerloss/centerloss/internal/gosource"
	"github.com/centerloss/centerloss/centerloss/lenetpp"
	"github.com/centerloss/centerloss/centerloss/metricloss"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

func TestSettingKeysAreGoMLXs(t *testing.T) {
	if LearningRate.Key != optimizer.ParamLearningRate || Seed.Key != model.ParamInitialSeed {
		t.Fatal("the learning-rate and seed keys must be GoMLX's own, so its optimizers and initialisers read them")
	}
}

// TestEverySettingDeclaredOnce: no two declarations share a key, each has a meaning, and the defaults pass their
// own checks.
func TestEverySettingDeclaredOnce(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range AllSettings() {
		if seen[s.Name()] {
			t.Errorf("setting %s declared twice", s.Name())
		}
		seen[s.Name()] = true
		if s.Meaning() == "" {
			t.Errorf("setting %s has no meaning", s.Name())
		}
	}
	if err := ValidateSettings(NewStore()); err != nil {
		t.Fatal(err)
	}
}

// TestUndeclaredSettingFails: a key that no declaration names is refused when set from text and when validated,
// rather than silently ignored.
func TestUndeclaredSettingFails(t *testing.T) {
	store := NewStore()
	if _, err := AllSettings().SetFromText(store.RootScope(), "lamda=0.1"); err == nil ||
		!strings.Contains(err.Error(), "setting lamda: unknown") {
		t.Errorf("SetFromText of a misspelt key: %v", err)
	}
	store.RootScope().SetParam("lamda", 0.1)
	if err := ValidateSettings(store); err == nil || !strings.Contains(err.Error(), "setting lamda: unknown") {
		t.Errorf("ValidateSettings with a misspelt key: %v", err)
	}
	store = NewStore()
	store.RootScope().SetParam(centerloss.Lambda.Key, 1) // an int where a float is declared
	if err := ValidateSettings(store); err == nil || !strings.Contains(err.Error(), "must be a number") {
		t.Errorf("ValidateSettings with a value of another type: %v", err)
	}
}

// TestSettingsAreReadOnlyThroughTheirDeclaration: no source file of the library reads a parameter of GoMLX's store
// with a default of its own (model.GetParamOr and the like) outside package setting, so every default has one home.
func TestSettingsAreReadOnlyThroughTheirDeclaration(t *testing.T) {
	fset, files := gosource.Parse(t, "..", func(path string) bool { return !strings.Contains(path, "/setting/") })
	for _, file := range files {
		ast.Inspect(file.AST, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				switch sel.Sel.Name {
				case "GetParamOr", "GetRootParamOr", "MustGetParam", "GetParam", "GetGraphParamOr":
					t.Errorf("%s: reads a setting with %s instead of its declaration", fset.Position(n.Pos()), sel.Sel.Name)
				}
			}
			return true
		})
	}
}

func TestValidateNamesTheBadSetting(t *testing.T) {
	for _, c := range []struct {
		key   string
		value any
		want  string
	}{
		{centerloss.Lambda.Key, -0.1, "center_loss_lambda=-0.1: must be ≥ 0"},
		{centerloss.Alpha.Key, 0.0, "center_loss_alpha=0: must be in (0, 1]"},
		{centerloss.Alpha.Key, 1.5, "center_loss_alpha=1.5: must be in (0, 1]"},
		{BatchSize.Key, 0, "batch_size=0: must be ≥ 1"},
		{LearningRate.Key, 0.0, "learning_rate=0: must be > 0"},
		{LearningRate.Key, -1.0, "learning_rate=-1: must be > 0"},
		{evaluation.KNNK.Key, 0, "knn_k=0: must be ≥ 1"},
		{evaluation.KNNGallerySize.Key, 0, "knn_gallery_size=0: must be ≥ knn_k"},
		{HoldoutDigit.Key, -2, "holdout_digit=-2: must be -1 (none) or a class"},
		{centerloss.CenterUpdate.Key, "sgd", `center_update=sgd: must be one of "eq4", "gradient"`},
		{centerloss.CenterLR.Key, 0.0, "center_lr=0: must be > 0"},
		{metricloss.Loss.Key, "arcface", `loss=arcface: must be one of "softmax_center", "contrastive", "triplet"`},
		{metricloss.Margin.Key, -1.0, "margin=-1: must be > 0"},
		{metricloss.TripletMining.Key, "easy", `triplet_mining=easy: must be one of "all", "hard", "semi_hard"`},
		{lenetpp.EmbeddingDim.Key, 0, "embedding_dim=0: must be ≥ 1"},
		{Momentum.Key, 1.0, "sgd_momentum=1: must be in [0, 1)"},
	} {
		store := NewStore()
		store.RootScope().SetParam(c.key, c.value)
		err := ValidateSettings(store)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s=%v: got %v, want %q", c.key, c.value, err, c.want)
		}
	}
}
