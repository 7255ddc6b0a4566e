package notebook

import (
	"fmt"
	"html"

	"github.com/centerloss/centerloss/centerloss/lab/exercise"
	"github.com/centerloss/centerloss/centerloss/language"
)

// ShowSolution shows one solution of an exercise of the theory notebook (exercise.Solution's name: "myCenterLoss",
// "myUpdateCenters") folded in a <details>: a run from top to bottom does not give it away, a click opens it.
func ShowSolution(name string) {
	source, err := exercise.Solution(name)
	if err != nil {
		fmt.Println(err)
		return
	}
	showHTML(solutionHTML(source))
}

func solutionHTML(source string) string {
	return fmt.Sprintf(`<details><summary>%s</summary><pre>%s</pre></details>`, html.EscapeString(language.Say("one solution")),
		html.EscapeString(source))
}
