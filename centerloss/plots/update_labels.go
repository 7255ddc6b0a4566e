package plots

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// stepLabel is a text naming the point at, placed in box.
type stepLabel struct {
	text mathText
	at   vg.Point
	box  vg.Rectangle
	// leader, when set, is a thin line from the point's marker to the box: a label that arrows pushed further
	// than stepLeaderAfter from its point would otherwise look like its neighbour's.
	leader *[2]vg.Point
}

// placeLabels names the features x₁…xₙ (up to stepMaxLabels of them) and the
// mean x̄, each in the first of the places around its point (labelPlaces)
// that is inside the data area and clear of every arrow, marker
// and label placed before it (the fewest of them if none is), trying first
// the side away from the old center: a feature's own arrow leaves it towards
// the center, and the step points from the center towards the mean.
func (d *centerStepDrawing) placeLabels(c draw.Canvas, sc stepScene) []stepLabel {
	type named struct {
		text  mathText
		at    vg.Point
		clear vg.Length // radius of its marker
	}
	var todo []named
	if len(sc.features) <= stepMaxLabels {
		for i, f := range sc.features {
			todo = append(todo, named{mathText(fmt.Sprintf("x_%d", i+1)), f, vg.Points(stepDotRadius)})
		}
	}
	if sc.mean != nil {
		todo = append(todo, named{`\bar{x}`, *sc.mean, vg.Points(stepMeanRadius)})
	}
	obstacles := sc.obstacles()
	var placed []stepLabel
	for _, n := range todo {
		if !c.Contains(n.at) {
			continue
		}
		size := vg.Point{X: n.text.width(stepLabelPt), Y: n.text.height(stepLabelPt)}
		best, bestHits := vg.Rectangle{}, math.MaxInt
		for _, box := range labelPlaces(n.at, sc.old, n.clear+vg.Points(2), size) {
			hits := obstacles.hits(box)
			if box.Min.X < c.Min.X || box.Max.X > c.Max.X || box.Min.Y < c.Min.Y || box.Max.Y > c.Max.Y {
				hits += 1000 // outside the data area: a last resort
			}
			if hits < bestHits {
				best, bestHits = box, hits
			}
			if hits == 0 {
				break
			}
		}
		l := stepLabel{text: n.text, at: n.at, box: best}
		near := vg.Point{X: min(max(n.at.X, best.Min.X), best.Max.X), Y: min(max(n.at.Y, best.Min.Y), best.Max.Y)}
		far := length(vg.Point{X: near.X - n.at.X, Y: near.Y - n.at.Y}) > n.clear+vg.Points(stepLeaderAfter)
		if from, to, ok := shorten(n.at, near, n.clear+vg.Points(1), vg.Points(1)); ok && far {
			l.leader = &[2]vg.Point{from, to}
		}
		placed = append(placed, l)
		obstacles.boxes = append(obstacles.boxes, best)
	}
	return placed
}

// labelPlaces returns the boxes of the given size around at, gap from it, in
// 24 directions, those nearest the direction away from center first; then the
// same further and further out (up to 20 points more), so that a label
// crowded by arrows sits as near its point as it can.
func labelPlaces(at, center vg.Point, gap vg.Length, size vg.Point) []vg.Rectangle {
	away := math.Atan2(float64(at.Y-center.Y), float64(at.X-center.X))
	if at == center {
		away = math.Pi / 4 // top right
	}
	const directions = 24
	angles := make([]float64, directions)
	for k := range angles {
		angles[k] = float64(k) * 2 * math.Pi / directions
	}
	turn := func(a float64) float64 { return math.Abs(math.Remainder(a-away, 2*math.Pi)) }
	sort.SliceStable(angles, func(i, j int) bool { return turn(angles[i]) < turn(angles[j]) })
	hw, hh := float64(size.X)/2, float64(size.Y)/2
	var boxes []vg.Rectangle
	for _, more := range []float64{0, 3, 6, 9, 12, 16, 20} {
		ring := gap + vg.Points(more)
		for _, a := range angles {
			ux, uy := math.Cos(a), math.Sin(a)
			// The box's center, so far along (ux, uy) that its edge is ring from at.
			d := float64(ring) + math.Abs(ux)*hw + math.Abs(uy)*hh
			cx, cy := float64(at.X)+ux*d, float64(at.Y)+uy*d
			boxes = append(boxes, vg.Rectangle{
				Min: vg.Point{X: vg.Length(cx - hw), Y: vg.Length(cy - hh)},
				Max: vg.Point{X: vg.Length(cx + hw), Y: vg.Length(cy + hh)},
			})
		}
	}
	return boxes
}

// stepObstacles is what a label must keep off, in points.
type stepObstacles struct {
	segments []stepSegment
	discs    []stepDisc
	boxes    []vg.Rectangle
}

// stepSegment is an arrow's shaft as a label sees it: the line from → to, fattened by pad on each side.
type stepSegment struct {
	from, to vg.Point
	pad      vg.Length // half the line's (or its head's) width, and a little air
}

// stepDisc is a marker as a label sees it: the disc of radius r about at.
type stepDisc struct {
	at vg.Point
	r  vg.Length
}

// obstacles returns what the labels of sc must keep off: its len(thin) arrows
// and the step (padded by half their heads' width), its len(features) dots,
// the mean's diamond and both centers, each with a point of air; the labels'
// own boxes are added as placeLabels places them.
func (sc stepScene) obstacles() *stepObstacles {
	o := &stepObstacles{}
	air := vg.Points(1)
	for _, a := range sc.thin {
		o.segments = append(o.segments, stepSegment{a[0], a[1], 0.4*vg.Points(stepThinHead) + air})
	}
	if sc.move != nil {
		o.segments = append(o.segments, stepSegment{sc.move[0], sc.move[1], 0.4*vg.Points(stepMoveHead) + air})
	}
	for _, f := range sc.features {
		o.discs = append(o.discs, stepDisc{f, vg.Points(stepDotRadius) + air})
	}
	if sc.mean != nil {
		o.discs = append(o.discs, stepDisc{*sc.mean, vg.Points(stepMeanRadius) + air})
	}
	o.discs = append(o.discs, stepDisc{sc.old, vg.Points(centerRadius) + air}, stepDisc{sc.next, vg.Points(centerRadius) + air})
	return o
}

// hits counts the obstacles that box r touches.
func (o *stepObstacles) hits(r vg.Rectangle) int {
	n := 0
	for _, s := range o.segments {
		if segmentHitsBox(s.from, s.to, grow(r, s.pad)) {
			n++
		}
	}
	for _, d := range o.discs {
		x := min(max(d.at.X, r.Min.X), r.Max.X) // the box's nearest point to the disc's center
		y := min(max(d.at.Y, r.Min.Y), r.Max.Y)
		if math.Hypot(float64(x-d.at.X), float64(y-d.at.Y)) < float64(d.r) {
			n++
		}
	}
	for _, b := range o.boxes {
		g := grow(b, vg.Points(1))
		if r.Min.X < g.Max.X && g.Min.X < r.Max.X && r.Min.Y < g.Max.Y && g.Min.Y < r.Max.Y {
			n++
		}
	}
	return n
}

// grow returns r widened by by on all four sides, so that a line's width (or a
// label's air) counts as part of what it touches.
func grow(r vg.Rectangle, by vg.Length) vg.Rectangle {
	return vg.Rectangle{Min: vg.Point{X: r.Min.X - by, Y: r.Min.Y - by}, Max: vg.Point{X: r.Max.X + by, Y: r.Max.Y + by}}
}

// segmentHitsBox reports whether the segment a–b passes through r (Liang–Barsky clipping: what is left of the
// segment's parameter range [0, 1] inside all four sides).
func segmentHitsBox(a, b vg.Point, r vg.Rectangle) bool {
	t0, t1 := 0.0, 1.0
	dx, dy := float64(b.X-a.X), float64(b.Y-a.Y)
	for _, side := range [4][2]float64{
		{-dx, float64(a.X - r.Min.X)}, {dx, float64(r.Max.X - a.X)},
		{-dy, float64(a.Y - r.Min.Y)}, {dy, float64(r.Max.Y - a.Y)},
	} {
		p, q := side[0], side[1]
		if p == 0 {
			if q < 0 {
				return false // parallel to this side and outside it
			}
			continue
		}
		t := q / p
		if p < 0 {
			t0 = max(t0, t)
		} else {
			t1 = min(t1, t)
		}
		if t0 > t1 {
			return false
		}
	}
	return true
}
