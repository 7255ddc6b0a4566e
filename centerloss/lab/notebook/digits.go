package notebook

import (
	"github.com/centerloss/centerloss/centerloss/data"
	"github.com/centerloss/centerloss/centerloss/language"
	"github.com/centerloss/centerloss/centerloss/plots"
	"github.com/centerloss/centerloss/centerloss/teach"
)

// ShowDigits displays the images of split at the given indices as a grid with their labels, cols to a row.
func ShowDigits(split data.Split, indices []int, cols int) error {
	im := split.Images
	size := im.Rows * im.Cols
	pixels := make([]byte, 0, len(indices)*size)
	labels := make([]int, 0, len(indices))
	for _, i := range indices {
		pixels = append(pixels, im.Pixels[i*size:(i+1)*size]...)
		labels = append(labels, int(split.Labels[i]))
	}
	rows := (len(indices) + cols - 1) / cols
	png, err := plots.DigitGrid(pixels, im.Rows, im.Cols, labels, rows, cols, 56*cols)
	if err != nil {
		return err
	}
	ShowPNG(png)
	return nil
}

// FirstOfClasses returns the indices of the first perClass images of each of the given classes, class by class.
func FirstOfClasses(split data.Split, classes []int, perClass int) []int {
	var indices []int
	for _, class := range classes {
		found := 0
		for i, l := range split.Labels {
			if int(l) == class && found < perClass {
				indices = append(indices, i)
				found++
			}
		}
	}
	return indices
}

// ShowPixelPCA projects the first n images of split, as raw 784-pixel vectors, onto their first two principal
// components and draws them coloured by digit: what the data looks like before any network has learned a space.
func ShowPixelPCA(split data.Split, n int) error {
	e, err := pixelPCA(split, n)
	if err != nil {
		return err
	}
	png, err := e.PNG(640, 640)
	if err != nil {
		return err
	}
	ShowPNG(png)
	return nil
}

// pixelPCA is ShowPixelPCA's plot. Its axes are principal components of the pixels, not features of a network,
// and say so.
func pixelPCA(split data.Split, n int) (*plots.Embedding, error) {
	x, labels, size := pixelRows(split, n)
	projection, _, err := teach.PCA2(x, len(labels), size)
	if err != nil {
		return nil, err
	}
	return &plots.Embedding{Title: language.InPicture("raw pixels projected on their first two principal components"),
		Features: projection, Labels: labels, XLabel: language.InPicture("principal component 1"),
		YLabel: language.InPicture("principal component 2")}, nil
}

// FirstN returns the indices 0, 1, …, n−1.
func FirstN(n int) []int {
	indices := make([]int, n)
	for i := range indices {
		indices[i] = i
	}
	return indices
}

// pixelRows are the first n images of split (fewer if it has fewer) as rows of raw pixels in [0, 1], x [n, size]
// with size = rows·cols, and their labels [n]: what the pixel PCA projects.
func pixelRows(split data.Split, n int) (x []float32, labels []int, size int) {
	n = min(n, split.Len())
	size = split.Images.Rows * split.Images.Cols
	x = make([]float32, n*size)
	for i, p := range split.Images.Pixels[:n*size] {
		x[i] = float32(p) / 255
	}
	labels = make([]int, n)
	for i := range labels {
		labels[i] = int(split.Labels[i])
	}
	return x, labels, size
}
