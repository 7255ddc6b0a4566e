package xlabackend

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gomlx/compute"
	"github.com/gomlx/go-xla/compute/xla"
	"github.com/pkg/errors"
)

// DefaultBackend is XLA's CPU plugin, through PJRT. "xla:cuda" selects an NVIDIA GPU.
const DefaultBackend = "xla:cpu"

// PluginDirName is where `make setup` links the PJRT plugins it installs from PyPI, relative to the repository root.
const PluginDirName = ".venv/pjrt"

// ErrNoPlugin explains why there is no fallback when XLA cannot be found.
var ErrNoPlugin = errors.New("centerloss trains on XLA and never falls back to GoMLX's pure-Go backend " +
	"on its own, so it needs an XLA PJRT plugin: run `make setup` in the repository " +
	"(it installs the xla-cpu-pjrt wheel from PyPI into .venv), or set PJRT_PLUGIN_LIBRARY_PATH to a folder " +
	"holding pjrt_c_api_cpu_plugin.so")

// NewBackend opens the backend named by config: "xla:cpu" (the default, also for an empty config, unless
// $GOMLX_BACKEND names one), "xla:cuda", or "xla:/absolute/path/to/plugin.so".
//
// The PJRT plugin is found in $PJRT_PLUGIN_LIBRARY_PATH when it is set; otherwise in .venv/pjrt of the repository
// that holds the working directory or the executable (where `make setup` puts it); otherwise where GoMLX's own
// installer puts plugins (~/.local/lib/go-xla, /usr/local/lib/go-xla). Nothing is ever downloaded, and a missing
// plugin is an error: it never falls back to the pure-Go backend.
func NewBackend(config string) (compute.Backend, error) {
	xla.EnableAutoInstall(false) // Never download at run time: the plugin comes from `make setup`.
	if config == "" {
		config = os.Getenv(compute.ConfigEnvVar)
	}
	if config == "" {
		config = DefaultBackend
	}
	name, plugin, _ := strings.Cut(config, ":")
	switch name {
	case "xla", "stablehlo", "hlo", "shlo":
	case "go", "simplego":
		return nil, errors.Errorf("backend %q: %v", config, ErrNoPlugin)
	default:
		return nil, errors.Errorf("backend %q: unknown backend %q; use xla:cpu or xla:cuda", config, name)
	}
	if plugin == "" {
		plugin = "cpu"
	}
	pluginName, options, _ := strings.Cut(plugin, ",")
	if _, set := os.LookupEnv("PJRT_PLUGIN_LIBRARY_PATH"); !set && !filepath.IsAbs(pluginName) {
		if path := findProjectPlugin(pluginName); path != "" {
			// go-xla reads PJRT_PLUGIN_LIBRARY_PATH when the program starts, so point at the file itself; the CPU
			// plugin shares host memory with Go, which go-xla enables only for a plugin called "cpu".
			plugin = path
			if pluginName == "cpu" && !strings.Contains(options, "shared_buffers") {
				plugin += ",shared_buffers"
			}
			if options != "" {
				plugin += "," + options
			}
		}
	}
	backend, err := compute.NewWithConfig("xla:" + plugin)
	if err != nil {
		return nil, errors.Errorf("backend %q: %v; %v", config, firstLine(err), ErrNoPlugin)
	}
	return backend, nil
}

// findProjectPlugin looks for .venv/pjrt/pjrt_c_api_<name>_plugin.so in the working directory, the executable's
// directory, and their parents.
func findProjectPlugin(name string) string {
	file := fmt.Sprintf("pjrt_c_api_%s_plugin.so", name)
	var starts []string
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	if exe, err := os.Executable(); err == nil {
		starts = append(starts, filepath.Dir(exe))
	}
	for _, dir := range starts {
		for {
			candidate := filepath.Join(dir, PluginDirName, file)
			if _, err := os.Stat(candidate); err == nil {
				return candidate
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	return ""
}

func firstLine(err error) string {
	line, _, _ := strings.Cut(err.Error(), "\n")
	return line
}
