package browser

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestReadPageFindsFaults checks the checker: readPage, on a page laid out as JupyterLab lays out a notebook (the
// same classes and attributes), must count the prompts, find every kind of error output, and tell a PNG wider than
// 100 pixels from a smaller one. It needs only Chromium (a few seconds), under the same switch as the notebook test.
func TestReadPageFindsFaults(t *testing.T) {
	if os.Getenv(EnableEnvVar) != "1" {
		t.Skipf("needs Chromium: run `make test-browser` (or set %s=1)", EnableEnvVar)
	}
	page := fmt.Sprintf(`<!doctype html><html><body>
<div class="jp-NotebookPanel">
  <div class="jp-Toolbar-kernelName">%s</div>
  <div class="jp-Notebook-ExecutionIndicator" data-status="idle"></div>
  <div class="jp-Notebook">
    <div class="jp-Cell jp-MarkdownCell"><div class="jp-InputArea-prompt"></div><p>text</p></div>
    <div class="jp-Cell jp-CodeCell"><div class="jp-InputArea-prompt">[1]:</div>
      <div class="jp-RenderedText jp-OutputArea-output" data-mime-type="application/vnd.jupyter.stderr">go: added x v1
      panic: boom</div></div>
    <div class="jp-Cell jp-CodeCell"><div class="jp-InputArea-prompt">[2]:</div>
      <div class="jp-RenderedText jp-OutputArea-output" data-mime-type="application/vnd.jupyter.stderr">exit status 2</div></div>
    <div class="jp-Cell jp-CodeCell"><div class="jp-InputArea-prompt">[*]:</div>
      <div class="jp-RenderedText jp-OutputArea-output" data-mime-type="application/vnd.jupyter.error">ERROR: x</div></div>
    <div class="jp-Cell jp-CodeCell"><div class="jp-InputArea-prompt">[ ]:</div>
      <div class="jp-RenderedHTMLCommon jp-OutputArea-output"><div class="gonb-err-line">undefined: foo</div></div></div>
    <div class="jp-Cell jp-CodeCell"><div class="jp-InputArea-prompt">[5]:</div>
      <div class="jp-RenderedText jp-OutputArea-output" data-mime-type="application/vnd.jupyter.stderr">go: added y v2</div>
      <div class="jp-RenderedImage jp-OutputArea-output"><img src="%s"></div>
      <div class="jp-RenderedImage jp-OutputArea-output"><img src="%s"></div></div>
  </div>
</div></body></html>`, kernelDisplay, pngDataURL(t, 240, 120), pngDataURL(t, 50, 50))
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(page))
	}))
	defer server.Close()

	ctx := newBrowser(t, chromiumPath())
	if err := chromedp.Do(ctx, chromedp.Navigate(server.URL), chromedp.WaitVisible(chromedp.CSS(`.jp-Notebook`))); err != nil {
		t.Fatal(err)
	}
	var state pageState
	if err := poll(ctx, 10*pollEvery, func() (bool, error) {
		var err error
		state, err = readPage(ctx)
		return err == nil && state.ImagesPending == 0, err
	}); err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", state)
	if state.Kernel != kernelDisplay || state.Status != "idle" {
		t.Errorf("kernel %q, status %q", state.Kernel, state.Status)
	}
	if state.CodeCells != 5 || state.Numbered != 3 || state.Running != 1 || state.Outputs != 7 || state.Stderr != 3 {
		t.Errorf("code cells %d (want 5), numbered %d (3), running %d (1), outputs %d (7), stderr %d (3)",
			state.CodeCells, state.Numbered, state.Running, state.Outputs, state.Stderr)
	}
	var kinds []string
	for _, e := range state.Errors {
		kinds = append(kinds, e[:strings.Index(e, ":")])
	}
	if want := []string{"stderr", "stderr", "error", "GoNB"}; !slices.Equal(kinds, want) {
		t.Errorf("errors found: %q, want the kinds %q", state.Errors, want)
	}
	if len(state.Images) != 2 || !state.Images[0].PNG || state.Images[0].NaturalWidth != 240 ||
		state.Images[1].NaturalWidth != 50 {
		t.Errorf("images: %+v, want a 240 and a 50 pixel wide PNG", state.Images)
	}
}

func pngDataURL(t *testing.T, width, height int) string {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, width, height))); err != nil {
		t.Fatal(err)
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())
}
