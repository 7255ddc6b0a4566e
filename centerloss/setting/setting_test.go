package setting

import (
	"strings"
	"testing"

	"github.com/gomlx/gomlx/ml/model"
)

var (
	rate  = Declare("rate", 0.5, "a rate", InRange(0, 1))
	count = Declare("count", 3, "a count", AtLeast(1))
	mode  = Declare("mode", "a", "a mode", OneOf("a", "b"))
	seed  = Declare("seed", int64(7), "a seed")
	on    = Declare("on", false, "a switch")
	list  = List{rate, count, mode, seed, on}
)

func TestGetReadsTheDefaultUntilSet(t *testing.T) {
	scope := model.NewStore().RootScope()
	if rate.Get(scope) != 0.5 || count.Get(scope) != 3 || mode.Get(scope) != "a" || seed.Get(scope) != 7 || on.Get(scope) {
		t.Fatal("defaults not read")
	}
	rate.Set(scope, 0.25)
	if got := rate.Get(scope.In("inner")); got != 0.25 {
		t.Errorf("a setting at the root is read in an inner scope: got %v", got)
	}
}

func TestSetFromTextParsesTheDeclaredType(t *testing.T) {
	scope := model.NewStore().RootScope()
	for _, text := range []string{"rate=0.75", "count=9", "mode=b", "seed=-3", "on=true"} {
		if _, err := list.SetFromText(scope, text); err != nil {
			t.Fatalf("%s: %v", text, err)
		}
	}
	if rate.Get(scope) != 0.75 || count.Get(scope) != 9 || mode.Get(scope) != "b" || seed.Get(scope) != -3 || !on.Get(scope) {
		t.Errorf("values not set: %v %v %v %v %v", rate.Get(scope), count.Get(scope), mode.Get(scope), seed.Get(scope), on.Get(scope))
	}
	for text, want := range map[string]string{
		"count=2.5": `setting count="2.5": not an integer`,
		"rate=fast": `setting rate="fast": not a number`,
		"speed=1":   "setting speed: unknown; the settings are rate, count, mode, seed, on",
		"rate":      `setting "rate": want key=value`,
	} {
		if _, err := list.SetFromText(scope, text); err == nil || err.Error() != want {
			t.Errorf("%s: got %v, want %q", text, err, want)
		}
	}
}

func TestValidateNamesTheSettingAndWhy(t *testing.T) {
	for _, c := range []struct {
		key   string
		value any
		want  string
	}{
		{"rate", 0.0, "setting rate=0: must be in (0, 1]"},
		{"rate", 1.5, "setting rate=1.5: must be in (0, 1]"},
		{"count", 0, "setting count=0: must be ≥ 1"},
		{"mode", "c", `setting mode=c: must be one of "a", "b"`},
		{"count", 2.0, "setting count=2: must be an integer"},
		{"other", 1, "setting other: unknown"},
	} {
		scope := model.NewStore().RootScope()
		scope.SetParam(c.key, c.value)
		if err := list.Validate(scope); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s=%v: got %v, want %q", c.key, c.value, err, c.want)
		}
	}
	if err := list.Validate(model.NewStore().RootScope()); err != nil {
		t.Errorf("defaults: %v", err)
	}
}

func TestDescribeListsEverySetting(t *testing.T) {
	text := list.Describe()
	for _, name := range list.Names() {
		if !strings.Contains(text, name) {
			t.Errorf("%s missing from\n%s", name, text)
		}
	}
}
