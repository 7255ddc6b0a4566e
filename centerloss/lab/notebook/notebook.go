// Package notebook holds what the GoNB notebooks call, so that their cells stay a few lines long: opening a
// session on MNIST, training it while its embedding is redrawn in place, and displaying PNGs.
//
// GoNB runs each cell as a fresh program: a trained model passes from one cell to the next as a checkpoint on disk
// (the checkpointDir of NewSession), not as a Go variable.
package notebook

import (
	"encoding/base64"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/centerloss/centerloss/centerloss/data"
	"github.com/centerloss/centerloss/centerloss/training"
	"github.com/centerloss/centerloss/centerloss/xlabackend"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/janpfeifer/gonb/gonbui"
	"github.com/pkg/errors"
)

// Must returns v, or stops the cell with err: in a notebook an error is shown in the cell's output.
func Must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// sharedBackend is the XLA backend of the cell's program ($GOMLX_BACKEND, which our kernels set, or XLA's CPU),
// opened on first use and shared by all the sessions of the program.
var sharedBackend = sync.OnceValues(func() (compute.Backend, error) { return xlabackend.NewBackend("") })

// mnist is MNIST, read once per cell program (the sessions only read it).
var mnist = sync.OnceValues(data.LoadMNIST)

// NewSession opens the XLA backend and MNIST and builds a training session with the default settings changed by
// params, keyed by the settings' keys (centerloss.Lambda.Key, training.BatchSize.Key, …: training.AllSettings
// lists them all). A non-empty checkpointDir resumes the model saved there (the settings in params win over those
// saved with it), or starts a new one that Save will write there.
func NewSession(params map[string]any, checkpointDir string) (*training.Session, error) {
	store, keys, err := newStore(params)
	if err != nil {
		return nil, err
	}
	b, err := sharedBackend()
	if err != nil {
		return nil, err
	}
	dataset, err := mnist()
	if err != nil {
		return nil, err
	}
	return training.NewSession(store, b, dataset, checkpointDir, keys)
}

// newStore is a store with params set, each through its declaration: its value is read as the declared type (an
// untyped 1 for λ is the float64 1), and a key no setting declares, or a value its setting cannot take, is an
// error. It also returns the keys set, sorted.
func newStore(params map[string]any) (*model.Store, []string, error) {
	store := training.NewStore()
	all := training.AllSettings()
	keys := slices.Sorted(maps.Keys(params))
	for _, key := range keys {
		if _, known := all.Lookup(key); !known {
			return nil, nil, errors.Errorf("notebook: unknown setting %q; the settings are %s", key,
				strings.Join(all.Names(), ", "))
		}
		if _, err := all.SetFromText(store.RootScope(), fmt.Sprintf("%s=%v", key, params[key])); err != nil {
			return nil, nil, errors.WithMessage(err, "notebook")
		}
	}
	return store, keys, nil
}

// ShowPNG displays a PNG in the cell's output.
func ShowPNG(png []byte) {
	gonbui.DisplayPng(png)
	gonbui.Sync()
}

// showHTML displays html in the cell's output. Both wait until GoNB has the output (gonbui.Sync): GoNB stops reading
// a cell program's outputs once the program exits, and a picture still in the pipe then is lost (seen on one core).
func showHTML(html string) {
	gonbui.DisplayHTML(html)
	gonbui.Sync()
}

// imgTag is an HTML <img> holding a PNG, for outputs that are redrawn in place.
func imgTag(png []byte, widthPx int) string {
	return fmt.Sprintf(`<img width="%d" src="data:image/png;base64,%s">`, widthPx, base64.StdEncoding.EncodeToString(png))
}

// Check stops the cell with err, if there is one.
func Check(err error) {
	if err != nil {
		panic(err)
	}
}
