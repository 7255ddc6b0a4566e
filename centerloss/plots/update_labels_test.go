package plots

import (
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/plot/vg"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// labelClear reports what label box r (points) touches in scene sc, by
// sampling every arrow at a quarter point: "" when nothing.
func labelClear(sc stepScene, r vg.Rectangle, others []vg.Rectangle) string {
	dist := func(p vg.Point) float64 { // from p to the box, 0 inside
		dx := math.Max(0, math.Max(float64(r.Min.X-p.X), float64(p.X-r.Max.X)))
		dy := math.Max(0, math.Max(float64(r.Min.Y-p.Y), float64(p.Y-r.Max.Y)))
		return math.Hypot(dx, dy)
	}
	segment := func(a, b vg.Point, halfWidth float64) bool {
		l := math.Hypot(float64(b.X-a.X), float64(b.Y-a.Y))
		for t := 0.0; t <= l; t += 0.25 {
			p := vg.Point{X: a.X + (b.X-a.X)*vg.Length(t/l), Y: a.Y + (b.Y-a.Y)*vg.Length(t/l)}
			if dist(p) < halfWidth {
				return true
			}
		}
		return false
	}
	for i, a := range sc.thin {
		if segment(a[0], a[1], 0.4*stepThinHead) {
			return fmt.Sprintf("arrow %d", i)
		}
	}
	if sc.move != nil && segment(sc.move[0], sc.move[1], 0.4*stepMoveHead) {
		return "the step"
	}
	for i, f := range sc.features {
		if dist(f) < stepDotRadius {
			return fmt.Sprintf("feature %d", i)
		}
	}
	if sc.mean != nil && dist(*sc.mean) < stepMeanRadius {
		return "the mean"
	}
	if dist(sc.old) < centerRadius || dist(sc.next) < centerRadius {
		return "a center"
	}
	for _, o := range others {
		if o != r && r.Min.X < o.Max.X && o.Min.X < r.Max.X && r.Min.Y < o.Max.Y && o.Min.Y < r.Max.Y {
			return "another label"
		}
	}
	return ""
}

func TestCenterStepLabelsClearOfEverything(t *testing.T) {
	// The theory notebook's example: its mean (2, 2) is x_4, so two labels want one place.
	worked := [][2]float64{{2, 1}, {3, 2}, {1, 3}, {2, 2}}
	s := NewCenterStep("", worked, [2]float64{0, 0}, 0.5)
	const w, h = 760, 560
	img := decode(t, must(s.PNG(w, h)))
	g := replayStep(t, s, w, h)
	var texts []mathText
	var boxes []vg.Rectangle
	for _, l := range g.scene.labels {
		texts, boxes = append(texts, l.text), append(boxes, l.box)
	}
	require.Equal(t, []mathText{"x_1", "x_2", "x_3", "x_4", `\bar{x}`}, texts)
	da := g.layout.data
	for i, b := range boxes {
		assert.Empty(t, labelClear(g.scene, b, boxes), "label %s", texts[i])
		assert.True(t, b.Min.X >= da.Min.X && b.Max.X <= da.Max.X && b.Min.Y >= da.Min.Y && b.Max.Y <= da.Max.Y, "label %s in the data area", texts[i])
		x0, y0 := g.ptPx(b.Min)
		x1, y1 := g.ptPx(b.Max)
		assert.Positive(t, countDark(img, image.Rect(int(x0), int(y1), int(x1), int(y0))), "label %s drawn", texts[i])
	}

	// A slider's frames: four features anywhere in [−5, 5]², α from 0.05 to 1, on fixed limits.
	rng := rand.New(rand.NewPCG(3, 4))
	lim := &Limits{XMin: -6, XMax: 6, YMin: -6, YMax: 6}
	for frame := range 200 {
		f := make([][2]float64, 4)
		for i := range f {
			f[i] = [2]float64{10*rng.Float64() - 5, 10*rng.Float64() - 5}
		}
		s := NewCenterStep("", f, [2]float64{10*rng.Float64() - 5, 10*rng.Float64() - 5}, 0.05+0.95*rng.Float64())
		s.Limits = lim
		g := replayStep(t, s, w, h)
		var boxes []vg.Rectangle
		for _, l := range g.scene.labels {
			boxes = append(boxes, l.box)
		}
		for i, b := range boxes {
			assert.Empty(t, labelClear(g.scene, b, boxes), "frame %d (%v, c = %v): label %s", frame, f, s.OldCenter, g.scene.labels[i].text)
		}
	}
}
