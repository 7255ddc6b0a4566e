package plots

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Series is one curve: Y against X (e.g. the training loss against the step).
type Series struct {
	Name string    // legend entry; "" for none
	X, Y []float64 // [n] each, n >= 1
}

// Look of a curves plot, in points.
const (
	curveWidth    = 1.5
	curveDot      = 2.2  // radius of the dots marking the points of a short series
	curveMaxDots  = 30   // series with at most this many points get dots (per-epoch metrics), longer ones (per-step) do not
	curveYMargin  = 0.04 // fraction of the y span added above and below, so no curve runs along the frame
	legendSamples = 4000 // about how many points of each curve the legend placement looks at
)

// Curves draws series as lines, one colour each (ClassColor(i) for series i),
// with a legend, into a widthPx x heightPx PNG (for training curves: losses,
// accuracies against steps or epochs).
func Curves(title, xLabel, yLabel string, series []Series, widthPx, heightPx int) ([]byte, error) {
	return curves(title, xLabel, yLabel, series, widthPx, heightPx, false)
}

// CurvesLogY is Curves with a logarithmic y axis (losses that fall over
// decades); every Y must be > 0.
func CurvesLogY(title, xLabel, yLabel string, series []Series, widthPx, heightPx int) ([]byte, error) {
	return curves(title, xLabel, yLabel, series, widthPx, heightPx, true)
}

func curves(title, xLabel, yLabel string, series []Series, widthPx, heightPx int, logY bool) ([]byte, error) {
	p, _, err := curvesPlot(title, xLabel, yLabel, series, logY, 0)
	if err != nil {
		return nil, err
	}
	return plotPNG(p, widthPx, heightPx)
}

// Panel is one plot of CurvesPanels, with its own title, axes and series.
type Panel struct {
	Title, XLabel, YLabel string
	Series                []Series
	LogY                  bool // a logarithmic y axis (every Y > 0)
}

// panelGap is the space between two panels, points.
const panelGap = 12

// CurvesPanels draws panels side by side, left to right, into one widthPx x heightPx PNG, each with its own y
// axis: curves of different scales (a softmax loss falling from 2.3 to 0.05 beside a center loss of a few
// hundredths) would, on one axis, be one curve and a flat line. The colours run on from panel to panel
// (ClassColor(k) for the k-th series of all), so that each curve keeps its own.
func CurvesPanels(panels []Panel, widthPx, heightPx int) ([]byte, error) {
	ps, err := panelPlots(panels)
	if err != nil {
		return nil, err
	}
	c, err := renderWith(widthPx, heightPx, func(dc draw.Canvas) {
		for i, tile := range panelCanvases(dc, len(ps)) {
			ps[i].Draw(tile)
		}
	})
	if err != nil {
		return nil, err
	}
	return encodeCanvas(c)
}

// panelPlots builds the panels' plots and legends.
func panelPlots(panels []Panel) ([]*plot.Plot, error) {
	if len(panels) == 0 {
		return nil, fmt.Errorf("plots: no panels to plot")
	}
	var ps []*plot.Plot
	colour := 0
	for i, panel := range panels {
		p, _, err := curvesPlot(panel.Title, panel.XLabel, panel.YLabel, panel.Series, panel.LogY, colour)
		if err != nil {
			return nil, fmt.Errorf("plots: panel %d (%q): %s", i, panel.Title, strings.TrimPrefix(err.Error(), "plots: "))
		}
		ps = append(ps, p)
		colour += len(panel.Series)
	}
	return ps, nil
}

// panelCanvases splits c into n side-by-side columns, panelGap apart.
func panelCanvases(c draw.Canvas, n int) []draw.Canvas {
	tiles := draw.Tiles{Rows: 1, Cols: n, PadX: vg.Points(panelGap)}
	out := make([]draw.Canvas, n)
	for i := range out {
		out[i] = tiles.At(c, i, 0)
	}
	return out
}

// plotPNG renders p and encodes it.
func plotPNG(p *plot.Plot, widthPx, heightPx int) ([]byte, error) {
	c, err := render(p, widthPx, heightPx)
	if err != nil {
		return nil, err
	}
	return encodeCanvas(c)
}

// encodeCanvas encodes a rendered canvas as PNG.
func encodeCanvas(c *vgimg.Canvas) ([]byte, error) {
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("plots: encoding PNG: %w", err)
	}
	return buf.Bytes(), nil
}

func validateSeries(series []Series, logY bool) error {
	if len(series) == 0 {
		return fmt.Errorf("plots: no series to plot")
	}
	for k, s := range series {
		if len(s.X) != len(s.Y) {
			return fmt.Errorf("plots: series %d (%q) has %d x but %d y values; they must have the same length", k, s.Name, len(s.X), len(s.Y))
		}
		if len(s.X) == 0 {
			return fmt.Errorf("plots: series %d (%q) is empty", k, s.Name)
		}
		for i := range s.X {
			x, y := s.X[i], s.Y[i]
			if math.IsNaN(x) || math.IsInf(x, 0) || math.IsNaN(y) || math.IsInf(y, 0) {
				return fmt.Errorf("plots: series %d (%q) point %d is not finite: (%v, %v)", k, s.Name, i, x, y)
			}
			if logY && y <= 0 {
				return fmt.Errorf("plots: series %d (%q) point %d has y = %v, but a log y axis needs y > 0", k, s.Name, i, y)
			}
		}
	}
	return nil
}

// curvesPlot builds the plot and its legend (for tests, which replay the layout); series k is drawn in
// ClassColor(firstColour + k).
func curvesPlot(title, xLabel, yLabel string, series []Series, logY bool, firstColour int) (*plot.Plot, *thumbLegend, error) {
	if err := validateSeries(series, logY); err != nil {
		return nil, nil, err
	}
	p := newPlot()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(plot.DefaultFont, 13)
	p.Title.Padding = vg.Points(8)
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel

	grid := plotter.NewGrid()
	grid.Vertical.Color = color.Gray{Y: 0xe4}
	grid.Horizontal.Color = color.Gray{Y: 0xe4}
	p.Add(grid)

	leg := &thumbLegend{place: &legendBox{style: p.Legend.TextStyle}}
	leg.place.style.Font = font.From(plot.DefaultFont, 11)
	for k, s := range series {
		xys := make(plotter.XYs, len(s.X))
		for i := range xys {
			xys[i] = plotter.XY{X: s.X[i], Y: s.Y[i]}
		}
		line, err := plotter.NewLine(xys)
		if err != nil {
			return nil, nil, fmt.Errorf("plots: series %d (%q): %w", k, s.Name, err)
		}
		line.Color = classRGBA(firstColour + k)
		line.Width = vg.Points(curveWidth)
		p.Add(line)
		thumbs := []plot.Thumbnailer{line}
		if len(xys) <= curveMaxDots {
			dots, err := plotter.NewScatter(xys)
			if err != nil {
				return nil, nil, fmt.Errorf("plots: series %d (%q): %w", k, s.Name, err)
			}
			dots.GlyphStyle = draw.GlyphStyle{Color: classRGBA(firstColour + k), Radius: vg.Points(curveDot), Shape: draw.CircleGlyph{}}
			p.Add(dots)
			thumbs = append(thumbs, dots)
		}
		if s.Name != "" { // unnamed series stay out of the legend
			leg.add(s.Name, thumbs...)
		}
	}
	setYRange(p, series, logY)
	for _, s := range series {
		leg.place.features = append(leg.place.features, curveSamples(s, logY)...)
	}
	p.Add(leg)
	return p, leg, nil
}

// setYRange widens the y range by curveYMargin on both sides, in the axis's
// own (linear or logarithmic) space, and sets the log scale and its ticks.
func setYRange(p *plot.Plot, series []Series, logY bool) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range series {
		for _, y := range s.Y {
			lo, hi = math.Min(lo, y), math.Max(hi, y)
		}
	}
	if !logY {
		if lo == hi { // gonum widens a flat range by ±1 itself
			return
		}
		m := curveYMargin * (hi - lo)
		p.Y.Min, p.Y.Max = lo-m, hi+m
		return
	}
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = logTicks{}
	if lo == hi { // a flat curve: half a decade around it
		p.Y.Min, p.Y.Max = lo/math.Sqrt(10), hi*math.Sqrt(10)
		return
	}
	m := math.Pow(hi/lo, curveYMargin)
	p.Y.Min, p.Y.Max = lo/m, hi*m
}

// logTicks marks a log axis at 1·10^k, labelled, and 2..9·10^k. When that
// gives fewer than three labels (less than about three decades) it labels 2
// and 5 too, then all of them, and for a range with fewer than two of those
// (within a tenth of a decade) it falls back to linear ticks; gonum's
// LogTicks leaves such ranges with one label or none.
type logTicks struct{}

// Ticks implements plot.Ticker.
func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	labelSets := [][]int{{1}, {1, 2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9}}
	for i, labelled := range labelSets {
		var ticks []plot.Tick
		numLabels := 0
		for k := int(math.Floor(math.Log10(lo))); k <= int(math.Ceil(math.Log10(hi))); k++ {
			for m := 1; m <= 9; m++ {
				// Parsed from decimal, so that 3·10⁻¹ is 0.3, not 0.30000000000000004.
				v, _ := strconv.ParseFloat(fmt.Sprintf("%de%d", m, k), 64)
				if v < lo || v > hi {
					continue
				}
				t := plot.Tick{Value: v}
				if slices.Contains(labelled, m) {
					t.Label = strconv.FormatFloat(v, 'g', -1, 64)
					numLabels++
				}
				ticks = append(ticks, t)
			}
		}
		if numLabels >= 3 || (i == len(labelSets)-1 && numLabels == 2) {
			return ticks
		}
	}
	return plot.DefaultTicks{}.Ticks(lo, hi)
}

// curveSamples returns points along the curve s as drawn (straight in the
// axis's space between data points, so geometric in y on a log axis), for
// the legend placement to avoid: data points alone would let the legend
// cover the line between two distant epochs.
func curveSamples(s Series, logY bool) [][2]float32 {
	steps := max(1, min(16, legendSamples/len(s.X)))
	out := make([][2]float32, 0, len(s.X)*steps)
	for i := range s.X {
		if i == len(s.X)-1 {
			out = append(out, [2]float32{float32(s.X[i]), float32(s.Y[i])})
			break
		}
		for j := range steps {
			t := float64(j) / float64(steps)
			x := s.X[i] + t*(s.X[i+1]-s.X[i])
			y := s.Y[i] + t*(s.Y[i+1]-s.Y[i])
			if logY {
				y = s.Y[i] * math.Pow(s.Y[i+1]/s.Y[i], t)
			}
			out = append(out, [2]float32{float32(x), float32(y)})
		}
	}
	return out
}

// thumbLegend is a legend with any thumbnails (lines, markers, arrows) in the
// framed box of the Embedding's legend, placed the same way: in the corner of
// the data area that covers the fewest of place.features (and of
// place.centers, which count much more). Its entries have the same size as
// legendBox's, so legendBox computes the box.
type thumbLegend struct {
	place  *legendBox
	thumbs [][]plot.Thumbnailer // per entry
}

func (tl *thumbLegend) add(name string, thumbs ...plot.Thumbnailer) {
	tl.place.names = append(tl.place.names, name)
	tl.place.colors = append(tl.place.colors, color.RGBA{}) // unused: legendBox's dots are not drawn
	tl.thumbs = append(tl.thumbs, thumbs)
}

// Plot implements plot.Plotter.
func (tl *thumbLegend) Plot(c draw.Canvas, p *plot.Plot) {
	if len(tl.thumbs) == 0 {
		return
	}
	inner := legendFrame(c, tl.place.box(c, p))
	l := tl.place.legend() // for its layout settings; the entries are ours
	entries := plot.NewLegend()
	entries.TextStyle, entries.Top, entries.Left, entries.ThumbnailWidth = l.TextStyle, l.Top, l.Left, l.ThumbnailWidth
	for i, name := range tl.place.names {
		entries.Add(name, tl.thumbs[i]...)
	}
	entries.Draw(inner)
}
