package testbackend

import (
	"sync"
	"testing"

	"github.com/centerloss/centerloss/centerloss/data"
)

var (
	mnistOnce sync.Once
	mnist     *data.Dataset
	mnistErr  error
)

// MNIST is the real MNIST, read once for all the tests of a package (from the GoMNIST Go module: `make setup`).
func MNIST(t testing.TB) *data.Dataset {
	t.Helper()
	mnistOnce.Do(func() { mnist, mnistErr = data.LoadMNIST() })
	if mnistErr != nil {
		t.Fatal(mnistErr)
	}
	return mnist
}

// MNISTSubset keeps the first nTrain training and nTest test images of MNIST: enough to exercise training quickly.
func MNISTSubset(t testing.TB, nTrain, nTest int) *data.Dataset {
	d := MNIST(t)
	return &data.Dataset{Dir: d.Dir, Train: data.Head(d.Train, nTrain), Test: data.Head(d.Test, nTest),
		NumClasses: d.NumClasses}
}
