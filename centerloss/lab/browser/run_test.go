package browser

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// runNotebook opens the notebook in a tab of its own, waits for its kernel, clicks Edit → Clear Outputs of All
// Cells and then Run → Run All Cells, drives its interactive cells while it runs (interactor), waits for the end
// and checks the rendered outputs. It saves <base>_slider.png (interactor) and a full-length <base>.png, and
// shuts the notebook's kernel down at the end, whatever happened.
func runNotebook(t *testing.T, browserCtx context.Context, srv *labServer, tm *timings, nb servedNotebook, outDir string) {
	name, base := nb.Path, nb.Base
	ctx, cancel := chromedp.NewContext(browserCtx)
	defer cancel()
	// The first Run on a chromedp context opens its tab for as long as that Run's context lives: no timeout on it.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(viewportWidth, viewportHeight)); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	ctx, cancelTime := context.WithTimeout(ctx, 2*pageReadyTimeout+runAllTimeout+5*time.Minute)
	defer cancelTime()
	defer func() {
		if err := srv.shutDownSession(name); err != nil {
			t.Logf("%s: shutting its kernel down: %v", name, err)
		}
	}()

	// A workspace of its own: JupyterLab restores a workspace's open documents, and the notebooks run before
	// this one in this server must not open again (with kernels) in this tab.
	var segments []string
	for _, s := range strings.Split(name, "/") {
		segments = append(segments, url.PathEscape(s))
	}
	pagePath := fmt.Sprintf("/lab/workspaces/browser-test-%s/tree/%s", url.PathEscape(base), strings.Join(segments, "/"))
	t.Logf("%s: opening %s%s", name, srv.base, pagePath)
	readyCtx, cancelReady := context.WithTimeout(ctx, pageReadyTimeout)
	err := chromedp.Do(readyCtx,
		chromedp.Navigate(srv.base+pagePath+srv.pageQuery),
		chromedp.WaitVisible(chromedp.CSS(`.jp-NotebookPanel .jp-Notebook .jp-Cell`)),
	)
	cancelReady()
	if err != nil {
		screenshot(t, ctx, outDir, base+"_failed_to_open.png")
		t.Fatalf("%s: the notebook panel did not appear within %v: %v", name, pageReadyTimeout, err)
	}
	tm.mark(t, name+": notebook panel shown")

	// The kernel the notebook's metadata names, started, connected to the page and idle. The page's own status
	// stays "unknown" until the first cell runs: JupyterLab 4.6 ignores the status messages around its
	// kernel_info_request, and GoNB does not answer the history_request whose status would say "idle" (ipykernel
	// does). So the page must show the kernel and no other status (not connecting, starting, busy or dead), and
	// the server must count the page's connection and say "idle".
	var state pageState
	var kernel kernelModel
	if err := poll(ctx, pageReadyTimeout, func() (bool, error) {
		var err error
		if state, err = readPage(ctx); err != nil {
			return false, err
		}
		if kernel, err = srv.sessionKernel(name); err != nil {
			return false, err
		}
		return state.Kernel == kernelDisplay && (state.Status == "idle" || state.Status == "unknown") &&
			kernel.Name == kernelName && kernel.Connections > 0 && kernel.State == "idle", nil
	}); err != nil {
		screenshot(t, ctx, outDir, base+"_kernel_not_ready.png")
		t.Fatalf("%s: the kernel %q was not ready within %v (the page shows kernel %q, status %q; the server "+
			"has kernel %q, %s, %d connections): %v", name, kernelDisplay, pageReadyTimeout, state.Kernel,
			state.Status, kernel.Name, kernel.State, kernel.Connections, err)
	}
	if state.CodeCells == 0 { // the index: prose only, nothing to run; what it shows is the screenshot
		if len(state.Errors) > 0 {
			t.Errorf("%s: the page shows errors: %v", name, state.Errors)
		}
		fullScreenshot(t, ctx, outDir, base+".png")
		tm.mark(t, name+": no code cells, opened and shown")
		return
	}
	if state.Panels != 1 {
		t.Errorf("%s: the page shows %d notebooks, want this one only", name, state.Panels)
	}
	tm.mark(t, fmt.Sprintf("%s: kernel ready (page: %s), %d code cells", name, state.Status, state.CodeCells))

	// The notebook may be stored with its outputs: clear them first (Edit → Clear Outputs of All Cells), so that
	// every output checked below is one this run made.
	focusCtx, cancelFocus := context.WithTimeout(ctx, time.Minute)
	err = chromedp.Do(focusCtx, pointAndClick(chromedp.CSS(`.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt`)))
	cancelFocus()
	if err != nil { // a click on a cell's prompt: the notebook has the focus, as after a person's click
		t.Fatalf("%s: clicking into the notebook: %v", name, err)
	}
	clickMenu(t, ctx, outDir, base, "Edit", "Clear Outputs of All Cells")
	if err := poll(ctx, 30*time.Second, func() (bool, error) {
		var err error
		state, err = readPage(ctx)
		return err == nil && state.Outputs == 0 && state.Numbered == 0, err
	}); err != nil {
		screenshot(t, ctx, outDir, base+"_not_cleared.png")
		t.Fatalf("%s: after Clear Outputs of All Cells, %d outputs and %d execution counts are left: %v", name,
			state.Outputs, state.Numbered, err)
	}
	tm.mark(t, name+`: Edit → "Clear Outputs of All Cells" clicked, outputs gone`)

	// Run → Run All Cells, clicked as a person would.
	clickMenu(t, ctx, outDir, base, "Run", "Run All Cells")
	clicked := time.Now()
	tm.mark(t, name+`: Run → "Run All Cells" clicked`)

	// Wait for the run to start (a cell shows [*] or gets its number), then for its end: no cell queued or running
	// and the kernel idle, twice in a row. A failing cell stops "Run All" early; that ends the wait too. Meanwhile
	// the interactor moves a slider and presses the buttons that a cell waits for.
	if err := poll(ctx, 2*time.Minute, func() (bool, error) {
		var err error
		state, err = readPage(ctx)
		return err == nil && (state.Running > 0 || state.Numbered > 0), err
	}); err != nil {
		screenshot(t, ctx, outDir, base+"_run_not_started.png")
		t.Fatalf("%s: after the click no cell was queued or run: %v", name, err)
	}
	ia := newInteractor(t, ctx, name, base, outDir)
	idleSeen := 0
	lastLog, done := time.Now(), 0
	err = poll(ctx, runAllTimeout-time.Since(clicked), func() (bool, error) {
		var err error
		if state, err = readPage(ctx); err != nil {
			return false, err
		}
		for ; done < state.Numbered; done++ { // cells finish in order: the time of each, to a poll's precision
			tm.mark(t, fmt.Sprintf("%s: code cell %d of %d done", name, done+1, state.CodeCells))
		}
		if time.Since(lastLog) > 30*time.Second {
			t.Logf("%s: %3.0fs: %d/%d code cells numbered, %d queued or running, kernel %s", name,
				time.Since(clicked).Seconds(), state.Numbered, state.CodeCells, state.Running, state.Status)
			lastLog = time.Now()
		}
		ia.step(state)
		if state.Running == 0 && state.Status == "idle" {
			idleSeen++
		} else {
			idleSeen = 0
		}
		return idleSeen >= 2, nil
	})
	if err != nil {
		screenshot(t, ctx, outDir, base+"_timeout.png")
		t.Fatalf("%s: the run did not end within %v of the click on Run All (%d/%d cells numbered, %d running, "+
			"kernel %s): %v", name, runAllTimeout, state.Numbered, state.CodeCells, state.Running, state.Status, err)
	}
	tm.mark(t, fmt.Sprintf("%s: all cells run, kernel idle", name))
	tm.notebookRun(name, time.Since(clicked))
	t.Logf("%s: prompts %v", name, state.Prompts)
	checkRenderedNotebook(t, ctx, nb, outDir, ia)
	if ks := srv.kernelStates(t); len(ks) > 0 {
		t.Logf("server: kernels %v", ks)
	}
}

// checkRenderedNotebook saves the whole notebook in one picture (<base>.png) and checks it: every code cell run,
// no error output, a PNG in the outputs, and the interactor's checks.
func checkRenderedNotebook(t *testing.T, ctx context.Context, nb servedNotebook, outDir string, ia *interactor) {
	name := nb.Path
	height, err := fitWholeNotebook(ctx)
	if err != nil {
		t.Fatalf("%s: measuring the notebook: %v", name, err)
	}
	t.Logf("%s: viewport %dx%d for the whole notebook", name, viewportWidth, height)
	var state pageState
	if err := poll(ctx, 30*time.Second, func() (bool, error) { // images decode asynchronously
		var err error
		state, err = readPage(ctx)
		return err == nil && state.ImagesPending == 0, err
	}); err != nil {
		t.Logf("%s: some images still not decoded: %v", name, err)
	}
	fullScreenshot(t, ctx, outDir, nb.Base+".png")

	if state.Numbered != state.CodeCells {
		t.Errorf("%s: only %d of %d code cells have an execution count; prompts: %v", name, state.Numbered,
			state.CodeCells, state.Prompts)
	}
	for _, e := range state.Errors {
		t.Errorf("%s: error output: %s", name, e)
	}
	pngs := 0
	for _, img := range state.Images {
		if img.PNG && img.NaturalWidth > 100 {
			pngs++
		}
	}
	t.Logf("%s: %d outputs, %d of them stderr", name, state.Outputs, state.Stderr)
	t.Logf("%s: %d images in the outputs, %d PNG data URLs wider than 100 px: %+v", name, len(state.Images), pngs,
		state.Images)
	if pngs == 0 {
		t.Errorf("%s: no <img> with a PNG data URL and a natural width > 100 in the outputs", name)
	}
	ia.check(state)
}
