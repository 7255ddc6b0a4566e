package notebook

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/centerloss/centerloss/centerloss/language"
	"github.com/centerloss/centerloss/centerloss/plots"
	"github.com/centerloss/centerloss/centerloss/teach"
)

// Follow is a center chasing its class, without a network: the class's features in each batch are n points
// scattered around a mean that drifts the way a class drifts while a network learns (out from the origin, fast
// at first, then settling), and the center moves by Eq. 4 with step α. It shows what α means: how closely the
// center keeps up.
type Follow struct {
	Alpha float64 // the step of Eq. 4, in (0, 1]
	N     int     // samples of the class per batch, n_j
	Steps int
}

// Path returns the drifting class mean and the center after each step, both [Steps+1][2], starting at the origin.
func (f Follow) Path() (means, centers [][2]float64) {
	rng := rand.New(rand.NewPCG(4, 2)) // the same batches whatever α: only the rule changes
	center := [2]float64{}
	means = append(means, [2]float64{})
	centers = append(centers, center)
	for t := 1; t <= f.Steps; t++ {
		mean := driftingMean(float64(t))
		batch := make([][]float64, f.N) // this step's features of the class, around its mean
		for i := range batch {
			batch[i] = []float64{mean[0] + 0.6*rng.NormFloat64(), mean[1] + 0.6*rng.NormFloat64()}
		}
		_, _, next := teach.CenterStep(center[:], batch, f.Alpha) // Eq. 4
		center = [2]float64{next[0], next[1]}
		means = append(means, mean)
		centers = append(centers, center)
	}
	return means, centers
}

// driftingMean is where the class's features are centered at step t: out along a curve, settling near (6, 3).
func driftingMean(t float64) [2]float64 {
	r := 1 - math.Exp(-t/25)
	return [2]float64{6 * r, 3*r*r + math.Sin(t/8)}
}

// Lag is the mean distance between the center and its class's mean over the steps: how far behind it follows.
func (f Follow) Lag() float64 {
	means, centers := f.Path()
	var sum float64
	for t := 1; t < len(means); t++ {
		sum += math.Hypot(means[t][0]-centers[t][0], means[t][1]-centers[t][1])
	}
	return sum / float64(len(means)-1)
}

// Picture draws both paths.
func (f Follow) Picture() ([]byte, error) {
	means, centers := f.Path()
	series := func(name string, points [][2]float64) plots.Series {
		s := plots.Series{Name: name}
		for _, p := range points {
			s.X, s.Y = append(s.X, p[0]), append(s.Y, p[1])
		}
		return s
	}
	title := language.InPicturef("α = %.2f, n = %d per batch: the center lags %.2f behind on average", f.Alpha, f.N, f.Lag())
	return plots.Curves(title, language.InPicture("feature 1"), language.InPicture("feature 2"), []plots.Series{
		series(language.InPicture("the class's mean in the batch"), means),
		series(language.InPicture("its center, moved by Eq. 4"), centers),
	}, ReplaySize, ReplaySize)
}

// ExploreFollow shows Follow under two sliders, α and n, redrawn as they move.
func ExploreFollow(steps int) error {
	alpha := Slider{Label: "α", Min: 1, Max: 100, Value: 50, Show: func(p int) string { return fmt.Sprintf("%.2f", float64(p)/100) }}
	n := Slider{Label: language.Say("n_j, samples per batch"), Min: 1, Max: 30, Value: 13}
	return Interact([]Slider{alpha, n}, func(p []int) ([]byte, error) {
		return Follow{Alpha: float64(p[0]) / 100, N: p[1], Steps: steps}.Picture()
	})
}
