package notebook

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"

	"github.com/centerloss/centerloss/centerloss/data"
	"github.com/centerloss/centerloss/centerloss/language"
	"github.com/centerloss/centerloss/centerloss/plots"
	"github.com/centerloss/centerloss/centerloss/teach"
)

// morphSteps is how many slider steps go from one digit to the other.
const morphSteps = 20

// MorphDigits blends split's first image of digit from into its first image of digit to, pixel by pixel, under a
// slider, and shows where the blend lands among the first n images of split projected on their first two principal
// components (ShowPixelPCA's picture), beside the blend itself.
func MorphDigits(split data.Split, from, to, n int) error {
	im := split.Images
	x, labels, size := pixelRows(split, n) // [n, 784], [n]
	n = len(labels)
	projection, components, err := teach.PCA2(x, n, size)
	if err != nil {
		return err
	}
	mean := make([]float64, size) // [784]: the projection is of the centered pixels
	for i := range n {
		for d := range size {
			mean[d] += float64(x[i*size+d]) / float64(n)
		}
	}
	a, b := FirstOfClasses(split, []int{from}, 1), FirstOfClasses(split, []int{to}, 1)
	if len(a) == 0 || len(b) == 0 {
		return fmt.Errorf("notebook: the split has no %d or no %d", from, to)
	}
	imageA, imageB := im.Pixels[a[0]*size:(a[0]+1)*size], im.Pixels[b[0]*size:(b[0]+1)*size]
	cloud := plots.Embedding{Features: projection, Labels: labels,
		XLabel: language.InPicture("principal component 1"), YLabel: language.InPicture("principal component 2")}
	cloud.Limits = &plots.Limits{}
	*cloud.Limits = plots.FrameLimits([]plots.Embedding{cloud})
	share := func(p int) float64 { return float64(p) / morphSteps }
	slider := Slider{Label: language.Sayf("blend of the %d and the %d", from, to), Min: 0, Max: morphSteps, Value: 0,
		Show: func(p int) string { return language.Sayf("%.0f %% of the way to the %d", 100*share(p), to) }}
	return Interact([]Slider{slider}, func(p []int) ([]byte, error) {
		t := share(p[0])
		blend := make([]byte, size)
		var at [2]float64
		for d := range size {
			v := (1-t)*float64(imageA[d]) + t*float64(imageB[d])
			blend[d] = byte(v + 0.5)
			for c := range 2 {
				at[c] += (v/255 - mean[d]) * components[c][d]
			}
		}
		frame := cloud
		frame.Title = language.InPicturef("a %d blended into a %d, %.0f %% of the way", from, to, 100*t)
		frame.Marks = []plots.Mark{{At: [2]float32{float32(at[0]), float32(at[1])}, Label: language.InPicture("the blend")}}
		picture, err := frame.PNG(ReplaySize, ReplaySize)
		if err != nil {
			return nil, err
		}
		digit, err := plots.DigitGrid(blend, im.Rows, im.Cols, nil, 1, 1, 196)
		if err != nil {
			return nil, err
		}
		return besides(picture, digit)
	})
}

// besides puts two PNGs next to each other on white, their tops aligned.
func besides(left, right []byte) ([]byte, error) {
	a, err := png.Decode(bytes.NewReader(left))
	if err != nil {
		return nil, err
	}
	b, err := png.Decode(bytes.NewReader(right))
	if err != nil {
		return nil, err
	}
	out := image.NewRGBA(image.Rect(0, 0, a.Bounds().Dx()+b.Bounds().Dx(), max(a.Bounds().Dy(), b.Bounds().Dy())))
	draw.Draw(out, out.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(out, a.Bounds(), a, a.Bounds().Min, draw.Src)
	draw.Draw(out, b.Bounds().Add(image.Pt(a.Bounds().Dx(), 40)), b, b.Bounds().Min, draw.Src)
	var buf bytes.Buffer
	err = png.Encode(&buf, out)
	return buf.Bytes(), err
}
