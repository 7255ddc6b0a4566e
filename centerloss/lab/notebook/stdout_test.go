package notebook

import (
	"bytes"
	"io"
	"os"
	"testing"
)

// printed is what fn printed to the standard output, as a cell shows it, and fn's error.
func printed(t *testing.T, fn func() error) (string, error) {
	t.Helper()
	read, write, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	os.Stdout = write
	var out bytes.Buffer
	done := make(chan error)
	go func() {
		_, err := io.Copy(&out, read)
		done <- err
	}()
	shown := fn()
	os.Stdout = stdout
	_ = write.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	return out.String(), shown
}
