package exercise

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/pkg/errors"
)

// run builds one graph on the inputs, lets build add the outputs (float32 all), compiles and runs it, and returns
// their values, flat. build returns nil to stop without running, when it has found what to report.
//
// GoMLX reports shape errors by panicking, and the learner's code runs inside build: every panic comes back as an
// error instead, so that a wrong answer never crashes the notebook's cell.
func run(backend compute.Backend, build func(x, y, c *graph.Node) []*graph.Node, inputs []*tensors.Tensor) (
	values [][]float32, err error) {
	g := graph.NewGraph(backend, "exercise")
	defer func() {
		if r := recover(); r != nil {
			values, err = nil, panicError(r)
		}
		g.Finalize()
	}()
	params := make([]*graph.Node, len(inputs))
	for i, input := range inputs {
		params[i] = graph.Parameter(g, fmt.Sprintf("arg%d", i), input.Shape())
	}
	outputs := build(params[0], params[1], params[2])
	if outputs == nil {
		return nil, nil
	}
	if err := g.Compile(outputs...); err != nil {
		return nil, err
	}
	results := g.Run(anys(inputs)...)
	for _, result := range results {
		values = append(values, tensors.MustCopyFlatData[float32](result))
		_ = result.FinalizeAll()
	}
	return values, nil
}

// callLearner calls the learner's function and catches its panic: the first line of its message, or "".
func callLearner(fn func() *graph.Node) (output *graph.Node, panicked string) {
	defer func() {
		if r := recover(); r != nil {
			output, panicked = nil, firstLine(panicError(r).Error())
		}
	}()
	return fn(), ""
}

// panicError is what a recovered panic says: GoMLX panics with errors, the runtime with runtime.Error, some code
// with a string.
func panicError(r any) error {
	if err, ok := r.(error); ok {
		return err
	}
	return errors.Errorf("%v", r)
}

func anys(ts []*tensors.Tensor) []any {
	out := make([]any, len(ts))
	for i, t := range ts {
		out[i] = t
	}
	return out
}
