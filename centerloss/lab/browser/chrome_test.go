package browser

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

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

// clickMenu opens the menu bar's menu and clicks its item, both found by their labels, as a person finds them.
func clickMenu(t *testing.T, ctx context.Context, outDir, base, menu, item string) {
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
		screenshot(t, ctx, outDir, base+"_menu_"+strings.ToLower(menu)+".png")
		t.Fatalf("%s: %s → %s: %v", base, menu, item, err)
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
		if _, err := pointAt(x, y)(ctx, t); err != nil {
			return err
		}
		_, err = chromedp.MouseClickXY(x, y)(ctx, t)
		return err
	})
}

// pointAt moves the mouse to (x, y), arriving from a pixel to the left.
func pointAt(x, y float64) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(chromedp.MouseEvent(chromedp.MouseMoved, x-1, y), chromedp.MouseEvent(chromedp.MouseMoved, x, y))
}

// dragX is a hand's drag along a line: the mouse onto (fromX, y), the left button pressed there, moved in steps to
// (toX, y) with the button held, and released there. Every event is CDP's Input.dispatchMouseEvent, so the page
// gets trusted mousedown, mousemove and mouseup events (and a range input its input and change events).
func dragX(fromX, toX, y float64, steps int) chromedp.Action[chromedp.Void] {
	left := func(p *input.DispatchMouseEventParams) { p.Button = input.MouseButtonLeft }
	held := func(p *input.DispatchMouseEventParams) { p.Buttons = 1 }
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		actions := []chromedp.Action[chromedp.Void]{
			pointAt(fromX, y),
			chromedp.MouseEvent(chromedp.MousePressed, fromX, y, left, held, chromedp.ClickCount(1)),
		}
		for i := 1; i <= steps; i++ {
			x := fromX + (toX-fromX)*float64(i)/float64(steps)
			actions = append(actions, chromedp.Sleep(40*time.Millisecond),
				chromedp.MouseEvent(chromedp.MouseMoved, x, y, left, held))
		}
		actions = append(actions, chromedp.Sleep(40*time.Millisecond),
			chromedp.MouseEvent(chromedp.MouseReleased, toX, y, left, chromedp.ClickCount(1)))
		_, err := chromedp.Steps(actions...)(ctx, t)
		if err != nil { // never leave the button down
			release, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			_, _ = chromedp.MouseEvent(chromedp.MouseReleased, toX, y, left, chromedp.ClickCount(1))(release, t)
		}
		return err
	})
}

// fitWholeNotebook makes the viewport as tall as the notebook's content (JupyterLab's page itself never scrolls,
// its notebook panel does), so that every output is laid out and its images decoded, and returns that height.
// Cells off screen are laid out with estimated heights (content-visibility), so fit, look again, fit again.
func fitWholeNotebook(ctx context.Context) (int, error) {
	height := viewportHeight
	for range 4 {
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](fitJS))
		var fit struct{ Need int }
		if err == nil {
			err = json.Unmarshal([]byte(raw), &fit)
		}
		if err != nil {
			return height, err
		}
		need := min(max(height+fit.Need, viewportHeight), 20000)
		if need == height {
			break
		}
		height = need
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(viewportWidth, int64(height)),
			chromedp.Sleep(time.Second)); err != nil {
			return height, err
		}
	}
	return height, nil
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
