package data

// MNIST's pixel mean and standard deviation (of x/255 over the training set), the normalisation every PyTorch
// MNIST example uses, so the inputs are centred and of unit scale.
const (
	PixelMean = 0.1307
	PixelStd  = 0.3081
)

// NormalizedPixels converts IDX images to the network's input values, (x/255 − mean)/std, row-major [n·rows·cols].
func NormalizedPixels(images *Images) []float32 {
	values := make([]float32, len(images.Pixels))
	for i, p := range images.Pixels {
		values[i] = (float32(p)/255 - PixelMean) / PixelStd
	}
	return values
}
