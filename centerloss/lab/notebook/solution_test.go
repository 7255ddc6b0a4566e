package notebook

import (
	"strings"
	"testing"
)

func TestSolutionIsFolded(t *testing.T) {
	html := solutionHTML("func f() { return a < b }")
	if !strings.HasPrefix(html, "<details><summary>") || !strings.Contains(html, "a &lt; b") {
		t.Errorf("solution HTML %q", html)
	}
}
