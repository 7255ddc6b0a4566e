// Package browser holds the notebooks' browser test: JupyterLab started as `make lab` starts it, the center-loss
// notebook opened in headless Chromium, "Run All Cells" clicked in the Run menu, and the rendered page checked.
//
// It needs `make lab-setup` (the .venv with JupyterLab, the GoNB kernels) and Chromium, so `go test ./...` skips it
// unless CENTERLOSS_BROWSER_TEST=1; `make test-browser` sets it. Screenshots and logs go to out/browser/.
package browser

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const (
	// EnableEnvVar must be "1" for the test to run.
	EnableEnvVar = "CENTERLOSS_BROWSER_TEST"
	// ChromiumEnvVar may name another Chromium binary than Debian's.
	ChromiumEnvVar = "CENTERLOSS_CHROMIUM"
	// NotebookEnvVar may name another notebook of notebooks/ to run instead of the center-loss one.
	NotebookEnvVar = "CENTERLOSS_BROWSER_NOTEBOOK"

	notebook      = "04_training_with_center_loss.ipynb"
	fallback      = "00_smoke.ipynb" // used, with a log line saying so, when the center-loss notebook is missing
	trainsSoftmax = "02_softmax_baseline.ipynb"
	kernelName    = "centerloss-xla-cpu"
	kernelDisplay = "Go (centerloss, XLA CPU)"

	serverStartTimeout = 3 * time.Minute  // 2 shared cores: JupyterLab takes a while
	pageReadyTimeout   = 4 * time.Minute  // the first load of JupyterLab's JavaScript, and the kernel's start
	runAllTimeout      = 20 * time.Minute // every GoNB cell compiles a Go program, and one trains
	pollEvery          = 2 * time.Second
	viewportWidth      = 1400
	viewportHeight     = 1000
)

// timings are the test's phases, logged at the end and written to out/browser/timings.txt.
type timings struct {
	start  time.Time
	phases []string
	last   time.Time
}

func (tm *timings) mark(t *testing.T, phase string) {
	now := time.Now()
	line := fmt.Sprintf("%-58s %7.1fs  (at %6.1fs)", phase, now.Sub(tm.last).Seconds(), now.Sub(tm.start).Seconds())
	tm.phases = append(tm.phases, line)
	tm.last = now
	t.Log("timing: " + line)
}

func TestCenterLossNotebookInBrowser(t *testing.T) {
	if os.Getenv(EnableEnvVar) != "1" {
		t.Skipf("needs `make lab-setup` and Chromium: run `make test-browser` (or set %s=1)", EnableEnvVar)
	}
	tm := &timings{start: time.Now(), last: time.Now()}
	repo := repoRoot(t)
	outDir := filepath.Join(repo, "out", "browser")
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		t.Fatal(err)
	}
	defer func() {
		summary := strings.Join(tm.phases, "\n") + "\n"
		_ = os.WriteFile(filepath.Join(outDir, "timings.txt"), []byte(summary), 0o644)
		t.Logf("timings (also in out/browser/timings.txt):\n%s", summary)
	}()

	chromium := chromiumPath()
	for _, need := range []string{filepath.Join(repo, ".venv", "bin", "jupyter"), filepath.Join(repo, ".bin", "gonb"),
		filepath.Join(repo, ".venv", "share", "jupyter", "kernels", kernelName, "kernel.json"), chromium} {
		if _, err := os.Stat(need); err != nil {
			t.Fatalf("%s is missing: run `make test-browser` (it runs `make lab-setup` and installs chromium)", need)
		}
	}

	name := notebook
	if other := os.Getenv(NotebookEnvVar); other != "" {
		name = other
	} else if _, err := os.Stat(filepath.Join(repo, "notebooks", name)); err != nil {
		t.Logf("NOTE: notebooks/%s is not there; testing notebooks/%s instead", notebook, fallback)
		name = fallback
	}
	// The notebook's files must come out of the test as they went in: the test switches autosave off.
	watched := map[string]string{name: fileHash(t, filepath.Join(repo, "notebooks", name))}

	srv := startLab(t, repo, outDir)
	tm.mark(t, fmt.Sprintf("JupyterLab up on 127.0.0.1:%d", srv.port))

	// A side check: no token, no API.
	if code := srv.status(t, "/api/contents", false); code != http.StatusForbidden && code != http.StatusUnauthorized {
		t.Errorf("GET /api/contents without the token answered %d, want 403 or 401", code)
	} else {
		t.Logf("GET /api/contents without the token: %d (refused, as it should be)", code)
	}

	ctx := newBrowser(t, chromium)

	// Notebook 04's comparison cell loads the model that notebook 02 trains: train it first, in the browser too,
	// when no earlier run left it.
	if name == notebook && !hasCheckpoint(filepath.Join(repo, "runs", "notebooks", "softmax", "checkpoint")) {
		t.Logf("runs/notebooks/softmax has no checkpoint: running %s first", trainsSoftmax)
		watched[trainsSoftmax] = fileHash(t, filepath.Join(repo, "notebooks", trainsSoftmax))
		runNotebook(t, ctx, srv, tm, trainsSoftmax, "")
	}

	runNotebook(t, ctx, srv, tm, name, outDir)

	for file, before := range watched {
		if after := fileHash(t, filepath.Join(repo, "notebooks", file)); after != before {
			t.Errorf("notebooks/%s changed on disk during the test (autosave should be off)", file)
		}
	}
	srv.stop(t.Logf)
	tm.mark(t, "JupyterLab and its kernels shut down")
}

// runNotebook opens notebooks/name, waits for its kernel, clicks Edit → Clear Outputs of All Cells and then
// Run → Run All Cells, waits for the end and checks the rendered outputs. With outDir set it saves a screenshot on
// opening and a full-length one at the end.
func runNotebook(t *testing.T, browserCtx context.Context, srv *labServer, tm *timings, name, outDir string) {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browserCtx)
	defer cancel()
	// The first Run on a chromedp context opens its tab for as long as that Run's context lives: no timeout on it.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(viewportWidth, viewportHeight)); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	ctx, cancelTime := context.WithTimeout(ctx, pageReadyTimeout+runAllTimeout+5*time.Minute)
	defer cancelTime()
	base := strings.TrimSuffix(name, ".ipynb")

	pageURL := fmt.Sprintf("http://127.0.0.1:%d/lab/tree/%s?token=%s", srv.port, name, srv.token)
	t.Logf("%s: opening http://127.0.0.1:%d/lab/tree/%s?token=…", name, srv.port, name)
	readyCtx, cancelReady := context.WithTimeout(ctx, pageReadyTimeout)
	err := chromedp.Do(readyCtx,
		chromedp.Navigate(pageURL),
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
	if state.CodeCells == 0 {
		t.Fatalf("%s: the page shows no code cells", name)
	}
	tm.mark(t, fmt.Sprintf("%s: kernel ready (page: %s), %d code cells", name, state.Status, state.CodeCells))
	screenshot(t, ctx, outDir, "center_loss_notebook_opened.png")

	// The notebook may be stored with its outputs: clear them first (Edit → Clear Outputs of All Cells), so that
	// every output checked below is one this run made.
	focusCtx, cancelFocus := context.WithTimeout(ctx, time.Minute)
	err = chromedp.Do(focusCtx, pointAndClick(chromedp.CSS(`.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt`)))
	cancelFocus()
	if err != nil { // a click on a cell's prompt: the notebook has the focus, as after a person's click
		t.Fatalf("%s: clicking into the notebook: %v", name, err)
	}
	clickMenu(t, ctx, outDir, name, "Edit", "Clear Outputs of All Cells")
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
	clickMenu(t, ctx, outDir, name, "Run", "Run All Cells")
	clicked := time.Now()
	tm.mark(t, name+`: Run → "Run All Cells" clicked`)

	// Wait for the run to start (a cell shows [*] or gets its number), then for its end: no cell queued or running
	// and the kernel idle, twice in a row. A failing cell stops "Run All" early; that ends the wait too.
	if err := poll(ctx, 2*time.Minute, func() (bool, error) {
		var err error
		state, err = readPage(ctx)
		return err == nil && (state.Running > 0 || state.Numbered > 0), err
	}); err != nil {
		screenshot(t, ctx, outDir, base+"_run_not_started.png")
		t.Fatalf("%s: after the click no cell was queued or run: %v", name, err)
	}
	idleSeen := 0
	lastLog, done := time.Now(), 0
	err = poll(ctx, runAllTimeout, func() (bool, error) {
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
		if state.Running == 0 && state.Status == "idle" {
			idleSeen++
		} else {
			idleSeen = 0
		}
		return idleSeen >= 2, nil
	})
	if err != nil {
		screenshot(t, ctx, outDir, base+"_timeout.png")
		t.Fatalf("%s: the run did not end within %v (%d/%d cells numbered, %d running, kernel %s): %v",
			name, runAllTimeout, state.Numbered, state.CodeCells, state.Running, state.Status, err)
	}
	tm.mark(t, fmt.Sprintf("%s: all cells run, kernel idle", name))
	t.Logf("%s: prompts %v", name, state.Prompts)

	// The whole notebook in one picture: a viewport as tall as the notebook's content (JupyterLab's page itself
	// never scrolls, its notebook panel does), so every output is laid out and its images decoded.
	// Cells off screen are laid out with estimated heights (content-visibility), so fit, look again, fit again.
	height := viewportHeight
	for range 4 {
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](fitJS))
		var fit struct{ Need int }
		if err == nil {
			err = json.Unmarshal([]byte(raw), &fit)
		}
		need := fit.Need
		if err != nil {
			t.Fatalf("%s: measuring the notebook: %v", name, err)
		}
		need = min(max(height+need, viewportHeight), 20000)
		if need == height {
			break
		}
		height = need
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(viewportWidth, int64(height)),
			chromedp.Sleep(time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%s: viewport %dx%d for the whole notebook", name, viewportWidth, height)
	if err := poll(ctx, 30*time.Second, func() (bool, error) { // images decode asynchronously
		var err error
		state, err = readPage(ctx)
		return err == nil && state.ImagesPending == 0, err
	}); err != nil {
		t.Logf("%s: some images still not decoded: %v", name, err)
	}
	if outDir != "" {
		fullScreenshot(t, ctx, outDir, "center_loss_notebook.png")
		if name != notebook {
			t.Logf("(the screenshot center_loss_notebook.png shows %s)", name)
		}
	}

	// The checks, on the rendered page.
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
	if ks := srv.kernelStates(t); len(ks) > 0 {
		t.Logf("server: kernels %v", ks)
	}
}

// clickMenu opens the menu bar's menu and clicks its item, both found by their labels, as a person finds them.
func clickMenu(t *testing.T, ctx context.Context, outDir, name, menu, item string) {
	t.Helper()
	itemSel := chromedp.Search(`//li[contains(@class,"lm-Menu-item")]` +
		`[.//div[contains(@class,"lm-Menu-itemLabel")][normalize-space(.)="` + item + `"]]`)
	clickCtx, cancel := context.WithTimeout(ctx, time.Minute) // a missing element would be waited for forever
	defer cancel()
	if err := chromedp.Do(clickCtx,
		pointAndClick(chromedp.Search(`//li[contains(@class,"lm-MenuBar-item")]`+
			`[.//div[contains(@class,"lm-MenuBar-itemLabel")][normalize-space(.)="`+menu+`"]]`)),
		chromedp.WaitVisible(itemSel),
		pointAndClick(itemSel),
	); err != nil {
		screenshot(t, ctx, outDir, strings.TrimSuffix(name, ".ipynb")+"_menu_"+strings.ToLower(menu)+".png")
		t.Fatalf("%s: %s → %s: %v", name, menu, item, err)
	}
}

// pointAndClick moves the mouse onto the element's center, then clicks there, as a hand on a mouse does. Lumino's
// menus need the move: an item becomes the active one on mousemove, and mouseup triggers only the active item
// (chromedp.Click sends no move, so the click on "Run All Cells" would do nothing).
func pointAndClick[S chromedp.Selectable](sel S) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		box, err := chromedp.Dimensions(sel, chromedp.NodeVisible)(ctx, t)
		if err != nil {
			return err
		}
		var x, y float64
		for i := 0; i+1 < len(box.Content); i += 2 {
			x += box.Content[i] / 4
			y += box.Content[i+1] / 4
		}
		if _, err := chromedp.MouseEvent(chromedp.MouseMoved, x-1, y)(ctx, t); err != nil {
			return err
		}
		if _, err := chromedp.MouseEvent(chromedp.MouseMoved, x, y)(ctx, t); err != nil {
			return err
		}
		_, err = chromedp.MouseClickXY(x, y)(ctx, t)
		return err
	})
}

// pageState is what readPage finds in JupyterLab's DOM.
type pageState struct {
	Kernel        string     `json:"kernel"`
	Status        string     `json:"status"`
	CodeCells     int        `json:"codeCells"`
	Numbered      int        `json:"numbered"`
	Running       int        `json:"running"`
	Outputs       int        `json:"outputs"`
	Stderr        int        `json:"stderr"`
	Prompts       []string   `json:"prompts"`
	Errors        []string   `json:"errors"`
	Images        []imgState `json:"images"`
	ImagesPending int        `json:"imagesPending"`
}

type imgState struct {
	PNG          bool `json:"png"`
	NaturalWidth int  `json:"naturalWidth"`
	Height       int  `json:"naturalHeight"`
	Complete     bool `json:"complete"`
}

// readPageJS reads the current notebook panel: its kernel and status (the toolbar), its code cells' prompts, the
// error outputs (a Jupyter error; stderr saying "panic" or "exit status", which is how GoNB reports a failing cell
// program; GoNB's HTML compiler-error display), and the images in the outputs.
const readPageJS = `(() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!panel) return {kernel: '', status: 'no notebook panel', prompts: [], errors: [], images: []};
  const text = (sel) => { const e = panel.querySelector(sel); return e ? e.textContent.trim() : ''; };
  const indicator = panel.querySelector('.jp-Notebook-ExecutionIndicator');
  const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')].map(p => p.textContent.trim());
  const errors = [];
  const cut = (s) => s.replace(/\s+/g, ' ').trim().slice(0, 400);
  panel.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').forEach(e => {
    const t = e.textContent;
    if (t.includes('panic') || t.includes('exit status')) errors.push('stderr: ' + cut(t));
  });
  panel.querySelectorAll('[data-mime-type="application/vnd.jupyter.error"]').forEach(e => errors.push('error: ' + cut(e.textContent)));
  panel.querySelectorAll('.jp-OutputArea-output .gonb-err-line').forEach(e => errors.push('GoNB: ' + cut(e.textContent)));
  const imgs = [...panel.querySelectorAll('.jp-OutputArea-output img')];
  return {
    kernel: text('.jp-Toolbar-kernelName'),
    status: indicator ? indicator.getAttribute('data-status') : '',
    codeCells: prompts.length,
    numbered: prompts.filter(p => /^\[\d+\]:?$/.test(p)).length,
    running: prompts.filter(p => p.includes('*')).length,
    outputs: panel.querySelectorAll('.jp-OutputArea-output').length,
    stderr: panel.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').length,
    prompts,
    errors,
    images: imgs.map(i => ({png: i.src.startsWith('data:image/png;base64,'), naturalWidth: i.naturalWidth,
                            naturalHeight: i.naturalHeight, complete: i.complete})),
    imagesPending: imgs.filter(i => !i.complete).length,
  };
})()`

// fitJS scrolls the notebook to its top and returns how many pixels taller the viewport must be (negative: can be
// shorter) for the notebook panel to show everything down to its last cell, without its blank scroll-past-end room.
const fitJS = `JSON.stringify((() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const scroller = panel && (panel.querySelector('.jp-WindowedPanel-outer') || panel.querySelector('.jp-Notebook'));
  const cells = panel ? panel.querySelectorAll('.jp-Cell') : [];
  if (!scroller || cells.length === 0) return {need: 0};
  const last = cells[cells.length - 1];
  const bottom = last.getBoundingClientRect().bottom - scroller.getBoundingClientRect().top + scroller.scrollTop;
  scroller.scrollTop = 0;
  return {need: Math.ceil(bottom + 24 - scroller.clientHeight)}; // JSON: a bare -0 would come back as null
})())`

func readPage(ctx context.Context) (pageState, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[pageState](readPageJS))
}

// poll calls done every pollEvery until it says true, for at most limit. Errors from done are retried (the page may
// be between two states); the last one is returned on timeout.
func poll(ctx context.Context, limit time.Duration, done func() (bool, error)) error {
	deadline := time.Now().Add(limit)
	var lastErr error
	for {
		ok, err := done()
		if ok && err == nil {
			return nil
		}
		if err != nil {
			lastErr = err
		}
		if time.Now().After(deadline) {
			if lastErr != nil {
				return fmt.Errorf("timed out after %v (last error: %w)", limit, lastErr)
			}
			return fmt.Errorf("timed out after %v", limit)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pollEvery):
		}
	}
}

func screenshot(t *testing.T, ctx context.Context, outDir, file string) {
	t.Helper()
	if outDir == "" {
		return
	}
	shotCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	png, err := chromedp.Run(shotCtx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Logf("screenshot %s: %v", file, err)
		return
	}
	writeShot(t, outDir, file, png)
}

func fullScreenshot(t *testing.T, ctx context.Context, outDir, file string) {
	t.Helper()
	shotCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	png, err := chromedp.Run(shotCtx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("screenshot %s: %v", file, err)
		return
	}
	writeShot(t, outDir, file, png)
}

func writeShot(t *testing.T, outDir, file string, png []byte) {
	path := filepath.Join(outDir, file)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Errorf("writing %s: %v", path, err)
		return
	}
	t.Logf("screenshot: %s (%d KiB)", path, len(png)/1024)
}

// newBrowser starts headless Chromium with a fresh profile and the flags that keep it off the network: this
// machine's network is closed, and Chromium's own background connections would only be refused.
func newBrowser(t *testing.T, chromium string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], // headless, no first run, no background networking, …
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(viewportWidth, viewportHeight),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
	t.Cleanup(func() { cancel(); cancelAlloc() })
	version, err := chromedp.Run(ctx, chromedp.Evaluate[string](`navigator.userAgent`))
	if err != nil {
		t.Fatalf("starting %s: %v", chromium, err)
	}
	t.Logf("browser: %s", version)
	return ctx
}

// labServer is JupyterLab started as `make lab` starts it, on a free port with a fresh token.
type labServer struct {
	cmd      *exec.Cmd
	port     int
	token    string
	log      *os.File
	exited   chan struct{} // closed when the jupyter process has exited
	stopOnce sync.Once
}

func startLab(t *testing.T, repo, outDir string) *labServer {
	t.Helper()
	s := &labServer{port: freePort(t), token: randomToken(t)}
	args := []string{"lab", "--config=scripts/jupyter_lab_config.py", "--no-browser", "--ip=127.0.0.1", fmt.Sprintf("--port=%d", s.port),
		"--ServerApp.port_retries=0", "--ServerApp.root_dir=notebooks"}
	if os.Getuid() == 0 {
		args = append(args, "--allow-root") // as the Makefile's LAB_ROOT_FLAG
	}
	s.cmd = exec.Command(filepath.Join(repo, ".venv", "bin", "jupyter"), args...)
	s.cmd.Dir = repo
	// JupyterLab's settings and workspaces in fresh folders: no autosave (the run's outputs never reach the
	// notebook files), no news fetched, no earlier workspace restored.
	settings := labSettings(t)
	s.cmd.Env = append(os.Environ(),
		"JUPYTER_TOKEN="+s.token, // through the environment, not the command line, as `make lab`
		"JUPYTER_PREFER_ENV_PATH=1",
		"CENTERLOSS_QUICK=1",
		"GOMLX_NO_AUTO_INSTALL=1",
		"JUPYTERLAB_SETTINGS_DIR="+settings,
		"JUPYTERLAB_WORKSPACES_DIR="+t.TempDir(),
	)
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var err error
	if s.log, err = os.Create(filepath.Join(outDir, "jupyter.log")); err != nil {
		t.Fatal(err)
	}
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("starting jupyter lab: %v", err)
	}
	s.exited = make(chan struct{})
	var waitErr error
	go func() { waitErr = s.cmd.Wait(); close(s.exited) }()
	t.Cleanup(func() { s.stop(t.Logf) })
	// Interrupted (Ctrl-C, or a SIGTERM from a job runner), the test's cleanups would not run: stop the server here.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case sig := <-signals:
			logf := func(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }
			logf("browser test: %v: stopping JupyterLab", sig)
			s.stop(logf)
			os.Exit(1)
		case <-s.exited:
			signal.Stop(signals)
		}
	}()
	deadline := time.Now().Add(serverStartTimeout)
	for {
		if s.status(t, "/api/status", true) == http.StatusOK {
			return s
		}
		select {
		case <-s.exited:
			t.Fatalf("jupyter lab exited before answering (%v); see out/browser/jupyter.log", waitErr)
		case <-time.After(500 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("jupyter lab did not answer /api/status within %v; see out/browser/jupyter.log",
				serverStartTimeout)
		}
	}
}

// labSettings writes JupyterLab user settings for the test: autosave off, news and update checks off.
func labSettings(t *testing.T) string {
	dir := t.TempDir()
	files := map[string]string{
		"@jupyterlab/docmanager-extension/plugin.jupyterlab-settings":     `{"autosave": false}`,
		"@jupyterlab/apputils-extension/notification.jupyterlab-settings": `{"fetchNews": "false", "checkForUpdates": false}`,
	}
	for name, body := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// status is the HTTP status of GET path, with or without the token.
func (s *labServer) status(t *testing.T, path string, withToken bool) int {
	resp, err := s.get(path, withToken)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func (s *labServer) get(path string, withToken bool) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodGet, fmt.Sprintf("http://127.0.0.1:%d%s", s.port, path), nil)
	if err != nil {
		return nil, err
	}
	if withToken {
		req.Header.Set("Authorization", "token "+s.token)
	}
	client := &http.Client{Timeout: 10 * time.Second}
	return client.Do(req)
}

type kernelModel struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	State       string `json:"execution_state"`
	Connections int    `json:"connections"`
}

// sessionKernel is the kernel of the server's session for notebooks/name (an error until there is one).
func (s *labServer) sessionKernel(name string) (kernelModel, error) {
	resp, err := s.get("/api/sessions", true)
	if err != nil {
		return kernelModel{}, err
	}
	defer resp.Body.Close()
	var sessions []struct {
		Path   string      `json:"path"`
		Kernel kernelModel `json:"kernel"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&sessions); err != nil {
		return kernelModel{}, fmt.Errorf("GET /api/sessions: %w", err)
	}
	for _, session := range sessions {
		if session.Path == name {
			return session.Kernel, nil
		}
	}
	return kernelModel{}, fmt.Errorf("no session for %s yet", name)
}

// kernelStates lists the server's kernels as "name: execution state".
func (s *labServer) kernelStates(t *testing.T) []string {
	resp, err := s.get("/api/kernels", true)
	if err != nil {
		t.Logf("GET /api/kernels: %v", err)
		return nil
	}
	defer resp.Body.Close()
	var kernels []struct {
		Name  string `json:"name"`
		State string `json:"execution_state"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&kernels); err != nil {
		t.Logf("GET /api/kernels: %v", err)
		return nil
	}
	var out []string
	for _, k := range kernels {
		out = append(out, k.Name+": "+k.State)
	}
	return out
}

// stop asks the server to shut down (it shuts its kernels down first, which run in sessions of their own), then
// ends its process group: SIGTERM, and SIGKILL if it lingers.
func (s *labServer) stop(logf func(string, ...any)) {
	s.stopOnce.Do(func() { s.doStop(logf) })
}

func (s *labServer) doStop(logf func(string, ...any)) {
	defer s.log.Close()
	pgid := s.cmd.Process.Pid
	wait := func(d time.Duration) bool {
		select {
		case <-s.exited:
			return true
		case <-time.After(d):
			return false
		}
	}
	select {
	case <-s.exited: // it ended by itself: only its group may be left
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		return
	default:
	}
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("http://127.0.0.1:%d/api/shutdown", s.port), nil)
	req.Header.Set("Authorization", "token "+s.token)
	if resp, err := (&http.Client{Timeout: 20 * time.Second}).Do(req); err == nil {
		resp.Body.Close()
	}
	if !wait(20 * time.Second) {
		_ = syscall.Kill(-pgid, syscall.SIGTERM)
		if !wait(10 * time.Second) {
			logf("jupyter lab (pid %d) ignored SIGTERM: SIGKILL", pgid)
			_ = syscall.Kill(-pgid, syscall.SIGKILL)
			wait(5 * time.Second)
		}
	}
	_ = syscall.Kill(-pgid, syscall.SIGKILL) // whatever is left of the group
}

// chromiumPath is $CENTERLOSS_CHROMIUM, or Debian's /usr/bin/chromium, or the chromium on PATH.
func chromiumPath() string {
	if path := os.Getenv(ChromiumEnvVar); path != "" {
		return path
	}
	const debian = "/usr/bin/chromium"
	if _, err := os.Stat(debian); err != nil {
		if found, err := exec.LookPath("chromium"); err == nil {
			return found
		}
	}
	return debian
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func randomToken(t *testing.T) string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func repoRoot(t *testing.T) string {
	dir, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "labtest", "browser", "browser_test.go")); err != nil {
		t.Fatalf("%s is not the repository root", dir)
	}
	return dir
}

func hasCheckpoint(dir string) bool {
	matches, _ := filepath.Glob(filepath.Join(dir, "checkpoint-*.bin"))
	return len(matches) > 0
}

func fileHash(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
