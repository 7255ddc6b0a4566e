package bench

import (
	"fmt"
	"io"
	"math/rand"
	"time"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/data"
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/loss"
)

// Part is the time of one part of the training step, each compiled and run on its own.
type Part struct {
	Name    string  `json:"name"`
	Stats   Stats   `json:"stats"`
	GFLOP   float64 `json:"gflop,omitempty"`       // useful floating-point work of the part, where counted
	GFLOPPS float64 `json:"gflop_per_s,omitempty"` // GFLOP / median
}

// ConvLayer is the shape of one of LeNet++'s convolutions: input [batch, side, side, in], 5×5 kernel, out channels.
type ConvLayer struct{ Side, In, Out int }

// LeNetPPConvs are LeNet++'s six convolutions, in order.
var LeNetPPConvs = []ConvLayer{{28, 1, 32}, {28, 32, 32}, {14, 32, 64}, {14, 64, 64}, {7, 64, 128}, {7, 128, 128}}

// GFLOP is the multiply-adds of the convolution's forward pass at this batch, ×2, in GFLOP (its input gradient and
// its kernel gradient cost the same again each).
func (c ConvLayer) GFLOP(batch int) float64 {
	return 2 * float64(batch*c.Side*c.Side*c.Out*c.In*25) / 1e9
}

// Profile times, each compiled on its own at the given batch: the whole training step (train.Trainer), the forward
// pass, the forward pass with the loss and every gradient (no update), each convolution's forward pass, input
// gradient and kernel gradient alone, and the forward pass at the evaluation batch. It prints a table to log.
func Profile(scope *model.Scope, backend compute.Backend, dataset *data.Dataset, batch, reps int, log io.Writer) ([]Part, error) {
	opts := Options{Batch: batch, Warmup: 2, Reps: reps, InferReps: 0}
	// The whole step, and variables in ctx for the parts below to use.
	r, err := Run(scope, backend, dataset, opts, io.Discard)
	if err != nil {
		return nil, err
	}
	stepGFLOP := 0.0
	for _, c := range LeNetPPConvs {
		stepGFLOP += 3 * c.GFLOP(batch)
	}
	var parts []Part
	report := func(p Part) {
		if p.GFLOP > 0 {
			p.GFLOPPS = p.GFLOP / p.Stats.Median
		}
		parts = append(parts, p)
		fmt.Fprintf(log, "%-58s %8.2f ms  (min %7.2f, max %7.2f)", p.Name, 1e3*p.Stats.Median, 1e3*p.Stats.Min, 1e3*p.Stats.Max)
		if p.GFLOPPS > 0 {
			fmt.Fprintf(log, "  %6.1f GFLOP/s", p.GFLOPPS)
		}
		fmt.Fprintln(log)
	}
	report(Part{Name: "training step (Trainer.TrainStep + metrics to host)", Stats: r.Step, GFLOP: stepGFLOP})

	rng := rand.New(rand.NewSource(1))
	randomTensor := func(dims ...int) *tensors.Tensor {
		t := tensors.FromShape(shapes.Make(dtypes.Float32, dims...))
		tensors.MutableFlatData[float32](t, func(flat []float32) {
			for i := range flat {
				flat[i] = float32(rng.NormFloat64())
			}
		})
		return t
	}
	labels := tensors.FromShape(shapes.Make(dtypes.Int32, batch, 1))
	tensors.MutableFlatData[int32](labels, func(flat []int32) {
		for i := range flat {
			flat[i] = int32(rng.Intn(10))
		}
	})
	timeIt := func(exec func() ([]*tensors.Tensor, error)) (Stats, error) {
		var samples []float64
		for i := range reps + 2 {
			t := time.Now()
			outs, err := exec()
			if err != nil {
				return Stats{}, err
			}
			if i >= 2 {
				samples = append(samples, time.Since(t).Seconds())
			}
			for _, o := range outs {
				o.FinalizeAll()
			}
		}
		return NewStats(samples), nil
	}
	forwardGFLOP := stepGFLOP / 3

	// The forward pass, inference graph, at the training batch and at the evaluation batch.
	forward, err := model.NewExec(backend, scope.Reuse(), func(scope *model.Scope, images *graph.Node) []*graph.Node {
		logits, features := centerloss.LeNetPP(scope, images)
		return []*graph.Node{logits, features}
	})
	if err != nil {
		return nil, err
	}
	for _, b := range []int{batch, model.GetParamOr(scope, centerloss.ParamEvalBatchSize, 1000)} {
		images := randomTensor(b, 28, 28, 1)
		s, err := timeIt(func() ([]*tensors.Tensor, error) { return forward.Exec(images) })
		if err != nil {
			return nil, err
		}
		report(Part{Name: fmt.Sprintf("forward, batch %d", b), Stats: s, GFLOP: forwardGFLOP * float64(b) / float64(batch)})
	}

	// Forward, loss and the gradients of every weight: the step without the updates.
	lambda := model.GetParamOr(scope, centerloss.ParamLambda, 0.0)
	grads, err := model.NewExec(backend, scope.Reuse(), func(scope *model.Scope, images, labels *graph.Node) []*graph.Node {
		logits, features := centerloss.LeNetPP(scope, images)
		loss := graph.ReduceAllMean(losses.SparseCategoricalCrossEntropyLogits([]*graph.Node{labels}, []*graph.Node{logits}))
		centers := centerloss.CentersVar(scope, features.DType()).NodeValue(images.Graph())
		loss = graph.Add(loss, graph.MulScalar(centerloss.CenterLoss(features, labels, centers), lambda))
		return append([]*graph.Node{loss}, scope.BuildTrainableVariablesGradientsGraph(loss)...)
	})
	if err != nil {
		return nil, err
	}
	images := randomTensor(batch, 28, 28, 1)
	s, err := timeIt(func() ([]*tensors.Tensor, error) { return grads.Exec(images, labels) })
	if err != nil {
		return nil, err
	}
	report(Part{Name: "forward + backward (loss, all gradients, no update)", Stats: s, GFLOP: stepGFLOP})

	// Each convolution alone: forward, gradient to its input, gradient to its kernel.
	var convSum float64
	for i, c := range LeNetPPConvs {
		x, k, dy := randomTensor(batch, c.Side, c.Side, c.In), randomTensor(5, 5, c.In, c.Out), randomTensor(batch, c.Side, c.Side, c.Out)
		conv := func(x, k *graph.Node) *graph.Node { return graph.Convolve(x, k).PadSame().Done() }
		fns := []struct {
			name string
			fn   func(x, k, dy *graph.Node) *graph.Node
		}{
			{"forward", func(x, k, _ *graph.Node) *graph.Node { return conv(x, k) }},
			{"input gradient", func(x, k, dy *graph.Node) *graph.Node {
				return graph.Gradient(graph.ReduceAllSum(graph.Mul(conv(x, k), dy)), x)[0]
			}},
			{"kernel gradient", func(x, k, dy *graph.Node) *graph.Node {
				return graph.Gradient(graph.ReduceAllSum(graph.Mul(conv(x, k), dy)), k)[0]
			}},
			{fmt.Sprintf("kernel gradient in %d parts", centerloss.KernelGradientParts), func(x, k, dy *graph.Node) *graph.Node {
				var sum *graph.Node
				for i := range centerloss.KernelGradientParts {
					part := graph.AxisRange(i*batch/centerloss.KernelGradientParts, (i+1)*batch/centerloss.KernelGradientParts)
					g := graph.Gradient(graph.ReduceAllSum(graph.Mul(conv(graph.Slice(x, part), k), graph.Slice(dy, part))), k)[0]
					if sum == nil {
						sum = g
					} else {
						sum = graph.Add(sum, g)
					}
				}
				return sum
			}},
		}
		for _, f := range fns {
			exec, err := graph.NewExec(backend, f.fn)
			if err != nil {
				return nil, err
			}
			s, err := timeIt(func() ([]*tensors.Tensor, error) { return exec.Exec(x, k, dy) })
			exec.Finalize()
			if err != nil {
				return nil, err
			}
			switch {
			case i == 0 && f.name == "input gradient": // the first layer's input gradient is never computed
			case f.name == "kernel gradient": // the training step computes it in parts
			default:
				convSum += s.Median
			}
			report(Part{Name: fmt.Sprintf("conv%d %dx%dx%d→%d %s", i, c.Side, c.Side, c.In, c.Out, f.name), Stats: s,
				GFLOP: c.GFLOP(batch)})
		}
	}
	total := func(name string, seconds float64, gflop float64) {
		report(Part{Name: name, Stats: Stats{N: 1, Median: seconds, Min: seconds, Max: seconds, Q1: seconds, Q3: seconds,
			Mean: seconds}, GFLOP: gflop})
	}
	total("sum of the convolutions' parts (a step's share)", convSum, stepGFLOP)

	// What follows each convolution: its bias and PReLU, forward and backward (gradients to the input, the slope and
	// the bias); and the max-pools, forward and backward, as GoMLX's MaxPool and as centerloss.MaxPool2x2.
	preluSums := map[string]float64{}
	poolSums := map[string]float64{}
	for i, c := range LeNetPPConvs {
		y, dy := randomTensor(batch, c.Side, c.Side, c.Out), randomTensor(batch, c.Side, c.Side, c.Out)
		slope, bias := randomTensor(c.Out), randomTensor(c.Out)
		for _, broadcast := range []struct {
			name string
			fn   func(*graph.Node) *graph.Node
		}{
			{"implicit broadcasting", func(v *graph.Node) *graph.Node { return graph.ExpandLeftToRank(v, 4) }},
			{"BroadcastChannels", func(v *graph.Node) *graph.Node {
				return centerloss.BroadcastChannels(v, batch, c.Side, c.Side)
			}},
		} {
			exec, err := graph.NewExec(backend, func(y, slope, bias, dy *graph.Node) []*graph.Node {
				z := graph.Add(y, broadcast.fn(bias))
				out := graph.Where(graph.GreaterThan(z, graph.ZerosLike(z)), z, graph.Mul(z, broadcast.fn(slope)))
				return graph.Gradient(graph.ReduceAllSum(graph.Mul(out, dy)), y, slope, bias)
			})
			if err != nil {
				return nil, err
			}
			s, err := timeIt(func() ([]*tensors.Tensor, error) { return exec.Exec(y, slope, bias, dy) })
			exec.Finalize()
			if err != nil {
				return nil, err
			}
			preluSums[broadcast.name] += s.Median
			report(Part{Name: fmt.Sprintf("conv%d bias + PReLU, forward and backward, %s", i, broadcast.name), Stats: s})
		}
		if i%2 == 0 {
			continue
		}
		dyPool := randomTensor(batch, c.Side/2, c.Side/2, c.Out)
		for _, pool := range []struct {
			name string
			fn   func(*graph.Node) *graph.Node
		}{
			{"graph.MaxPool", func(x *graph.Node) *graph.Node { return graph.MaxPool(x).Window(2).Done() }},
			{"MaxPool2x2", centerloss.MaxPool2x2},
		} {
			exec, err := graph.NewExec(backend, func(x, dy *graph.Node) []*graph.Node {
				return graph.Gradient(graph.ReduceAllSum(graph.Mul(pool.fn(x), dy)), x)
			})
			if err != nil {
				return nil, err
			}
			s, err := timeIt(func() ([]*tensors.Tensor, error) { return exec.Exec(y, dyPool) })
			exec.Finalize()
			if err != nil {
				return nil, err
			}
			poolSums[pool.name] += s.Median
			report(Part{Name: fmt.Sprintf("max-pool %dx%dx%d, forward and backward, %s", c.Side, c.Side, c.Out, pool.name), Stats: s})
		}
	}
	for _, name := range []string{"implicit broadcasting", "BroadcastChannels"} {
		total("sum of the bias + PReLU parts, "+name, preluSums[name], 0)
	}
	for _, name := range []string{"graph.MaxPool", "MaxPool2x2"} {
		total("sum of the max-pools, "+name, poolSums[name], 0)
	}
	return parts, nil
}
