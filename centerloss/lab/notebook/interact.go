package notebook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"image/png"
	"strconv"
	"time"

	"github.com/centerloss/centerloss/centerloss/language"
	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/comms"
	"github.com/janpfeifer/gonb/gonbui/dom"
	"github.com/janpfeifer/gonb/gonbui/widgets"
)

// Slider is one GoNB slider of Interact: integer positions from Min to Max, starting at Value. Show writes a
// position as the learner reads it ("α = 0.50"); nil shows the number.
type Slider struct {
	Label           string
	Min, Max, Value int
	Show            func(position int) string
}

// IdleTimeout is how long an Interact cell waits for a move before it ends by itself, so that a notebook run top
// to bottom goes on even if nobody presses Done.
const IdleTimeout = 90 * time.Second

// helloTimeout is how long Interact waits for the browser's first message. A headless run (nbclient, nbconvert)
// has no browser: GoNB's widgets would wait for its answer forever, so Interact draws the picture once instead.
const helloTimeout = 8 * time.Second

// InteractIDPrefix starts the id of the <div> that holds an Interact cell's sliders, its picture and its Done
// button (the browser test finds them there).
const InteractIDPrefix = "centerloss-interact-"

// Interact shows the picture draw(positions) under the sliders and redraws it in place each time one moves, until
// Done is pressed or nothing moves for IdleTimeout. Then the widgets give way to the last picture, as a PNG that
// the saved notebook keeps. Run headless, it shows the first picture and says why nothing moves.
func Interact(sliders []Slider, draw func(positions []int) ([]byte, error)) error {
	positions := make([]int, len(sliders))
	for i, s := range sliders {
		positions[i] = s.Value
	}
	png, err := draw(positions)
	if err != nil {
		return err
	}
	if !browserListening() {
		ShowPNG(png)
		fmt.Println(language.Sayf("(%s: the sliders move in JupyterLab; run headless, this is the picture at their start)",
			describePositions(sliders, positions)))
		return nil
	}
	root := InteractIDPrefix + gonbui.UniqueId()
	container := "centerloss_interact_" + gonbui.UniqueId()
	gonbui.UpdateHTML(container, fmt.Sprintf(`<div id="%s" style="font-family: sans-serif"></div>`, root))
	moved := make(chan [2]int, len(sliders))
	valueIDs := make([]string, len(sliders))
	for i, s := range sliders {
		valueIDs[i] = root + "-value-" + strconv.Itoa(i)
		dom.Append(root, fmt.Sprintf(`<div><span style="display:inline-block; min-width: 12em">%s</span>`,
			html.EscapeString(s.Label)))
		w := widgets.Slider(s.Min, s.Max, s.Value).AppendTo(root).Done()
		dom.Append(root, fmt.Sprintf(` <span id="%s" style="font-family: monospace">%s</span></div>`, valueIDs[i],
			html.EscapeString(s.show(s.Value))))
		go func(i int, updates <-chan int) {
			for v := range updates {
				moved <- [2]int{i, v}
			}
		}(i, w.Listen().LatestOnly().C)
	}
	picture := root + "-picture"
	dom.Append(root, fmt.Sprintf(`<div id="%s">%s</div>`, picture, imgTag(png, pngWidth(png))))
	done := widgets.Button(language.Say("Done")).AppendTo(root).Done().Listen()
	dom.Append(root, fmt.Sprintf(`<div style="color: #666; font-size: small">%s</div>`,
		html.EscapeString(language.Sayf("Move the sliders; Done (or %.0f s without a move) ends the cell and keeps the "+
			"last picture.", IdleTimeout.Seconds()))))
	idle := time.NewTimer(IdleTimeout)
	settle := time.NewTimer(time.Hour)
	settle.Stop()
	show := func() { dom.TransientJavascript(redrawJS(valueIDs, sliders, positions, picture, png)) }
loop:
	for {
		select {
		case m := <-moved:
			positions[m[0]] = m[1]
			if png, err = draw(positions); err != nil {
				break loop
			}
			show()
			idle.Reset(IdleTimeout)
			settle.Reset(settleAfter)
		case <-settle.C:
			show() // once more when the hand rests: a script replaced before it ran leaves no stale picture
		case <-done.C:
			break loop
		case <-idle.C:
			break loop
		}
	}
	done.Close()
	gonbui.UpdateHTML(container, "")
	if err != nil {
		return err
	}
	ShowPNG(png)
	fmt.Printf("(%s)\n", describePositions(sliders, positions))
	return nil
}

// settleAfter is how long after the last move Interact shows the last picture again.
const settleAfter = 400 * time.Millisecond

// redrawJS is one script that sets the sliders' values and the picture together, so that the numbers beside the
// sliders and the picture never tell two different moments (GoNB runs each script through one transient output,
// and a script replaced before it ran would be lost alone).
func redrawJS(valueIDs []string, sliders []Slider, positions []int, picture string, png []byte) string {
	quote := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	js := "(() => { const set = (id, text) => { const e = document.getElementById(id); if (e) e.innerText = text; };"
	for i, id := range valueIDs {
		js += fmt.Sprintf(" set(%s, %s);", quote(id), quote(sliders[i].show(positions[i])))
	}
	return js + fmt.Sprintf(" const p = document.getElementById(%s); if (p) p.innerHTML = %s; })();", quote(picture),
		quote(imgTag(png, pngWidth(png))))
}

// pngWidth is the width of a PNG in pixels (ReplaySize if it cannot be read), so that it is shown at its own size.
func pngWidth(data []byte) int {
	config, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return ReplaySize
	}
	return config.Width
}

func (s Slider) show(position int) string {
	if s.Show == nil {
		return strconv.Itoa(position)
	}
	return s.Show(position)
}

func describePositions(sliders []Slider, positions []int) string {
	text := ""
	for i, s := range sliders {
		if i > 0 {
			text += language.Say(", ")
		}
		text += s.Label + " " + s.show(positions[i])
	}
	return text
}

// browserListening tells whether a browser shows this cell's output and answers its widgets: a script that says
// hello as soon as GoNB's gonb_comm is up in the page, and helloTimeout to hear it.
func browserListening() bool {
	if !gonbui.IsNotebook { // a program or a test outside GoNB: nobody to hear
		return false
	}
	address := "/centerloss/hello/" + gonbui.UniqueId()
	hello := comms.Listen[int](address)
	defer hello.Close()
	sendWidgetSocketFix() // before GoNB opens its socket: a server behind JupyterHub (hubsocket.go)
	comms.Start()
	dom.TransientJavascript(fmt.Sprintf(`(() => {
		let tries = 0;
		const timer = setInterval(() => {
			const comm = globalThis?.gonb_comm;
			if (comm) { comm.send(%q, 1); clearInterval(timer); } else if (++tries > 200) { clearInterval(timer); }
		}, 20);
	})();`, address))
	select {
	case <-hello.C:
		return true
	case <-time.After(helloTimeout):
		return false
	}
}
