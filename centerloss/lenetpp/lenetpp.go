// Package lenetpp is the network of the paper's MNIST experiment: LeNet++ (Wen et al. 2016, Fig. 2 and Table 1),
// with its PReLU activations and Caffe's "xavier" initialisation, for any GoMLX training loop.
//
// ModelFn returns [logits, embedding], what the centerloss package's Loss takes. Its convolutions and max-pools
// are written to be fast on XLA's CPU backend (conv.go, pool.go, broadcast.go): the same values and gradients as
// GoMLX's own layers, computed by other means, each through a gradient of its own, so nothing of GoMLX is changed.
package lenetpp

import (
	"github.com/centerloss/centerloss/centerloss/setting"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"
)

// ImageSize is the side of the square grey input images (MNIST and its look-alikes).
const ImageSize = 28

// The network's settings.
var (
	EmbeddingDim = setting.Declare("embedding_dim", 2,
		"the width of the feature layer the center loss acts on; 2 draws like the paper's Fig. 3", setting.AtLeast(1))
	NumClasses = setting.Declare("num_classes", 10, "the number of classes, the width of the logits", setting.AtLeast(2))
)

// Settings lists the network's settings.
var Settings = setting.List{EmbeddingDim, NumClasses}

// LeNetPP builds LeNet++ for images [batch, 28, 28, 1]:
//
//	conv 5×5/1 pad 2: 32, 32 → max-pool 2×2/2 → 64, 64 → pool → 128, 128 → pool   (every conv followed by PReLU)
//	→ dense to the embedding (2-D by default) + PReLU → dense to the logits.
//
// It returns logits [batch, numClasses] and the embedding [batch, embeddingDim]: the features the center loss
// pulls toward their class centers, and what the plots draw.
func LeNetPP(scope *model.Scope, images *graph.Node) (logits, embedding *graph.Node) {
	scope = scope.At("lenetpp")
	scope = scope.WithInitializer(CaffeXavier(scope))
	batch := images.Shape().Dimensions[0]

	x := images // [batch, 28, 28, 1]
	layer := 0
	for _, channels := range []int{32, 64, 128} {
		for range 2 {
			layerScope := scope.In("conv%d", layer)
			x = Convolution5x5(layerScope, x, channels) // layers.Convolution's, with a faster gradient
			x = PReLU(layerScope, x)
			layer++
		}
		x = MaxPool2x2(x) // 28 → 14 → 7 → 3 (floor, as PyTorch's MaxPool2d); graph.MaxPool's values and gradient
	}
	x = graph.Reshape(x, batch, -1) // [batch, 3·3·128 = 1152]

	embeddingScope := scope.In("embedding")
	embedding = layers.DenseWithBias(embeddingScope, x, EmbeddingDim.Get(scope))
	embedding = PReLU(embeddingScope, embedding)                                        // [batch, embeddingDim]
	logits = layers.DenseWithBias(scope.In("logits"), embedding, NumClasses.Get(scope)) // [batch, numClasses]
	return logits, embedding
}

// ModelFn is LeNetPP as a GoMLX train model function: images [batch, 28, 28, 1] → [logits, embedding].
func ModelFn(scope *model.Scope, images *graph.Node) []*graph.Node {
	logits, embedding := LeNetPP(scope, images)
	return []*graph.Node{logits, embedding}
}
