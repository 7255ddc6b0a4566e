package bench

import (
	"fmt"
	"math"
	"math/rand"
	"runtime"
	"slices"
	"time"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/xlabackend"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// The center loss and its Eq. 4 update timed as the number of classes K grows, the one-hot way
// (UpdateCentersOneHot, O(batch·K·d)) against the library's gather and scatter (centerloss.UpdateCenters,
// O(batch·d + batch²)): what centerloss-scaling reports, and lesson 3 shows.

// ScalingConfig is what one run measures.
type ScalingConfig struct {
	Classes      []int
	Dim, Batch   int
	Reps, Warmup int
	Alpha        float64
	Seed         int64
}

// DefaultScalingConfig is centerloss-scaling's: the face-recognition sizes (d = 512, batch 256) up to 100,000
// classes.
func DefaultScalingConfig() ScalingConfig {
	return ScalingConfig{Classes: []int{10, 1000, 10000, 100000}, Dim: 512, Batch: 256, Reps: 20, Warmup: 2, Alpha: 0.5,
		Seed: 2016}
}

// way is one of the timed graphs.
type way struct {
	name     string
	exec     *graph.Exec
	feedBack bool            // its second output is the next call's centers
	donates  bool            // … donated to the call
	centers  *tensors.Tensor // the centers of its next call
	ms       []float64       // the timed calls
	inPlace  int             // donated calls whose output was their input's memory
	checked  int             // donated calls whose memory could be compared
}

func newWays(backend compute.Backend, alpha float64) ([]*way, error) {
	loss := centerloss.CenterLoss
	newStep := func(x, y, c *graph.Node) (*graph.Node, *graph.Node) {
		return loss(x, y, c), centerloss.UpdateCenters(x, y, c, alpha)
	}
	steps := []struct {
		name    string
		fn      func(x, y, c *graph.Node) (*graph.Node, *graph.Node)
		donates bool
	}{
		{"old", func(x, y, c *graph.Node) (*graph.Node, *graph.Node) {
			return loss(x, y, c), UpdateCentersOneHot(x, y, c, alpha)
		},
			true},
		{"new", newStep, true},
		{"new_not_donated", newStep, false},
	}
	var ways []*way
	for _, step := range steps {
		exec, err := graph.NewExec(backend, step.fn)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", step.name, err)
		}
		ways = append(ways, &way{name: step.name, exec: exec.WithName("scaling_" + step.name), feedBack: true,
			donates: step.donates})
	}
	exec, err := graph.NewExec(backend, loss)
	if err != nil {
		return nil, fmt.Errorf("loss only: %w", err)
	}
	// The order of the lockstep: old, new, loss only, new not donated.
	return []*way{ways[0], ways[1], {name: "loss only", exec: exec.WithName("scaling_loss_only")}, ways[2]}, nil
}

// call runs the way once on features and labels, feeding back (and donating) its centers, and returns how long it
// took, until its loss was on the host.
func (w *way) call(backend compute.Backend, features, labels *tensors.Tensor, donate bool) (time.Duration, error) {
	donate = donate && w.donates
	var centers any = w.centers
	before, known := uintptr(0), false
	if donate {
		before, known = xlabackend.DataAddress(backend, w.centers)
		var err error
		if centers, err = graph.DonateTensorBuffer(w.centers, backend, 0); err != nil {
			return 0, fmt.Errorf("%s: donating the centers: %w", w.name, err)
		}
	}
	start := time.Now()
	outputs, err := w.exec.Call(features, labels, centers)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", w.name, err)
	}
	loss := tensors.ToScalar[float32](outputs[0]) // waits for the execution
	elapsed := time.Since(start)
	if math.IsNaN(float64(loss)) || math.IsInf(float64(loss), 0) {
		return 0, fmt.Errorf("%s: loss %v", w.name, loss)
	}
	outputs[0].MustFinalizeAll()
	if w.feedBack {
		if !donate {
			w.centers.MustFinalizeAll()
		}
		w.centers = outputs[1]
	}
	if known {
		if after, ok := xlabackend.DataAddress(backend, w.centers); ok {
			w.checked++
			if after == before {
				w.inPlace++
			}
		}
	}
	return elapsed, nil
}

// ScalingRow is the measurement of one K.
type ScalingRow struct {
	K                              int
	Old, New, LossOnly, NotDonated []float64 // milliseconds, one per timed call
	InPlace, Checked               int       // the new way's donated calls in place, of those compared
	MaxDiff                        float64   // max |old − new| over the centers after the first step
	CentersMiB                     float64
	GoCopyReusedMs, GoCopyFreshMs  float64 // memory reference: copying the centers in Go
}

// MeasureScaling times the four ways at K classes.
func MeasureScaling(backend compute.Backend, cfg ScalingConfig, K int) (ScalingRow, error) {
	r := ScalingRow{K: K, CentersMiB: float64(K*cfg.Dim*4) / (1 << 20)}
	rng := rand.New(rand.NewSource(cfg.Seed + int64(K)))
	featuresFlat := normals(rng, cfg.Batch*cfg.Dim, 3)
	labelsFlat := make([]int32, cfg.Batch)
	for i := range labelsFlat {
		labelsFlat[i] = int32(rng.Intn(K))
	}
	centersFlat := normals(rng, K*cfg.Dim, 1)
	features := tensors.FromFlatDataAndDimensions(featuresFlat, cfg.Batch, cfg.Dim)
	labels := tensors.FromFlatDataAndDimensions(labelsFlat, cfg.Batch)
	defer features.MustFinalizeAll()
	defer labels.MustFinalizeAll()

	ways, err := newWays(backend, cfg.Alpha)
	if err != nil {
		return r, err
	}
	defer func() {
		for _, w := range ways {
			if w.centers != nil && w.centers.Ok() {
				w.centers.MustFinalizeAll()
			}
			w.exec.Finalize()
		}
	}()
	// The first call compiles, from the same centers for every way, and is not donated (its input is a Go tensor).
	for _, w := range ways {
		w.centers = tensors.FromFlatDataAndDimensions(centersFlat, K, cfg.Dim)
		if _, err := w.call(backend, features, labels, false); err != nil {
			return r, err
		}
	}
	oldCenters := tensors.MustCopyFlatData[float32](ways[0].centers)
	newCenters := tensors.MustCopyFlatData[float32](ways[1].centers)
	r.MaxDiff = maxAbsDiff(oldCenters, newCenters)
	oldCenters, newCenters = nil, nil
	r.GoCopyReusedMs, r.GoCopyFreshMs = goCopyReference(centersFlat)

	for range cfg.Warmup {
		for _, w := range ways {
			if _, err := w.call(backend, features, labels, true); err != nil {
				return r, err
			}
		}
	}
	for range cfg.Reps {
		for _, w := range ways {
			elapsed, err := w.call(backend, features, labels, true)
			if err != nil {
				return r, err
			}
			w.ms = append(w.ms, float64(elapsed.Nanoseconds())/1e6)
		}
	}
	r.Old, r.New, r.LossOnly, r.NotDonated = ways[0].ms, ways[1].ms, ways[2].ms, ways[3].ms
	r.InPlace, r.Checked = ways[1].inPlace, ways[1].checked
	return r, nil
}

// goCopyReference times copying the centers in Go, into a buffer already touched and into a fresh one (whose
// pages the kernel must first map and zero): the bandwidth the K·d write of an update that is not in place costs.
func goCopyReference(centers []float32) (reusedMs, freshMs float64) {
	const n = 3
	dst := make([]float32, len(centers))
	copy(dst, centers)
	var reused, fresh []float64
	for range n {
		start := time.Now()
		copy(dst, centers)
		reused = append(reused, float64(time.Since(start).Nanoseconds())/1e6)
		start = time.Now()
		fresh1 := make([]float32, len(centers))
		copy(fresh1, centers)
		fresh = append(fresh, float64(time.Since(start).Nanoseconds())/1e6)
		runtime.KeepAlive(fresh1)
	}
	return Median(reused), Median(fresh)
}

// PairedRatio is the Median of the ratios a_i / b_i of calls made side by side.
func PairedRatio(a, b []float64) float64 {
	n := min(len(a), len(b))
	if n == 0 {
		return math.NaN()
	}
	ratios := make([]float64, n)
	for i := range n {
		ratios[i] = a[i] / b[i]
	}
	return Median(ratios)
}

func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func maxAbsDiff(a, b []float32) float64 {
	var m float64
	for i := range a {
		m = max(m, math.Abs(float64(a[i])-float64(b[i])))
	}
	return m
}

func normals(rng *rand.Rand, n int, scale float64) []float32 {
	xs := make([]float32, n)
	for i := range xs {
		xs[i] = float32(rng.NormFloat64() * scale)
	}
	return xs
}
