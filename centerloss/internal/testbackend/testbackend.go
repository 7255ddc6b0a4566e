// Package testbackend opens the XLA CPU backend once for all the tests of a package (run `make setup` first).
package testbackend

import (
	"sync"
	"testing"

	"github.com/centerloss/centerloss/centerloss/xlabackend"
	"github.com/gomlx/compute"
)

var (
	once    sync.Once
	backend compute.Backend
	openErr error
)

// Get returns the test backend, or stops the test with why there is none.
func Get(t testing.TB) compute.Backend {
	t.Helper()
	once.Do(func() { backend, openErr = xlabackend.NewBackend("") })
	if openErr != nil {
		t.Fatalf("no XLA backend: %v", openErr)
	}
	return backend
}
