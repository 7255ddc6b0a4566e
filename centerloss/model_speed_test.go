package centerloss

import (
	"fmt"
	"math"
	"testing"

	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/layers"
	"github.com/gomlx/gomlx/pkg/ml/train/losses"
)

// plainLeNetPP is LeNet++ written with GoMLX's own layers only (layers.Convolution, graph.MaxPool, PReLU's slope by
// implicit broadcasting): what LeNetPP computed before it was made faster on XLA's CPU backend.
func plainLeNetPP(ctx *context.Context, images *graph.Node) (logits, embedding *graph.Node) {
	ctx = ctx.In("lenetpp").WithInitializer(CaffeXavier(ctx))
	batch := images.Shape().Dimensions[0]
	prelu := func(ctx *context.Context, x *graph.Node) *graph.Node {
		slope := ctx.GetVariable("prelu_slope").ValueGraph(x.Graph())
		slope = graph.ExpandLeftToRank(slope, x.Rank())
		return graph.Where(graph.GreaterThan(x, graph.ZerosLike(x)), x, graph.Mul(x, slope))
	}
	x := images
	layer := 0
	for _, channels := range []int{32, 64, 128} {
		for range 2 {
			layerCtx := ctx.In(fmt.Sprintf("conv%d", layer))
			x = layers.Convolution(layerCtx, x).Channels(channels).KernelSize(5).PadSame().Done()
			x = prelu(layerCtx, x)
			layer++
		}
		x = graph.MaxPool(x).Window(2).Done()
	}
	x = graph.Reshape(x, batch, -1)
	embedding = prelu(ctx.In("embedding"), layers.DenseWithBias(ctx.In("embedding"), x, 2))
	return layers.DenseWithBias(ctx.In("logits"), embedding, 10), embedding
}

// TestLeNetPPMatchesPlainGoMLX checks that the faster LeNetPP (Convolution5x5, MaxPool2x2, BroadcastChannels) is the
// same network: the same variables, the same logits and features bit for bit, and the same gradient of the training
// loss for every weight up to float32 rounding (the bias and slope gradients are summed in another order). The
// images are real MNIST digits, whose constant background makes many max-pool windows hold equal values.
func TestLeNetPPMatchesPlainGoMLX(t *testing.T) {
	backend := backendForTest(t)
	mnist := mnistForTest(t)
	batches, err := NewShuffledBatches(subset(mnist, 256, 10).Train, 64)
	if err != nil {
		t.Fatal(err)
	}
	_, inputs, labels, err := batches.Yield()
	if err != nil {
		t.Fatal(err)
	}
	ctx := NewContext()
	outputs := func(ctx *context.Context, model func(*context.Context, *graph.Node) (*graph.Node, *graph.Node)) ([]*tensors.Tensor, []string) {
		var names []string
		exec := context.MustNewExec(backend, ctx, func(ctx *context.Context, images, labels *graph.Node) []*graph.Node {
			logits, features := model(ctx, images)
			loss := graph.ReduceAllMean(losses.SparseCategoricalCrossEntropyLogits([]*graph.Node{labels}, []*graph.Node{logits}))
			centers := CentersVar(ctx, features.DType()).ValueGraph(images.Graph())
			loss = graph.Add(loss, graph.MulScalar(CenterLoss(features, labels, centers), 0.01))
			var weights []*graph.Node
			for v := range ctx.IterVariables() {
				if v.Trainable && v.InUseByGraph(images.Graph()) {
					weights = append(weights, v.ValueGraph(images.Graph()))
					names = append(names, v.ScopeAndName())
				}
			}
			return append([]*graph.Node{logits, features}, graph.Gradient(loss, weights...)...)
		})
		return exec.MustExec(inputs[0], labels[0]), names
	}
	_, _ = outputs(ctx, LeNetPP) // creates and initialises the variables
	want, wantNames := outputs(ctx.Reuse(), plainLeNetPP)
	got, gotNames := outputs(ctx.Reuse(), LeNetPP)
	if fmt.Sprint(gotNames) != fmt.Sprint(wantNames) {
		t.Fatalf("variables %v, want %v", gotNames, wantNames)
	}
	assertClose(t, "logits", tensors.MustCopyFlatData[float32](want[0]), tensors.MustCopyFlatData[float32](got[0]), 0)
	assertClose(t, "features", tensors.MustCopyFlatData[float32](want[1]), tensors.MustCopyFlatData[float32](got[1]), 0)
	for i, name := range wantNames {
		w, g := tensors.MustCopyFlatData[float32](want[2+i]), tensors.MustCopyFlatData[float32](got[2+i])
		var scale float64
		for _, v := range w {
			scale = max(scale, math.Abs(float64(v)))
		}
		assertClose(t, "gradient of "+name, w, g, 1e-5*scale+1e-9)
	}
}
