package notebook

import "github.com/centerloss/centerloss/centerloss/exercise"

// words are what the widgets say to the learner, in the language of the checker (exercise.CurrentLanguage: a
// lesson in notebooks/ja/ speaks Japanese), so that the Japanese lessons run the English lessons' code.
type words struct {
	Done      string // the button that ends an interactive cell
	MoveHint  string // under the widgets: the idle timeout
	Headless  string // the sliders' positions: run headless, nothing moves
	Chosen    string // the list's label, the option
	ByDefault string // the list's label, the option, the button, the idle timeout
	Headless1 string // the list's label, the option: run headless, nobody chooses
	Solution  string // what opens a folded solution
}

var english = words{
	Done:      "Done",
	MoveHint:  "Move the sliders; Done (or %s without a move) ends the cell and keeps the last picture.",
	Headless:  "(%s: the sliders move in JupyterLab; run headless, this is the picture at their start)",
	Chosen:    "%s %s (chosen)",
	ByDefault: "%s %s (the default: nobody pressed %s for %s)",
	Headless1: "%s %s (the default: run headless, nobody chooses)",
	Solution:  "one solution",
}

var japanese = words{
	Done:      "完了",
	MoveHint:  "スライダーを動かしてみてください。「完了」を押すか、%s 動かさずにいるとセルが終わり、最後の図が残ります。",
	Headless:  "（%s: スライダーは JupyterLab の中で動きます。ブラウザなしで実行したので、これは初期位置の図です）",
	Chosen:    "%s %s（選択）",
	ByDefault: "%s %s（既定値: %s が %s の間押されませんでした）",
	Headless1: "%s %s（既定値: ブラウザなしで実行したので、だれも選んでいません）",
	Solution:  "解答例を見る",
}

func say() *words {
	if exercise.CurrentLanguage() == "ja" {
		return &japanese
	}
	return &english
}
