package gosource

import (
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
)

// AssertGoMLXGradients fails the test when an entry of GoMLX's graph.VJPRegistration is not a function of GoMLX's
// own: what a package of ours that replaced a gradient on import would leave. The caller's test imports the
// packages it checks.
func AssertGoMLXGradients(t testing.TB) {
	t.Helper()
	if len(graph.VJPRegistration) == 0 {
		t.Fatal("graph.VJPRegistration is empty")
	}
	for nodeType, vjp := range graph.VJPRegistration {
		name := runtime.FuncForPC(reflect.ValueOf(vjp).Pointer()).Name()
		if !strings.HasPrefix(name, "github.com/gomlx/gomlx/") {
			t.Errorf("the gradient of %s is %s, not GoMLX's", nodeType, name)
		}
	}
}
