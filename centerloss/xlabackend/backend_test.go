package xlabackend

import (
	"os"
	"strings"
	"testing"
)

func TestNewBackendRefusesThePureGoBackend(t *testing.T) {
	_, err := NewBackend("go")
	if err == nil || !strings.Contains(err.Error(), "never falls back") {
		t.Fatalf("want the explanation that there is no fallback to the pure-Go backend, got %v", err)
	}
}

func TestNewBackendUnknownName(t *testing.T) {
	_, err := NewBackend("tpu-on-mars")
	if err == nil || !strings.Contains(err.Error(), `unknown backend "tpu-on-mars"`) {
		t.Fatalf("got %v", err)
	}
}

func TestNewBackendMissingPluginSaysHowToFixIt(t *testing.T) {
	// A plugin name that exists nowhere: the error must name `make setup` and not fall back to anything.
	t.Setenv("PJRT_PLUGIN_LIBRARY_PATH", t.TempDir())
	_, err := NewBackend("xla:nonexistent")
	if err == nil {
		t.Fatal("want an error for a missing plugin")
	}
	for _, want := range []string{"make setup", "xla-cpu-pjrt", "never falls back"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("error is not one line: %q", err)
	}
}

func TestProjectPluginIsFoundWithoutEnvironment(t *testing.T) {
	if _, set := os.LookupEnv("PJRT_PLUGIN_LIBRARY_PATH"); set {
		t.Skip("PJRT_PLUGIN_LIBRARY_PATH is set: the project folder is not searched")
	}
	if findProjectPlugin("cpu") == "" {
		t.Fatal("no .venv/pjrt/pjrt_c_api_cpu_plugin.so above the test's folder: run `make setup`")
	}
	b, err := NewBackend("")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.Description(), PluginDirName) {
		t.Errorf("backend %q does not use the project's plugin", b.Description())
	}
}
