package browser

import (
	"context"
	"fmt"
	"testing"
	"time"
)

const (
	// interactPrefix starts the id of an interactive cell's root <div>: notebook.InteractIDPrefix (not imported,
	// so that this test's binary does not link the library and XLA).
	interactPrefix = "centerloss-interact-"

	pictureChangeLimit = 30 * time.Second // from the slider's move to the new picture (a PNG redrawn)
	widgetsReadyLimit  = time.Minute      // from an interactive cell's first sight to its picture and Done button
	doneAgainAfter     = 15 * time.Second // Done pressed and the widgets still there: press it again
	doneMaxPresses     = 3
)

// interactor drives a notebook's interactive cells and "Train" (or notebook.Choose) buttons while "Run All" runs: at each poll it gets
// the page's state. The first interactive cell gets its slider moved (moveSlider), a screenshot, and Done; every
// later one gets Done as soon as it shows. A widget is used only from the second poll that sees it on: GoNB wires
// a widget's events right after it is added to the page, and a click before that would be lost.
type interactor struct {
	t      *testing.T
	ctx    context.Context
	name   string // the notebook, for the log
	base   string // the notebook's file name without .ipynb, for the screenshots
	outDir string

	move    *sliderMove // the first interactive cell's slider move, once it worked
	moveErr error       // or why it did not
	cells   map[string]*interactCell
	order   []string       // the interactive cells, as they appeared
	trains  map[string]int // Train (or Choose) buttons, by id: 1 seen once, 2 pressed
}

// interactCell is what the interactor knows of one interactive cell.
type interactCell struct {
	n         int // 1 for the notebook's first interactive cell, …
	seen      time.Time
	polls     int
	presses   int // of its Done button
	lastPress time.Time
	gone      time.Time
	stuck     bool // said so already
}

func newInteractor(t *testing.T, ctx context.Context, name, base, outDir string) *interactor {
	return &interactor{t: t, ctx: ctx, name: name, base: base, outDir: outDir,
		cells: map[string]*interactCell{}, trains: map[string]int{}}
}

// step handles one poll's state. It may take a while (the slider's move waits for the new picture); the caller
// reads the page again afterwards.
func (ia *interactor) step(state pageState) {
	t := ia.t
	shown := map[string]bool{}
	for _, s := range state.Interacts {
		shown[s.ID] = true
	}
	for _, id := range ia.order {
		if c := ia.cells[id]; c.gone.IsZero() && !shown[id] {
			c.gone = time.Now()
			if c.presses > 0 {
				t.Logf("%s: interactive cell %d: widgets gone %.1fs after Done was pressed", ia.name, c.n,
					c.gone.Sub(c.lastPress).Seconds())
			} else {
				t.Logf("%s: interactive cell %d: widgets gone without Done pressed, %.0fs after they showed", ia.name,
					c.n, c.gone.Sub(c.seen).Seconds())
			}
		}
	}
	for _, s := range state.Interacts {
		c := ia.cells[s.ID]
		if c == nil {
			c = &interactCell{n: len(ia.order) + 1, seen: time.Now()}
			ia.cells[s.ID], ia.order = c, append(ia.order, s.ID)
			t.Logf("%s: interactive cell %d shows (%d sliders, id %s)", ia.name, c.n, s.Sliders, s.ID)
		}
		if c.polls++; c.polls < 2 {
			continue
		}
		if !s.Done || (c.n == 1 && s.Picture == "") {
			if time.Since(c.seen) > widgetsReadyLimit && !c.stuck {
				c.stuck = true
				t.Errorf("%s: interactive cell %d: after %v, no Done button or no decoded picture (done %v, picture %q)",
					ia.name, c.n, widgetsReadyLimit, s.Done, s.Picture)
			}
			continue
		}
		if c.n == 1 && ia.move == nil && ia.moveErr == nil {
			ia.moveFirstSlider(s.ID)
		}
		ia.pressDone(s.ID, c)
	}
	for _, b := range state.Trains {
		switch ia.trains[b.ID] {
		case 0:
			ia.trains[b.ID] = 1
		case 1:
			ia.trains[b.ID] = 2
			if err := clickInOutput(ia.ctx, fmt.Sprintf(`document.getElementById(%q)`, b.ID)); err != nil {
				t.Errorf("%s: pressing %q (%s): %v", ia.name, b.Label, b.ID, err)
			} else {
				t.Logf("%s: %q pressed (button %s, the select left at its default)", ia.name, b.Label, b.ID)
			}
		}
	}
}

// moveFirstSlider moves the slider of the notebook's first interactive cell, checks that its picture changed and
// saves <base>_slider.png, the cell in view, whether it worked or not.
func (ia *interactor) moveFirstSlider(rootID string) {
	move, err := moveSlider(ia.ctx, rootID, pictureChangeLimit)
	screenshot(ia.t, ia.ctx, ia.outDir, ia.base+"_slider.png")
	if err != nil {
		ia.moveErr = err
		ia.t.Errorf("%s: interactive cell 1: %v", ia.name, err)
		return
	}
	ia.move = &move
	ia.t.Logf("%s: interactive cell 1: slider %s moved from %d to %d by %s; the picture changed %.1fs later",
		ia.name, move.Slider, move.From, move.To, move.By, move.Took.Seconds())
}

// pressDone presses the cell's Done button, again when its widgets are still there doneAgainAfter later.
func (ia *interactor) pressDone(rootID string, c *interactCell) {
	if c.presses > 0 && time.Since(c.lastPress) < doneAgainAfter {
		return
	}
	if c.presses >= doneMaxPresses {
		if !c.stuck {
			c.stuck = true
			ia.t.Errorf("%s: interactive cell %d: Done pressed %d times, its widgets are still there", ia.name, c.n,
				c.presses)
		}
		return
	}
	err := clickInOutput(ia.ctx, fmt.Sprintf(doneButtonJS, rootID))
	c.presses++
	c.lastPress = time.Now()
	if err != nil {
		ia.t.Logf("%s: interactive cell %d: pressing Done: %v", ia.name, c.n, err) // it may have just ended
		return
	}
	ia.t.Logf("%s: interactive cell %d: Done pressed (%d)", ia.name, c.n, c.presses)
}

// check is the end of the run: the notebook had an interactive cell whose slider moved and changed the picture,
// and no interactive cell is left showing its widgets.
func (ia *interactor) check(state pageState) {
	switch {
	case ia.move == nil && ia.moveErr == nil:
		ia.t.Errorf("%s: no slider to move: no interactive cell (a <div id=%q…> holding an <input type=\"range\">) "+
			"showed while the notebook ran", ia.name, interactPrefix)
	case ia.move != nil:
		ia.t.Logf("%s: %d interactive cells; the first one's slider moved (%s) and its picture changed", ia.name,
			len(ia.order), ia.move.By)
	}
	for _, s := range state.Interacts {
		ia.t.Errorf("%s: interactive cell %s still shows its widgets at the end of the run", ia.name, s.ID)
	}
}
