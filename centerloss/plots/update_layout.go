package plots

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// stepLayout is where PNG puts things on the canvas, in points.
type stepLayout struct {
	plot   draw.Canvas  // what the plot is drawn in: the canvas less the legend's column
	legend vg.Rectangle // the legend's framed box
	data   vg.Rectangle // the data area
}

// layout splits c into the plot and the legend's column on its right, and
// sets p's limits to s.limits() with the axis that has the smaller data span
// per point widened about its middle, so that both have one scale. The data
// area depends a little on the limits (through the tick labels' width), so the
// fit is done three times over.
func (s CenterStep) layout(c draw.Canvas, p *plot.Plot, leg *stepLegend) stepLayout {
	w, h := leg.size()
	gap := vg.Points(legendInset)
	l := stepLayout{plot: c}
	beside := c.Max.X-c.Min.X > 2.5*(w+gap)
	if beside {
		l.plot.Max.X -= w + gap
	}
	want := s.limits()
	lim := want
	for range 3 {
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = lim.XMin, lim.XMax, lim.YMin, lim.YMax
		da := p.DataCanvas(l.plot)
		lim = sameScale(want, float64(da.Max.X-da.Min.X), float64(da.Max.Y-da.Min.Y))
	}
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = lim.XMin, lim.XMax, lim.YMin, lim.YMax
	l.data = p.DataCanvas(l.plot).Rectangle
	if beside {
		x := l.plot.Max.X + gap
		l.legend = vg.Rectangle{Min: vg.Point{X: x, Y: l.data.Max.Y - h}, Max: vg.Point{X: x + w, Y: l.data.Max.Y}}
	} else {
		inset := vg.Points(legendInset)
		l.legend = vg.Rectangle{Min: vg.Point{X: l.data.Max.X - inset - w, Y: l.data.Max.Y - inset - h},
			Max: vg.Point{X: l.data.Max.X - inset, Y: l.data.Max.Y - inset}}
	}
	return l
}

// sameScale widens the x or the y range of lim about its middle, whichever
// has fewer data units per point on a data area w x h points, so that both
// have the same.
func sameScale(lim Limits, w, h float64) Limits {
	if w <= 0 || h <= 0 {
		return lim
	}
	perX, perY := (lim.XMax-lim.XMin)/w, (lim.YMax-lim.YMin)/h
	if perX < perY {
		mid, half := (lim.XMin+lim.XMax)/2, perY*w/2
		lim.XMin, lim.XMax = mid-half, mid+half
	} else {
		mid, half := (lim.YMin+lim.YMax)/2, perX*h/2
		lim.YMin, lim.YMax = mid-half, mid+half
	}
	return lim
}
