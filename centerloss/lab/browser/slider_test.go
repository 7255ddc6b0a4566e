package browser

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/chromedp/chromedp"
)

// sliderMove is what moveSlider did to an interactive cell's first slider.
type sliderMove struct {
	Slider   string        // the <input type="range">'s id
	From, To int           // its value before and after
	By       string        // how it moved: byDrag, or byEvents when the drag did not move it
	Took     time.Duration // from the start of the move to its cell's new picture, decoded
}

const (
	byDrag   = "mouse drag on the thumb (Input.dispatchMouseEvent: press, moves, release)"
	byEvents = "value set and input/change events dispatched (the mouse drag did not move it)"
)

// sliderBox is an interactive cell's first slider, scrolled into view: its range and value, its box in the viewport
// (CSS pixels), whether the element at its center is the slider itself (nothing covers it), and the cell's
// picture key (pictureKeyJS) before the move.
type sliderBox struct {
	Error   string  `json:"error"`
	ID      string  `json:"id"`
	Min     float64 `json:"min"`
	Max     float64 `json:"max"`
	Value   float64 `json:"value"`
	Left    float64 `json:"left"`
	Width   float64 `json:"width"`
	Y       float64 `json:"y"`
	Height  float64 `json:"height"`
	Hit     bool    `json:"hit"`
	Picture string  `json:"picture"`
}

// scrollToJS scrolls the notebook (its windowed panel, never the page: JupyterLab's page does not scroll) so that
// the element el starts near the top of the notebook's view, when it is not wholly in view already.
const scrollToJS = `function scrollTo(el, always) {
  const scroller = el.closest('.jp-WindowedPanel-outer') || el.closest('.jp-Notebook');
  if (!scroller) return;
  const r = el.getBoundingClientRect(), s = scroller.getBoundingClientRect();
  if (always || r.top < s.top || r.bottom > s.bottom) scroller.scrollTop += r.top - s.top - 12;
}
`

// sliderBoxJS reads sliderBox for the interactive cell whose root div has the id %q, after scrolling the cell's
// top (its sliders, then its picture) to the top of the notebook's view.
const sliderBoxJS = pictureKeyJS + scrollToJS + `((rootID) => {
  const root = document.getElementById(rootID);
  if (!root) return {error: 'the interactive cell is gone (its cell ended)'};
  const s = root.querySelector('input[type="range"]');
  if (!s) return {error: 'the interactive cell has no <input type="range">'};
  scrollTo(root, true);
  const r = s.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return {id: s.id, min: s.min === '' ? 0 : +s.min, max: s.max === '' ? 100 : +s.max, value: +s.value,
          left: r.left, width: r.width, y: r.top + r.height / 2, height: r.height, hit: hit === s,
          picture: pictureKey(rootID)};
})(%q)`

// moveSlider moves the first slider of the interactive cell rootID as a hand does: it presses the mouse on the
// slider's thumb, drags it most of the way to the track's other end and releases it. Only when that leaves the
// value as it was does it set the value and dispatch the input and change events that GoNB's slider.js listens
// to. Then the cell's picture must change (its <img> src differ from before) within limit.
func moveSlider(ctx context.Context, rootID string, limit time.Duration) (sliderMove, error) {
	box, err := chromedp.Run(ctx, chromedp.Evaluate[sliderBox](fmt.Sprintf(sliderBoxJS, rootID)))
	if err != nil {
		return sliderMove{}, err
	}
	if box.Error != "" {
		return sliderMove{}, fmt.Errorf("%s", box.Error)
	}
	move := sliderMove{Slider: box.ID, From: int(box.Value), By: byDrag}
	if box.Picture == "" {
		return move, fmt.Errorf("the picture of the interactive cell is not shown (no decoded <img> in #%s-picture)",
			rootID)
	}
	if box.Width < 20 || box.Max <= box.Min {
		return move, fmt.Errorf("slider %s cannot move: %.0f px wide, range %v..%v", box.ID, box.Width, box.Min, box.Max)
	}
	if !box.Hit {
		return move, fmt.Errorf("slider %s is covered (the element at its center is another one)", box.ID)
	}
	// The thumb's center runs from half a thumb right of the track's left end to half a thumb left of its right
	// end (Chromium's thumb is about as wide as the input is high, 16 px at most).
	thumb := min(box.Height, 16)
	at := func(frac float64) float64 { return box.Left + thumb/2 + frac*(box.Width-thumb) }
	from := (box.Value - box.Min) / (box.Max - box.Min)
	to := 0.8
	if from >= 0.5 {
		to = 0.2
	}
	moved := time.Now()
	if err := chromedp.Do(ctx, dragX(at(from), at(to), box.Y, 12)); err != nil {
		return move, fmt.Errorf("dragging slider %s: %w", box.ID, err)
	}
	value, err := chromedp.Run(ctx, chromedp.Evaluate[float64](fmt.Sprintf(`+document.getElementById(%q).value`, box.ID)))
	if err != nil {
		return move, err
	}
	if value == box.Value { // the drag did nothing: set the value and send the events a drag would have sent
		move.By = byEvents
		value = math.Round(box.Min + to*(box.Max-box.Min))
		if value == box.Value {
			value = min(box.Value+1, box.Max)
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`((s, v) => {
			s.value = v;
			s.dispatchEvent(new Event('input', {bubbles: true}));
			s.dispatchEvent(new Event('change', {bubbles: true}));
			return true;
		})(document.getElementById(%q), %q)`, box.ID, fmt.Sprint(value)))); err != nil {
			return move, err
		}
		moved = time.Now()
		if value, err = chromedp.Run(ctx, chromedp.Evaluate[float64](fmt.Sprintf(`+document.getElementById(%q).value`,
			box.ID))); err != nil {
			return move, err
		}
	}
	move.To = int(value)
	if value == box.Value {
		return move, fmt.Errorf("slider %s did not move: its value stays %v (%s)", box.ID, box.Value, move.By)
	}
	keyJS := pictureKeyJS + fmt.Sprintf(`pictureKey(%q)`, rootID)
	for {
		key, err := chromedp.Run(ctx, chromedp.Evaluate[string](keyJS))
		if err == nil && key != "" && key != box.Picture {
			move.Took = time.Since(moved)
			return move, nil
		}
		if time.Since(moved) > limit {
			return move, fmt.Errorf("the picture did not change within %v after slider %s moved from %d to %d by %s: "+
				"its <img> src is the same as before the move", limit, box.ID, move.From, move.To, move.By)
		}
		select {
		case <-ctx.Done():
			return move, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// clickInOutput clicks, as a hand does, the element that the JavaScript expression find (evaluated in the page)
// returns, after scrolling the notebook so that it shows. It is an error when find returns null (the element is
// not there, or has gone) or when something else covers the element's center.
func clickInOutput(ctx context.Context, find string) error {
	clickCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	at, err := chromedp.Run(clickCtx, chromedp.Evaluate[clickPoint](scrollToJS+`(() => {
		const el = (`+find+`);
		if (!el) return {found: false};
		scrollTo(el, false);
		const r = el.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
		const hit = document.elementFromPoint(x, y);
		return {found: true, hit: !!hit && el.contains(hit), x, y};
	})()`))
	switch {
	case err != nil:
		return err
	case !at.Found:
		return fmt.Errorf("not found")
	case !at.Hit:
		return fmt.Errorf("covered by another element at (%.0f, %.0f)", at.X, at.Y)
	}
	return chromedp.Do(clickCtx, pointAt(at.X, at.Y), chromedp.MouseClickXY(at.X, at.Y))
}

// clickPoint is where clickInOutput clicks, in the viewport's CSS pixels.
type clickPoint struct {
	Found bool    `json:"found"`
	Hit   bool    `json:"hit"`
	X     float64 `json:"x"`
	Y     float64 `json:"y"`
}

// doneButtonJS finds the Done button of the interactive cell whose root has the id %q.
const doneButtonJS = `[...(document.getElementById(%q)?.querySelectorAll('button') ?? [])].find(b => ['Done', '完了'].includes(b.textContent.trim()))`
