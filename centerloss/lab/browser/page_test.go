package browser

import (
	"context"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"
)

// pageState is what readPage finds in JupyterLab's DOM.
type pageState struct {
	Panels        int        `json:"panels"` // notebooks open in the page
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
	// The interactive cells (notebook.Interact) showing their widgets now, in the page's order, and the buttons
	// that a cell waits for: those labelled "Train", and that of a notebook.Choose (a div with the id prefix of
	// Interact's, a select and a button, no slider), whatever its label.
	Interacts []interactState `json:"interacts"`
	Trains    []buttonState   `json:"trains"`
}

type buttonState struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// interactState is one <div id="centerloss-interact-…"> with its sliders: how many, whether its picture's <img>
// is decoded (Picture is then its src's length and hash, "" before) and whether its Done button is there.
type interactState struct {
	ID      string `json:"id"`
	Sliders int    `json:"sliders"`
	Picture string `json:"picture"`
	Done    bool   `json:"done"`
}

type imgState struct {
	PNG          bool `json:"png"`
	NaturalWidth int  `json:"naturalWidth"`
	Height       int  `json:"naturalHeight"`
	Complete     bool `json:"complete"`
}

// readPageJS reads the current notebook panel: its kernel and status (the toolbar), its code cells' prompts, the
// error outputs (a Jupyter error; stderr saying "panic" or "exit status", which is how GoNB reports a failing cell
// program; GoNB's HTML compiler-error display), the images in the outputs, and the interactive widgets.
const readPageJS = pictureKeyJS + `(() => {
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
  const interacts = [...panel.querySelectorAll('[id^="` + interactPrefix + `"]')]
    .filter(e => e.querySelector('input[type="range"]'))
    .map(e => ({id: e.id, sliders: e.querySelectorAll('input[type="range"]').length, picture: pictureKey(e.id),
                done: [...e.querySelectorAll('button')].some(b => ['Done', '完了'].includes(b.textContent.trim()))}));
  const trains = [...panel.querySelectorAll('.jp-OutputArea-output button')].filter(b => {
    if (b.textContent.trim() === 'Train') return true;
    const root = b.closest('[id^="` + interactPrefix + `"]'); // notebook.Choose: a select and its button
    return !!root && !root.querySelector('input[type="range"]') && !!root.querySelector('select');
  }).map(b => ({id: b.id, label: b.textContent.trim()}));
  return {
    panels: document.querySelectorAll('.jp-NotebookPanel').length,
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
    interacts,
    trains,
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

// pictureKeyJS defines pictureKey(id): for the interactive cell whose root has that id, its picture's src as its
// length and FNV-1a hash when the <img> is there and decoded, or "". Two keys differ when the srcs do (a PNG
// redrawn differently), without carrying the PNGs out of the page at every poll.
const pictureKeyJS = `function pictureKey(id) {
  const img = document.querySelector('[id="' + id + '-picture"] img');
  if (!img || !img.complete || !img.src) return '';
  let h = 0x811c9dc5;
  for (let i = 0; i < img.src.length; i++) h = Math.imul(h ^ img.src.charCodeAt(i), 0x01000193) >>> 0;
  return img.src.length + ':' + h.toString(16);
}
`

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
