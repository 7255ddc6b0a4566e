// Package browser holds the notebooks' browser test: JupyterLab started as `make lab` starts it, and every lesson
// notebook, in order, opened in headless Chromium, its outputs cleared, "Run All Cells" clicked in the Run menu, a
// slider of its first interactive cell (notebook.Interact) moved by mouse while it runs, and the rendered page
// checked.
//
// It needs `make lab-setup` (the .venv with JupyterLab, the GoNB kernels) and Chromium, so `go test ./...` skips it
// unless CENTERLOSS_BROWSER_TEST=1; `make test-browser` sets it. CENTERLOSS_BROWSER_NOTEBOOKS chooses other
// notebooks (selectNotebooks). Screenshots, timings and the server's log go to out/browser/.
//
// The files: browser_test.go (the test), selection_test.go (which notebooks, which server root), server_test.go
// (JupyterLab), run_test.go (one notebook's run), interact_test.go and slider_test.go (the interactive cells),
// chrome_test.go (Chromium, the pointer, screenshots), page_test.go (reading JupyterLab's DOM), faults_test.go
// and slider_faults_test.go (the checkers checked on pages of their own).
package browser

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const (
	// EnableEnvVar must be "1" for the test to run.
	EnableEnvVar = "CENTERLOSS_BROWSER_TEST"
	// ChromiumEnvVar may name another Chromium binary than Debian's.
	ChromiumEnvVar = "CENTERLOSS_CHROMIUM"
	// NotebooksEnvVar may choose other notebooks than the lessons: see selectNotebooks.
	NotebooksEnvVar = "CENTERLOSS_BROWSER_NOTEBOOKS"

	kernelName    = "centerloss-xla-cpu"
	kernelDisplay = "Go (centerloss, XLA CPU)"

	serverStartTimeout = 3 * time.Minute  // 2 shared cores: JupyterLab takes a while
	pageReadyTimeout   = 4 * time.Minute  // the first load of JupyterLab's JavaScript, and the kernel's start
	runAllTimeout      = 30 * time.Minute // per notebook, from the click on Run All: a hang (a lesson promises ≤ 5)
	pollEvery          = 2 * time.Second
	viewportWidth      = 1400
	viewportHeight     = 1000
)

func TestNotebooksInBrowser(t *testing.T) {
	if os.Getenv(EnableEnvVar) != "1" {
		t.Skipf("needs `make lab-setup` and Chromium: run `make test-browser` (or set %s=1)", EnableEnvVar)
	}
	repo := repoRoot(t)
	outDir := filepath.Join(repo, "out", "browser")
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		t.Fatal(err)
	}
	tm := &timings{start: time.Now(), last: time.Now(), file: filepath.Join(outDir, "timings.txt")}
	defer func() { t.Logf("timings (also in out/browser/timings.txt):\n%s", tm.write()) }()

	chromium := chromiumPath()
	for _, need := range []string{filepath.Join(repo, ".venv", "bin", "jupyter"), filepath.Join(repo, ".bin", "gonb"),
		filepath.Join(repo, ".venv", "share", "jupyter", "kernels", kernelName, "kernel.json"), chromium} {
		if _, err := os.Stat(need); err != nil {
			t.Fatalf("%s is missing: run `make test-browser` (it runs `make lab-setup` and installs chromium)", need)
		}
	}

	root := labRoot(t, repo, selectNotebooks(t, repo))
	// The notebooks' files must come out of the test as they went in: the test switches autosave off.
	before := map[string]string{}
	for _, nb := range root.Notebooks {
		before[nb.File] = fileHash(t, nb.File)
	}

	srv := startLab(t, repo, root.Dir, outDir)
	tm.mark(t, fmt.Sprintf("JupyterLab up on 127.0.0.1:%d, root %s", srv.port, root.Dir))

	// A side check: no token, no API.
	if code := srv.status(t, "/api/contents", false); code != http.StatusForbidden && code != http.StatusUnauthorized {
		t.Errorf("GET /api/contents without the token answered %d, want 403 or 401", code)
	} else {
		t.Logf("GET /api/contents without the token: %d (refused, as it should be)", code)
	}

	ctx := newBrowser(t, chromium)
	// In order, in one server: a lesson may load the model that an earlier one trained.
	worst := 2*pageReadyTimeout + runAllTimeout + 5*time.Minute
	for i, nb := range root.Notebooks {
		if deadline, ok := t.Deadline(); ok && time.Until(deadline) < worst+2*time.Minute {
			t.Errorf("not run, too little of go test's -timeout left: %s", notebookNames(root.Notebooks[i:]))
			break
		}
		start := time.Now()
		passed := t.Run(nb.Base, func(t *testing.T) { runNotebook(t, ctx, srv, tm, nb, outDir) })
		tm.notebookTotal(nb.Path, time.Since(start), !passed)
		tm.write()
	}

	for _, nb := range root.Notebooks {
		if fileHash(t, nb.File) != before[nb.File] {
			t.Errorf("%s changed on disk during the test (autosave should be off)", nb.File)
		}
	}
	srv.stop(t.Logf)
	tm.mark(t, "JupyterLab and its kernels shut down")
}

func notebookNames(nbs []servedNotebook) string {
	var names []string
	for _, nb := range nbs {
		names = append(names, nb.Path)
	}
	return strings.Join(names, ", ")
}

// timings are the test's phases, and a line per notebook, logged at the end and written to out/browser/timings.txt
// after each notebook.
type timings struct {
	start, last time.Time
	file        string
	notebooks   []string
	runs        map[string]time.Duration // from the click on Run All to the end of the run
	phases      []string
}

func (tm *timings) mark(t *testing.T, phase string) {
	now := time.Now()
	line := fmt.Sprintf("%-58s %7.1fs  (at %6.1fs)", phase, now.Sub(tm.last).Seconds(), now.Sub(tm.start).Seconds())
	tm.phases = append(tm.phases, line)
	tm.last = now
	t.Log("timing: " + line)
}

func (tm *timings) notebookRun(name string, d time.Duration) {
	if tm.runs == nil {
		tm.runs = map[string]time.Duration{}
	}
	tm.runs[name] = d
}

func (tm *timings) notebookTotal(name string, total time.Duration, failed bool) {
	run := "run not ended"
	if d, ok := tm.runs[name]; ok {
		run = fmt.Sprintf("%6.1fs from Run All to the end (limit %v)", d.Seconds(), runAllTimeout)
	}
	result := "ok"
	if failed {
		result = "FAILED"
	}
	tm.notebooks = append(tm.notebooks, fmt.Sprintf("%-44s %7.1fs in all, %s  %s", name, total.Seconds(), run, result))
}

// write writes out/browser/timings.txt and returns its text.
func (tm *timings) write() string {
	text := "notebooks:\n" + strings.Join(tm.notebooks, "\n") + "\n\nphases:\n" + strings.Join(tm.phases, "\n") + "\n"
	_ = os.WriteFile(tm.file, []byte(text), 0o644)
	return text
}
