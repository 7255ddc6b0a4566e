// Package notebook holds what the GoNB notebooks call, so that their cells stay a few lines long: opening a
// session on MNIST, training it while its embedding is redrawn in place, and displaying PNGs.
//
// GoNB runs each cell as a fresh program: a trained model passes from one cell to the next as a checkpoint on disk
// (the checkpointDir of NewSession), not as a Go variable.
package notebook

import (
	"encoding/base64"
	"fmt"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/data"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/janpfeifer/gonb/gonbui"
)

// Must returns v, or stops the cell with err: in a notebook an error is shown in the cell's output.
func Must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// NewSession opens the XLA backend and MNIST and builds a training session with the default hyperparameters
// changed by params (keys are centerloss.Param*). A non-empty checkpointDir resumes the model saved there, or
// starts a new one that Save will write there.
func NewSession(params map[string]any, checkpointDir string) (*centerloss.Session, error) {
	scope := centerloss.NewContext()
	var keys []string
	for key, value := range params {
		if _, known := centerloss.Defaults[key]; !known {
			return nil, fmt.Errorf("notebook: unknown setting %q (see centerloss.Defaults)", key)
		}
		scope.SetParam(key, value)
		keys = append(keys, key)
	}
	backend, err := centerloss.NewBackend("")
	if err != nil {
		return nil, err
	}
	mnist, err := data.LoadMNIST()
	if err != nil {
		return nil, err
	}
	return centerloss.NewSession(scope, backend, mnist, checkpointDir, keys)
}

// ShowPNG displays a PNG in the cell's output.
func ShowPNG(png []byte) { gonbui.DisplayPNG(png) }

// imgTag is an HTML <img> holding a PNG, for outputs that are redrawn in place.
func imgTag(png []byte, widthPx int) string {
	return fmt.Sprintf(`<img width="%d" src="data:image/png;base64,%s">`, widthPx, base64.StdEncoding.EncodeToString(png))
}

func paramFloat(s *centerloss.Session, key string) float64 {
	return model.GetParamOr(s.Ctx, key, 0.0)
}

// Check stops the cell with err, if there is one.
func Check(err error) {
	if err != nil {
		panic(err)
	}
}
