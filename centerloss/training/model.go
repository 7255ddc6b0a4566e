package training

import (
	"github.com/centerloss/centerloss/centerloss/evaluation"
	"github.com/centerloss/centerloss/centerloss/lenetpp"
)

// ModelFn is the network a Session trains and evaluates: images [batch, 28, 28, 1] → [logits [batch, classes],
// features [batch, dim]], the two predictions the centerloss package's Loss takes. lenetpp.ModelFn is one.
type ModelFn = evaluation.ModelFn

// A SessionOption changes what NewSession builds.
type SessionOption func(*sessionOptions)

type sessionOptions struct {
	model     ModelFn
	modelName string
}

// WithModel trains modelFn, called name in the session's description, instead of LeNet++. Its variables live in
// the same store as the centers and the optimizer's state, so checkpoints and resumption work as for LeNet++.
func WithModel(name string, modelFn ModelFn) SessionOption {
	return func(o *sessionOptions) { o.model, o.modelName = modelFn, name }
}

// sessionOptionsOf applies options over the default, LeNet++.
func sessionOptionsOf(options []SessionOption) sessionOptions {
	o := sessionOptions{model: lenetpp.ModelFn, modelName: "LeNet++"}
	for _, option := range options {
		option(&o)
	}
	return o
}
