package notebook

import (
	"path/filepath"
	"testing"
)

func TestRunDirIsTheLearnersWhereTheHubSaysSo(t *testing.T) {
	t.Setenv(RepoEnvVar, "/srv/centerloss")
	t.Setenv(RunsEnvVar, "")
	if got, want := RunDir("softmax"), filepath.FromSlash("/srv/centerloss/runs/notebooks/softmax"); got != want {
		t.Errorf("RunDir without %s = %s, want %s", RunsEnvVar, got, want)
	}
	t.Setenv(RunsEnvVar, "/home/amy/centerloss/runs")
	if got, want := RunDir("softmax"), filepath.FromSlash("/home/amy/centerloss/runs/softmax"); got != want {
		t.Errorf("RunDir with %s = %s, want %s", RunsEnvVar, got, want)
	}
}
