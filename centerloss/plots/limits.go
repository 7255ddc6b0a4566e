package plots

import (
	"math"
	"slices"
)

// Percentiles of each class's features that FrameLimits keeps in view: all but its outermost 0.5 % on each side,
// so that one stray feature (early training throws a few far out) does not shrink every frame's clusters to a dot.
// Taken per class, they never cut a cluster that lies at the edge of the picture by more than a few of its points.
const (
	FrameLowPercentile  = 0.5
	FrameHighPercentile = 99.5
)

// FrameLimits returns the axes shared by all frames of an animation, so that motion on screen is motion in the
// embedding (axes that followed each frame would make a growing cluster look still): on each axis, the union over
// the classes of the range from the FrameLowPercentile to the FrameHighPercentile of the class's features in every
// frame, widened to take in every class center (the few points the animation follows), then made square and
// widened by autoMargin on each side like the single plot's automatic limits.
func FrameLimits(frames []Embedding) Limits {
	xs, ys := map[int][]float64{}, map[int][]float64{}
	for _, f := range frames {
		for i, p := range f.Features {
			class := 0
			if i < len(f.Labels) {
				class = f.Labels[i]
			}
			xs[class], ys[class] = append(xs[class], float64(p[0])), append(ys[class], float64(p[1]))
		}
	}
	box := Limits{XMin: math.Inf(1), XMax: math.Inf(-1), YMin: math.Inf(1), YMax: math.Inf(-1)}
	for class := range xs {
		xlo, xhi := percentileRange(xs[class], FrameLowPercentile, FrameHighPercentile)
		ylo, yhi := percentileRange(ys[class], FrameLowPercentile, FrameHighPercentile)
		box.XMin, box.XMax = math.Min(box.XMin, xlo), math.Max(box.XMax, xhi)
		box.YMin, box.YMax = math.Min(box.YMin, ylo), math.Max(box.YMax, yhi)
	}
	var centers [][2]float32
	for _, f := range frames {
		centers = append(centers, f.Centers...)
	}
	// The hull of the percentile box and the centers, squared and widened by the single plot's own rule.
	hull := Embedding{Features: append(centers,
		[2]float32{float32(box.XMin), float32(box.YMin)}, [2]float32{float32(box.XMax), float32(box.YMax)})}
	if len(xs) == 0 {
		hull.Features = centers
	}
	return hull.limits()
}

// percentileRange returns the lo-th and hi-th percentiles of values (sorted in place), interpolating linearly
// between the two nearest ranks (numpy's default): of 0, 1, …, 100, the 0.5th percentile is 0.5.
func percentileRange(values []float64, lo, hi float64) (float64, float64) {
	slices.Sort(values)
	at := func(p float64) float64 {
		pos := p / 100 * float64(len(values)-1)
		i := int(pos)
		if i >= len(values)-1 {
			return values[len(values)-1]
		}
		return values[i] + (pos-float64(i))*(values[i+1]-values[i])
	}
	return at(lo), at(hi)
}
