package bench

import (
	"fmt"
	"io"
	"math/rand"
	"time"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/data"
	"github.com/centerloss/centerloss/centerloss/evaluation"
	"github.com/centerloss/centerloss/centerloss/lenetpp"
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
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
var LeNetPPConvs = []ConvLayer{{side, 1, 32}, {side, 32, 32}, {side / 2, 32, 64}, {side / 2, 64, 64}, {side / 4, 64, 128},
	{side / 4, 128, 128}}

// side is the input images' side: the feature maps halve after each pair of convolutions.
const side = lenetpp.ImageSize

// GFLOP is the multiply-adds of the convolution's forward pass at this batch, ×2, in GFLOP (its input gradient and
// its kernel gradient cost the same again each).
func (c ConvLayer) GFLOP(batch int) float64 {
	return 2 * float64(batch*c.Side*c.Side*c.Out*c.In*25) / 1e9
}

// The names of the variants the profile sets side by side: GoMLX's own way of computing a part ("plain GoMLX",
// what LeNetPP computed before it was made faster) and lenetpp's, which is what the training step runs.
const (
	kernelGradientWhole   = "kernel gradient, whole batch (plain GoMLX)"
	kernelGradientSlices  = "kernel gradient in parts, by slicing (plain GoMLX)"
	kernelGradientNetwork = "kernel gradient in parts, Convolution5x5's custom gradient"
	broadcastImplicit     = "implicit broadcasting (plain GoMLX)"
	broadcastPrefix       = "graph.BroadcastPrefix (plain GoMLX)"
	broadcastChannels     = "lenetpp.BroadcastChannels (custom gradient)"
	poolPlain             = "graph.MaxPool (plain GoMLX)"
	poolNetwork           = "lenetpp.MaxPool2x2"
)

// Profile times, each compiled on its own at the given batch: the whole training step (train.Trainer), the forward
// pass, the forward pass with the loss and every gradient (no update), the center update, each convolution's
// forward pass, input gradient and kernel gradient alone, each bias + PReLU and each max-pool forward and backward,
// and the forward pass at the evaluation batch. Where lenetpp computes a part through a gradient of its own, the
// part is timed both as plain GoMLX computes it and as lenetpp does. store holds the settings (training.NewStore
// and any); the step's variables are made in it. It prints a table to log.
func Profile(store *model.Store, backend compute.Backend, dataset *data.Dataset, batch, reps int, log io.Writer) ([]Part, error) {
	opts := Options{Batch: batch, Warmup: 2, Reps: reps, InferReps: 0}
	// The whole step, and the variables in store for the parts below to use.
	r, err := Run(store, backend, dataset, opts, io.Discard)
	if err != nil {
		return nil, err
	}
	scope := store.RootScope()
	stepGFLOP := 0.0
	for _, c := range LeNetPPConvs {
		stepGFLOP += 3 * c.GFLOP(batch)
	}
	p := &profiler{backend: backend, reps: reps, log: log, rng: rand.New(rand.NewSource(1))}
	p.report(Part{Name: "training step (Trainer.TrainStep + metrics to host)", Stats: r.Step, GFLOP: stepGFLOP})
	numClasses, dim := lenetpp.NumClasses.Get(scope), lenetpp.EmbeddingDim.Get(scope)
	labels := p.labels(batch, numClasses)
	forwardGFLOP := stepGFLOP / 3

	// The forward pass, inference graph, at the training batch and at the evaluation batch.
	forward, err := model.NewExec(backend, store, lenetpp.ModelFn)
	if err != nil {
		return nil, err
	}
	for _, b := range []int{batch, evaluation.EvalBatchSize.Get(scope)} {
		images := p.random(b, lenetpp.ImageSize, lenetpp.ImageSize, 1)
		s, err := p.time(func() ([]*tensors.Tensor, error) { return forward.Call(images) })
		if err != nil {
			return nil, err
		}
		p.report(Part{Name: fmt.Sprintf("forward, batch %d", b), Stats: s, GFLOP: forwardGFLOP * float64(b) / float64(batch)})
	}
	forward.Finalize()

	// Forward, loss and the gradients of every weight: the step without the updates.
	grads, err := model.NewExec(backend, store, func(scope *model.Scope, images, labels *graph.Node) []*graph.Node {
		logits, features := lenetpp.LeNetPP(scope, images)
		// The library's joint loss L_S + λ·L_C; outside training it leaves the centers where they are.
		theLoss := centerloss.Loss(scope)([]*graph.Node{labels}, []*graph.Node{logits, features})
		return append([]*graph.Node{theLoss}, scope.BuildTrainableVariablesGradientsGraph(theLoss)...)
	})
	if err != nil {
		return nil, err
	}
	images := p.random(batch, lenetpp.ImageSize, lenetpp.ImageSize, 1)
	s, err := p.time(func() ([]*tensors.Tensor, error) { return grads.Call(images, labels) })
	grads.Finalize()
	if err != nil {
		return nil, err
	}
	p.report(Part{Name: "forward + backward (loss, all gradients, no update)", Stats: s, GFLOP: stepGFLOP})

	// The center update of Eq. 4 alone: centerloss.UpdateCenters (a gather and a scatter over the batch's classes)
	// and the same update as products with the labels' one-hot matrix.
	features, centers := p.random(batch, dim), p.random(numClasses, dim)
	alpha := centerloss.Alpha.Get(scope)
	for _, update := range []struct {
		name string
		fn   func(features, labels, centers *graph.Node) *graph.Node
	}{
		{"centerloss.UpdateCenters (gather/scatter)", func(features, labels, centers *graph.Node) *graph.Node {
			return centerloss.UpdateCenters(features, labels, centers, alpha)
		}},
		{"one-hot products", func(features, labels, centers *graph.Node) *graph.Node {
			return UpdateCentersOneHot(features, labels, centers, alpha)
		}},
	} {
		s, err := p.timeGraph(update.fn, features, labels, centers)
		if err != nil {
			return nil, err
		}
		p.report(Part{Name: "center update (Eq. 4), " + update.name, Stats: s})
	}

	// Each convolution alone: forward, gradient to its input, gradient to its kernel (whole, and in
	// lenetpp.KernelGradientParts parts of the batch: by slicing, and through Convolution5x5 as the network does).
	convSums := map[string]float64{}
	for i, c := range LeNetPPConvs {
		x, k, dy := p.random(batch, c.Side, c.Side, c.In), p.random(5, 5, c.In, c.Out), p.random(batch, c.Side, c.Side, c.Out)
		conv := func(x, k *graph.Node) *graph.Node { return graph.Convolve(x, k).PadSame().Done() }
		parts := lenetpp.KernelGradientParts
		for _, f := range []struct {
			name string
			fn   func(x, k, dy *graph.Node) *graph.Node
		}{
			{"forward", func(x, k, _ *graph.Node) *graph.Node { return conv(x, k) }},
			{"input gradient", func(x, k, dy *graph.Node) *graph.Node {
				return graph.Gradient(graph.ReduceAllSum(graph.Mul(conv(x, k), dy)), x)[0]
			}},
			{kernelGradientWhole, func(x, k, dy *graph.Node) *graph.Node {
				return graph.Gradient(graph.ReduceAllSum(graph.Mul(conv(x, k), dy)), k)[0]
			}},
			{kernelGradientSlices, func(x, k, dy *graph.Node) *graph.Node {
				var sum *graph.Node
				for i := range parts {
					part := graph.AxisRange(i*batch/parts, (i+1)*batch/parts)
					g := graph.Gradient(graph.ReduceAllSum(graph.Mul(conv(graph.Slice(x, part), k), graph.Slice(dy, part))), k)[0]
					if sum == nil {
						sum = g
					} else {
						sum = graph.Add(sum, g)
					}
				}
				return sum
			}},
			{kernelGradientNetwork, nil}, // through Convolution5x5's own variables
		} {
			var s Stats
			if f.fn == nil {
				s, err = p.timeConvolution5x5KernelGradient(x, dy, c.Out)
			} else {
				s, err = p.timeGraph(f.fn, x, k, dy)
			}
			if err != nil {
				return nil, err
			}
			switch {
			case i == 0 && f.name == "input gradient": // the first layer's input gradient is never computed
			case f.name == "forward" || f.name == "input gradient":
				for _, variant := range []string{kernelGradientWhole, kernelGradientSlices, kernelGradientNetwork} {
					convSums[variant] += s.Median
				}
			default:
				convSums[f.name] += s.Median
			}
			p.report(Part{Name: fmt.Sprintf("conv%d %dx%dx%d→%d %s", i, c.Side, c.Side, c.In, c.Out, f.name), Stats: s,
				GFLOP: c.GFLOP(batch)})
		}
	}
	for _, variant := range []string{kernelGradientWhole, kernelGradientSlices, kernelGradientNetwork} {
		p.total("convolutions, a step's share, "+variant, convSums[variant], stepGFLOP)
	}

	// What follows each convolution: its bias and PReLU, forward and backward (gradients to the input, the slope and
	// the bias); and the max-pools, forward and backward, as GoMLX's MaxPool and as lenetpp.MaxPool2x2.
	preluSums := map[string]float64{}
	poolSums := map[string]float64{}
	for i, c := range LeNetPPConvs {
		y, dy := p.random(batch, c.Side, c.Side, c.Out), p.random(batch, c.Side, c.Side, c.Out)
		slope, bias := p.random(c.Out), p.random(c.Out)
		for _, broadcast := range []struct {
			name string
			fn   func(*graph.Node) *graph.Node
		}{
			{broadcastImplicit, func(v *graph.Node) *graph.Node { return graph.ExpandLeftToRank(v, 4) }},
			{broadcastPrefix, func(v *graph.Node) *graph.Node { return graph.BroadcastPrefix(v, batch, c.Side, c.Side) }},
			{broadcastChannels, func(v *graph.Node) *graph.Node { return lenetpp.BroadcastChannels(v, batch, c.Side, c.Side) }},
		} {
			s, err := p.timeGraph(func(y, slope, bias, dy *graph.Node) []*graph.Node {
				z := graph.Add(y, broadcast.fn(bias))
				out := graph.Where(graph.GreaterThan(z, graph.ZerosLike(z)), z, graph.Mul(z, broadcast.fn(slope)))
				return graph.Gradient(graph.ReduceAllSum(graph.Mul(out, dy)), y, slope, bias)
			}, y, slope, bias, dy)
			if err != nil {
				return nil, err
			}
			preluSums[broadcast.name] += s.Median
			p.report(Part{Name: fmt.Sprintf("conv%d bias + PReLU, forward and backward, %s", i, broadcast.name), Stats: s})
		}
		if i%2 == 0 {
			continue
		}
		dyPool := p.random(batch, c.Side/2, c.Side/2, c.Out)
		for _, pool := range []struct {
			name string
			fn   func(*graph.Node) *graph.Node
		}{
			{poolPlain, func(x *graph.Node) *graph.Node { return graph.MaxPool(x).Window(2).Done() }},
			{poolNetwork, lenetpp.MaxPool2x2},
		} {
			s, err := p.timeGraph(func(x, dy *graph.Node) []*graph.Node {
				return graph.Gradient(graph.ReduceAllSum(graph.Mul(pool.fn(x), dy)), x)
			}, y, dyPool)
			if err != nil {
				return nil, err
			}
			poolSums[pool.name] += s.Median
			p.report(Part{Name: fmt.Sprintf("max-pool %dx%dx%d, forward and backward, %s", c.Side, c.Side, c.Out, pool.name), Stats: s})
		}
	}
	for _, name := range []string{broadcastImplicit, broadcastPrefix, broadcastChannels} {
		p.total("sum of the bias + PReLU parts, "+name, preluSums[name], 0)
	}
	for _, name := range []string{poolPlain, poolNetwork} {
		p.total("sum of the max-pools, "+name, poolSums[name], 0)
	}
	return p.parts, nil
}

// timeConvolution5x5KernelGradient times the gradient, with respect to the kernel [5, 5, in, out], of
// Σ dy ⊙ Convolution5x5(x) as lenetpp.Convolution5x5 computes it in the training step: its custom gradient, in
// lenetpp.KernelGradientParts parts of the batch. Convolution5x5 makes its own variables, so the graph is built
// over a store of its own (its kernel is initialised there); its bias adds nothing to the kernel's gradient.
func (p *profiler) timeConvolution5x5KernelGradient(x, dy *tensors.Tensor, channels int) (Stats, error) {
	exec, err := model.NewExec(p.backend, model.NewStore(), func(scope *model.Scope, x, dy *graph.Node) *graph.Node {
		y := lenetpp.Convolution5x5(scope, x, channels)
		kernel := scope.At("conv").GetVariable("weights").NodeValue(x.Graph())
		return graph.Gradient(graph.ReduceAllSum(graph.Mul(y, dy)), kernel)[0]
	})
	if err != nil {
		return Stats{}, err
	}
	defer exec.Finalize()
	return p.time(func() ([]*tensors.Tensor, error) { return exec.Call(x, dy) })
}

// profiler times graphs and collects the parts.
type profiler struct {
	backend compute.Backend
	reps    int
	log     io.Writer
	rng     *rand.Rand
	parts   []Part
}

// random is a tensor of standard normal values.
func (p *profiler) random(dims ...int) *tensors.Tensor {
	t := tensors.FromShape(shapes.Make(dtypes.Float32, dims...))
	tensors.MutableFlatData[float32](t, func(flat []float32) {
		for i := range flat {
			flat[i] = float32(p.rng.NormFloat64())
		}
	})
	return t
}

// labels is a tensor [batch, 1] of random classes.
func (p *profiler) labels(batch, numClasses int) *tensors.Tensor {
	t := tensors.FromShape(shapes.Make(dtypes.Int32, batch, 1))
	tensors.MutableFlatData[int32](t, func(flat []int32) {
		for i := range flat {
			flat[i] = int32(p.rng.Intn(numClasses))
		}
	})
	return t
}

// time runs exec twice untimed (the first compiles), then reps times timed.
func (p *profiler) time(exec func() ([]*tensors.Tensor, error)) (Stats, error) {
	var samples []float64
	for i := range p.reps + 2 {
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

// timeGraph compiles fn (a graph.NewExec function of len(args) nodes) and times it on args.
func (p *profiler) timeGraph(fn any, args ...*tensors.Tensor) (Stats, error) {
	var exec *graph.Exec
	var err error
	switch f := fn.(type) {
	case func(a, b, c *graph.Node) *graph.Node:
		exec, err = graph.NewExec(p.backend, f)
	case func(a, b *graph.Node) []*graph.Node:
		exec, err = graph.NewExec(p.backend, f)
	case func(a, b, c, d *graph.Node) []*graph.Node:
		exec, err = graph.NewExec(p.backend, f)
	default:
		return Stats{}, fmt.Errorf("bench: timeGraph cannot compile a %T", fn)
	}
	if err != nil {
		return Stats{}, err
	}
	defer exec.Finalize()
	callArgs := make([]any, len(args))
	for i, a := range args {
		callArgs[i] = a
	}
	return p.time(func() ([]*tensors.Tensor, error) { return exec.Call(callArgs...) })
}

// report adds the part and prints its line.
func (p *profiler) report(part Part) {
	if part.GFLOP > 0 {
		part.GFLOPPS = part.GFLOP / part.Stats.Median
	}
	p.parts = append(p.parts, part)
	fmt.Fprintf(p.log, "%-92s %8.2f ms  (min %7.2f, max %7.2f)", part.Name, 1e3*part.Stats.Median, 1e3*part.Stats.Min,
		1e3*part.Stats.Max)
	if part.GFLOPPS > 0 {
		fmt.Fprintf(p.log, "  %6.1f GFLOP/s", part.GFLOPPS)
	}
	fmt.Fprintln(p.log)
}

// total reports a sum of medians as a part.
func (p *profiler) total(name string, seconds, gflop float64) {
	p.report(Part{Name: name, Stats: Stats{N: 1, Median: seconds, Min: seconds, Max: seconds, Q1: seconds, Q3: seconds,
		Mean: seconds}, GFLOP: gflop})
}
