package plots

import (
	"image/color"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// thumbFunc is a legend thumbnail drawn by a function.
type thumbFunc func(c *draw.Canvas)

// Thumbnail implements plot.Thumbnailer.
func (f thumbFunc) Thumbnail(c *draw.Canvas) { f(c) }

// stepLegend is the CenterStep's legend, one row per entry: a thumbnail and
// its name, in the framed box of the other pictures' legends. Its own,
// because the names are mathText.
type stepLegend struct {
	names  []mathText
	thumbs []thumbFunc
	// reserve is a name the box is at least as wide as: the step's with the widest α a slider gives (3 decimals;
	// the font's digits are all one width), so that the plot beside the legend keeps its width as α moves.
	reserve mathText
}

// add appends a row: names and thumbs stay one entry each per row.
func (l *stepLegend) add(name mathText, thumb thumbFunc) {
	l.names, l.thumbs = append(l.names, name), append(l.thumbs, thumb)
}

// size returns the framed box's width and height.
func (l *stepLegend) size() (w, h vg.Length) {
	textW := l.reserve.width(stepLegendPt)
	for _, n := range l.names {
		textW = max(textW, n.width(stepLegendPt))
	}
	row := mathText("").height(stepLegendPt)
	m := 2 * vg.Points(legendMargin)
	return vg.Points(legendThumb) + vg.Points(stepLegendPt)/3 + textW + m, vg.Length(len(l.names))*row + m
}

// draw draws the legend in the box r of c.
func (l *stepLegend) draw(c draw.Canvas, r vg.Rectangle) {
	inner := legendFrame(c, r)
	row := mathText("").height(stepLegendPt)
	for i, name := range l.names {
		top := inner.Max.Y - vg.Length(i)*row
		thumb := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: inner.Min.X, Y: top - row},
			Max: vg.Point{X: inner.Min.X + vg.Points(legendThumb), Y: top},
		}}
		l.thumbs[i](&thumb)
		x := inner.Min.X + vg.Points(legendThumb) + vg.Points(stepLegendPt)/3
		name.draw(&c, vg.Point{X: x, Y: top - row + name.depth(stepLegendPt)}, stepLegendPt, color.Black)
	}
}
