package notebook

import (
	"fmt"
	"html"
	"time"

	"github.com/centerloss/centerloss/centerloss/language"
	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/dom"
	"github.com/janpfeifer/gonb/gonbui/widgets"
)

// Choose shows a list (a GoNB select) and a button, and returns the option picked when the button is pressed: the
// choice comes before the work, as a hand raised before a run. Without a press for IdleTimeout, or run headless
// (no browser answers), it takes the default and says so. The label, the options and the button are shown in the
// learner's language where it has words for them (language.Say).
func Choose(label string, options []string, byDefault int, button string) int {
	if byDefault < 0 || byDefault >= len(options) {
		panic(fmt.Sprintf("notebook.Choose: default %d is not one of the %d options", byDefault, len(options)))
	}
	label, button = language.Say(label), language.Say(button)
	shown := make([]string, len(options))
	for i, o := range options {
		shown[i] = language.Say(o)
	}
	if !browserListening() {
		fmt.Println(language.Sayf("%s %s (the default: run headless, nobody chooses)", label, shown[byDefault]))
		return byDefault
	}
	root := InteractIDPrefix + gonbui.UniqueId()
	container := "centerloss_choose_" + gonbui.UniqueId()
	gonbui.UpdateHTML(container, fmt.Sprintf(`<div id="%s" style="font-family: sans-serif"></div>`, root))
	dom.Append(root, fmt.Sprintf(`<span>%s </span>`, html.EscapeString(label)))
	list := widgets.Select(shown).SetDefault(byDefault).AppendTo(root).Done()
	dom.Append(root, " ")
	pressed := widgets.Button(button).AppendTo(root).Done().Listen()
	defer pressed.Close()
	choice, said := byDefault, ""
	select {
	case <-pressed.C:
		choice = list.Value()
		said = language.Sayf("%s %s (chosen)", label, shown[choice])
	case <-time.After(IdleTimeout):
		said = language.Sayf("%s %s (the default: nobody pressed %s for %.0f s)", label, shown[choice], button,
			IdleTimeout.Seconds())
	}
	gonbui.UpdateHTML(container, "")
	fmt.Println(said)
	return choice
}
