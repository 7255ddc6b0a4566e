package training

import "testing"

func TestTrainingSteps(t *testing.T) {
	for _, c := range []struct {
		env         string
		steps, want int
	}{{"", 1000, 1000}, {"0", 1000, 1000}, {"1", 1000, QuickSteps}, {"yes", 1000, QuickSteps}, {"200", 1000, 200}, {"200", 50, 50}} {
		t.Setenv(QuickEnvVar, c.env)
		if got := TrainingSteps(c.steps); got != c.want {
			t.Errorf("%s=%q: TrainingSteps(%d) = %d, want %d", QuickEnvVar, c.env, c.steps, got, c.want)
		}
	}
}
