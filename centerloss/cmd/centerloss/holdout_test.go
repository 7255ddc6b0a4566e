package main

import (
	"strings"
	"testing"
)

// TestHoldoutFlag: -holdout sets holdout_digit, checked before any training: below -1 like every setting, before
// the data is read; against the data's classes (MNIST's ten) once it is.
func TestHoldoutFlag(t *testing.T) {
	dataDir := tinyMNIST(t, 64, 10)
	for _, c := range []struct{ value, want string }{
		{"10", "setting holdout_digit=10: must be -1 (none) or a class of the data (0–9)"},
		{"-2", "setting holdout_digit=-2: must be -1 (none) or a class"},
	} {
		_, stderr, code := runCLI(t, "train", "-data", dataDir, "-out", t.TempDir(), "-holdout", c.value)
		if code == 0 || !strings.Contains(stderr, c.want) {
			t.Errorf("-holdout %s: exit %d, stderr %q; want %q", c.value, code, stderr, c.want)
		}
	}
	stdout, stderr, _ := runCLI(t, "train", "-h")
	if !strings.Contains(stdout+stderr, "-holdout int") {
		t.Errorf("train -h does not list -holdout:\n%s%s", stdout, stderr)
	}
}
