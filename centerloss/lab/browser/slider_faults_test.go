package browser

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// interactPage is a page laid out as JupyterLab lays out a running notebook.Interact cell: a notebook panel whose
// windowed panel scrolls, the cell far below its top, and in its output the root div with a range input, the
// picture div and a Done button; then a notebook.Choose (a select and its button) and a Train button. With redraw, moving the slider redraws the picture (a canvas's PNG whose colour is
// the slider's value) as the cell program would; without, the picture stays. A disabled slider ignores the mouse.
// Done removes the widgets.
func interactPage(redraw, disabled bool) string {
	return fmt.Sprintf(`<!doctype html><html><body style="margin:0; overflow:hidden">
<div class="jp-NotebookPanel"><div class="jp-Toolbar-kernelName">%s</div>
 <div class="jp-Notebook"><div class="jp-WindowedPanel-outer" style="height:600px; overflow:auto">
  <div class="jp-Cell jp-CodeCell"><div class="jp-InputArea-prompt">[1]:</div><div style="height:1500px"></div></div>
  <div class="jp-Cell jp-CodeCell"><div class="jp-InputArea-prompt">[*]:</div>
   <div class="jp-OutputArea-output"><div id="%[2]sfixture">
    <div><span>red</span><input type="range" id="gonb_slider_1" min="0" max="255" value="40"%[4]s/></div>
    <div id="%[2]sfixture-picture"></div>
    <button id="gonb_button_1" type="button">Done</button></div></div>
   <div class="jp-OutputArea-output"><div id="%[2]schoose"><span>model </span><select id="gonb_select_1">
    <option value="0" selected>softmax</option><option value="1">center loss</option></select>
    <button id="gonb_button_2" type="button">Train ▶</button></div></div>
   <div class="jp-OutputArea-output"><button id="gonb_button_3" type="button">Train</button></div>
   <div style="height:1500px"></div></div>
 </div></div></div>
<script>
  const draw = (v) => {
    const c = document.createElement('canvas'); c.width = 240; c.height = 120;
    const g = c.getContext('2d'); g.fillStyle = 'rgb(' + v + ', 120, 200)'; g.fillRect(0, 0, 240, 120);
    document.getElementById('%[2]sfixture-picture').innerHTML = '<img src="' + c.toDataURL('image/png') + '">';
  };
  const slider = document.getElementById('gonb_slider_1');
  draw(slider.value);
  if (%[3]v) slider.addEventListener('input', () => draw(slider.value));
  document.getElementById('gonb_button_1').addEventListener('click',
    () => document.getElementById('%[2]sfixture').remove());
</script></body></html>`, kernelDisplay, interactPrefix, redraw, map[bool]string{true: " disabled"}[disabled])
}

// TestSliderFaults checks the slider's checker on interactPage: the mouse drag moves the slider in headless
// Chromium and the new picture is seen; a picture that does not change is an error that says so; readPage finds
// the widgets and Done ends them. It needs only Chromium (a few seconds), under the same switch as the notebook
// test.
func TestSliderFaults(t *testing.T) {
	if os.Getenv(EnableEnvVar) != "1" {
		t.Skipf("needs Chromium: run `make test-browser` (or set %s=1)", EnableEnvVar)
	}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(interactPage(strings.HasPrefix(r.URL.Path, "/redraws"), r.URL.Path == "/redraws-disabled")))
	}))
	defer server.Close()
	ctx := newBrowser(t, chromiumPath())
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(viewportWidth, viewportHeight)); err != nil {
		t.Fatal(err)
	}
	root := interactPrefix + "fixture"
	open := func(path string) pageState {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(server.URL+path),
			chromedp.WaitReady(chromedp.CSS(`#gonb_slider_1`))); err != nil {
			t.Fatal(err)
		}
		var state pageState
		if err := poll(ctx, 10*pollEvery, func() (bool, error) {
			var err error
			state, err = readPage(ctx)
			return err == nil && len(state.Interacts) == 1 && state.Interacts[0].Picture != "", err
		}); err != nil {
			t.Fatalf("%s: the interactive cell is not found: %+v: %v", path, state, err)
		}
		return state
	}

	t.Run("picture redrawn", func(t *testing.T) {
		state := open("/redraws")
		if s := state.Interacts[0]; s.ID != root || s.Sliders != 1 || !s.Done {
			t.Errorf("readPage: %+v, want %s with 1 slider and Done", s, root)
		}
		if want := []buttonState{{"gonb_button_2", "Train ▶"}, {"gonb_button_3", "Train"}}; !slices.Equal(state.Trains, want) {
			t.Errorf("readPage: buttons to press %+v, want %+v (Choose's, then a Train)", state.Trains, want)
		}
		move, err := moveSlider(ctx, root, 10*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%+v", move)
		if move.By != byDrag || move.From != 40 || move.To <= move.From {
			t.Errorf("moved %+v, want a drag to the right from 40", move)
		}
		if err := clickInOutput(ctx, fmt.Sprintf(doneButtonJS, root)); err != nil {
			t.Fatalf("pressing Done: %v", err)
		}
		if state, err := readPage(ctx); err != nil || len(state.Interacts) != 0 {
			t.Errorf("after Done: %+v, %v; want no interactive cell", state.Interacts, err)
		}
		if err := clickInOutput(ctx, fmt.Sprintf(doneButtonJS, root)); err == nil {
			t.Errorf("pressing a Done that has gone: no error")
		}
	})

	// A disabled slider ignores the mouse, not a value set with events: the fallback's path.
	t.Run("drag without effect", func(t *testing.T) {
		open("/redraws-disabled")
		move, err := moveSlider(ctx, root, 10*time.Second)
		t.Logf("%+v: %v", move, err)
		if err != nil || move.By != byEvents || move.To == move.From {
			t.Errorf("moveSlider on a slider that ignores the mouse: %+v, %v; want a move %s", move, err, byEvents)
		}
	})

	t.Run("picture unchanged", func(t *testing.T) {
		open("/stays")
		move, err := moveSlider(ctx, root, 3*time.Second)
		t.Logf("%+v: %v", move, err)
		if err == nil || !strings.Contains(err.Error(), "the picture did not change within 3s after slider gonb_slider_1 moved") {
			t.Errorf("moveSlider on a picture that does not change: %v, want the error that says so", err)
		}
	})
}
