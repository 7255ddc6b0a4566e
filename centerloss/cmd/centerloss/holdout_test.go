package main

import (
	"strings"
	"testing"
)

// TestHoldoutFlag: -holdout sets holdout_digit, checked like every setting before any work.
func TestHoldoutFlag(t *testing.T) {
	for _, c := range []struct{ value, want string }{
		{"10", "setting holdout_digit=10: must be -1 (none) or a class"},
		{"-2", "setting holdout_digit=-2: must be -1 (none) or a class"},
	} {
		_, stderr, code := runCLI(t, "train", "-data", "/no/such/dir", "-holdout", c.value)
		if code == 0 || !strings.Contains(stderr, c.want) {
			t.Errorf("-holdout %s: exit %d, stderr %q; want %q", c.value, code, stderr, c.want)
		}
	}
	stdout, stderr, _ := runCLI(t, "train", "-h")
	if !strings.Contains(stdout+stderr, "-holdout int") {
		t.Errorf("train -h does not list -holdout:\n%s%s", stdout, stderr)
	}
}
