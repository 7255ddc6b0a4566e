package browser

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The class hub's side of the browser test: labtest/notebooks/test_hub_browser.py starts the hub, signs a learner
// up, has the teacher approve them and starts their server, then runs TestLessonThroughHub with these set.
const (
	HubEnvVar         = "CENTERLOSS_BROWSER_HUB"          // the hub's URL, http://127.0.0.1:<port>
	HubUserEnvVar     = "CENTERLOSS_BROWSER_HUB_USER"     // the learner's name
	HubPasswordEnvVar = "CENTERLOSS_BROWSER_HUB_PASSWORD" // their password, typed into the hub's login form
	HubTokenEnvVar    = "CENTERLOSS_BROWSER_HUB_TOKEN"    // their API token: the test's own REST calls
	HubLessonEnvVar   = "CENTERLOSS_BROWSER_HUB_LESSON"   // the lesson, under their lessons folder
	HubHomeEnvVar     = "CENTERLOSS_BROWSER_HUB_LESSONS"  // that folder on disk
)

// TestLessonThroughHub logs in as a learner on the hub's own login page, as a person does, and then runs one
// lesson exactly as TestNotebooksInBrowser runs each (Run All, a slider moved and its picture seen to change),
// on the learner's server behind the hub's proxy. Screenshots: out/browser/hub_*.png.
func TestLessonThroughHub(t *testing.T) {
	hub := os.Getenv(HubEnvVar)
	if hub == "" {
		t.Skipf("run by labtest/notebooks/test_hub_browser.py (make test-browser-hub), which sets %s", HubEnvVar)
	}
	user, password, token := os.Getenv(HubUserEnvVar), os.Getenv(HubPasswordEnvVar), os.Getenv(HubTokenEnvVar)
	lesson := os.Getenv(HubLessonEnvVar)
	if user == "" || password == "" || token == "" || lesson == "" {
		t.Fatalf("%s, %s, %s and %s must be set with %s", HubUserEnvVar, HubPasswordEnvVar, HubTokenEnvVar,
			HubLessonEnvVar, HubEnvVar)
	}
	outDir := filepath.Join(repoRoot(t), "out", "browser")
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		t.Fatal(err)
	}
	tm := &timings{start: time.Now(), last: time.Now(), file: filepath.Join(outDir, "hub_timings.txt")}
	defer func() { t.Logf("timings (also in out/browser/hub_timings.txt):\n%s", tm.write()) }()

	ctx := newBrowser(t, chromiumPath())
	loginCtx, cancel := context.WithTimeout(ctx, pageReadyTimeout)
	defer cancel()
	err := chromedp.Do(loginCtx,
		chromedp.EmulateViewport(viewportWidth, viewportHeight),
		chromedp.Navigate(hub+"/hub/login"),
		chromedp.WaitVisible(chromedp.CSS(`#username_input`)),
		chromedp.SendKeys(chromedp.CSS(`#username_input`), user),
		chromedp.SendKeys(chromedp.CSS(`#password_input`), password),
		chromedp.Submit(chromedp.CSS(`#password_input`)),
		// The hub sends a learner whose server runs on to it: JupyterLab's shell, at /user/<name>/lab.
		chromedp.WaitVisible(chromedp.CSS(`#jp-main-dock-panel`)),
	)
	var landed string
	if err == nil {
		landed, err = chromedp.Run(loginCtx, chromedp.Location())
	}
	if err != nil {
		screenshot(t, ctx, outDir, "hub_login_failed.png")
		t.Fatalf("logging in as %s on %s/hub/login: %v", user, hub, err)
	}
	if want := hub + "/user/" + user + "/lab"; !strings.HasPrefix(landed, want) {
		t.Fatalf("after the login the page is %s, want %s…", landed, want)
	}
	screenshot(t, ctx, outDir, "hub_logged_in.png")
	tm.mark(t, "logged in through the hub's form: "+landed)

	srv := &labServer{base: hub + "/user/" + user, token: token} // pages by the login's cookie, the API by token
	nb := servedNotebook{Path: lesson, File: filepath.Join(os.Getenv(HubHomeEnvVar), lesson),
		Base: "hub_" + strings.ReplaceAll(strings.TrimSuffix(lesson, ".ipynb"), "/", "_")}
	start := time.Now()
	passed := t.Run(nb.Base, func(t *testing.T) { runNotebook(t, ctx, srv, tm, nb, outDir) })
	tm.notebookTotal(nb.Path, time.Since(start), !passed)
}
