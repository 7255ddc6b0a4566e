package centerloss

import (
	"fmt"

	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/layers"
)

// ImageSize is the side of the square grey input images (MNIST and its look-alikes).
const ImageSize = 28

// LeNetPP builds the paper's LeNet++ (Wen et al. 2016, Fig. 2 and Table 1) for images [batch, 28, 28, 1]:
//
//	conv 5×5/1 pad 2: 32, 32 → max-pool 2×2/2 → 64, 64 → pool → 128, 128 → pool   (every conv followed by PReLU)
//	→ dense to the embedding (2-D by default) + PReLU → dense to the logits.
//
// It returns logits [batch, numClasses] and the embedding [batch, embeddingDim]: the features the center loss
// pulls toward their class centers, and what the plots draw.
func LeNetPP(ctx *context.Context, images *graph.Node) (logits, embedding *graph.Node) {
	ctx = ctx.In("lenetpp").WithInitializer(CaffeXavier(ctx))
	embeddingDim := context.GetParamOr(ctx, ParamEmbeddingDim, 2)
	numClasses := context.GetParamOr(ctx, ParamNumClasses, 10)
	batch := images.Shape().Dimensions[0]

	x := images // [batch, 28, 28, 1]
	layer := 0
	for _, channels := range []int{32, 64, 128} {
		for range 2 {
			layerCtx := ctx.In(fmt.Sprintf("conv%d", layer))
			x = Convolution5x5(layerCtx, x, channels) // layers.Convolution's, with a faster bias gradient
			x = PReLU(layerCtx, x)
			layer++
		}
		x = MaxPool2x2(x) // 28 → 14 → 7 → 3 (floor, as PyTorch's MaxPool2d); graph.MaxPool's values and gradient
	}
	x = graph.Reshape(x, batch, -1) // [batch, 3·3·128 = 1152]

	embedding = layers.DenseWithBias(ctx.In("embedding"), x, embeddingDim)
	embedding = PReLU(ctx.In("embedding"), embedding)                      // [batch, embeddingDim]
	logits = layers.DenseWithBias(ctx.In("logits"), embedding, numClasses) // [batch, numClasses]
	return logits, embedding
}
