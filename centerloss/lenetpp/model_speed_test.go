package lenetpp

import (
	"fmt"
	"math"
	"testing"

	"github.com/centerloss/centerloss/centerloss/data"
	"github.com/centerloss/centerloss/centerloss/internal/testbackend"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/loss"
)

// plainLeNetPP is LeNet++ written with GoMLX's own layers only (layers.Convolution, graph.MaxPool, PReLU's slope by
// implicit broadcasting): what LeNetPP computed before it was made faster on XLA's CPU backend.
func plainLeNetPP(scope *model.Scope, images *graph.Node) (logits, embedding *graph.Node) {
	scope = scope.At("lenetpp")
	scope = scope.WithInitializer(CaffeXavier(scope))
	batch := images.Shape().Dimensions[0]
	prelu := func(scope *model.Scope, x *graph.Node) *graph.Node {
		slope := scope.GetVariable("prelu_slope").NodeValue(x.Graph())
		slope = graph.ExpandLeftToRank(slope, x.Rank())
		return graph.Where(graph.GreaterThan(x, graph.ZerosLike(x)), x, graph.Mul(x, slope))
	}
	x := images
	layer := 0
	for _, channels := range []int{32, 64, 128} {
		for range 2 {
			layerCtx := scope.In("conv%d", layer)
			x = layers.Convolution(layerCtx, x).Channels(channels).KernelSize(5).PadSame().Done()
			x = prelu(layerCtx, x)
			layer++
		}
		x = graph.MaxPool(x).Window(2).Done()
	}
	x = graph.Reshape(x, batch, -1)
	embeddingScope := scope.In("embedding")
	embedding = prelu(embeddingScope, layers.DenseWithBias(embeddingScope, x, 2))
	return layers.DenseWithBias(scope.In("logits"), embedding, 10), embedding
}

// TestLeNetPPMatchesPlainGoMLX checks that the faster LeNetPP (Convolution5x5, MaxPool2x2, BroadcastChannels) is the
// same network: the same variables, the same logits and features bit for bit, and the same gradient of the training
// loss for every weight up to float32 rounding (the bias and slope gradients are summed in another order). The
// images are real MNIST digits, whose constant background makes many max-pool windows hold equal values.
func TestLeNetPPMatchesPlainGoMLX(t *testing.T) {
	backend := testbackend.Get(t)
	split := testbackend.MNISTSubset(t, 64, 10).Train
	images := tensors.FromFlatDataAndDimensions(data.NormalizedPixels(split.Images), 64, ImageSize, ImageSize, 1)
	labelValues := make([]int32, split.Len())
	for i, l := range split.Labels {
		labelValues[i] = int32(l)
	}
	labels := tensors.FromFlatDataAndDimensions(labelValues, split.Len(), 1)
	store := model.NewStore()
	type network func(*model.Scope, *graph.Node) (*graph.Node, *graph.Node)
	outputs := func(net network) ([]*tensors.Tensor, []string) {
		var names []string
		exec := model.MustNewExec(backend, store, func(scope *model.Scope, images, labels *graph.Node) []*graph.Node {
			g := images.Graph()
			logits, features := net(scope, images)
			theLoss := graph.ReduceAllMean(loss.SparseCategoricalCrossEntropyLogits([]*graph.Node{labels}, []*graph.Node{logits}))
			var weights []*graph.Node
			for v := range scope.IterVariables() {
				if v.Trainable && v.InUseByGraph(g) {
					weights = append(weights, v.NodeValue(g))
					names = append(names, v.Path())
				}
			}
			return append([]*graph.Node{logits, features}, graph.Gradient(graph.Add(theLoss, graph.ReduceAllSum(features)), weights...)...)
		})
		return exec.MustCall(images, labels), names
	}
	_, _ = outputs(LeNetPP) // creates and initialises the variables
	want, wantNames := outputs(plainLeNetPP)
	got, gotNames := outputs(LeNetPP)
	if fmt.Sprint(gotNames) != fmt.Sprint(wantNames) {
		t.Fatalf("variables %v, want %v", gotNames, wantNames)
	}
	testbackend.AssertClose(t, "logits", tensors.MustCopyFlatData[float32](want[0]), tensors.MustCopyFlatData[float32](got[0]), 0)
	testbackend.AssertClose(t, "features", tensors.MustCopyFlatData[float32](want[1]), tensors.MustCopyFlatData[float32](got[1]), 0)
	for i, name := range wantNames {
		w, g := tensors.MustCopyFlatData[float32](want[2+i]), tensors.MustCopyFlatData[float32](got[2+i])
		var scale float64
		for _, v := range w {
			scale = max(scale, math.Abs(float64(v)))
		}
		testbackend.AssertClose(t, "gradient of "+name, w, g, 1e-5*scale+1e-9)
	}
}
