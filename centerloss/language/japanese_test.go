package language

import (
	"encoding/json"
	"go/ast"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/centerloss/centerloss/centerloss/internal/gosource"
)

// phrase is where the library says an English phrase, and whether it draws it in a picture (InPicture).
type phrase struct {
	where   string
	picture bool
}

// phrasesSaid returns the constant English that the library's non-test files hand to Say, Sayf, InPicture and
// InPicturef.
func phrasesSaid(t *testing.T) map[string]phrase {
	t.Helper()
	said := map[string]phrase{}
	fset, files := gosource.Parse(t, "..", func(path string) bool { return !strings.HasSuffix(path, "_test.go") })
	for _, file := range files {
		ast.Inspect(file.AST, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || !isIdent(sel.X, "language") || !strings.HasPrefix(sel.Sel.Name, "Say") &&
				!strings.HasPrefix(sel.Sel.Name, "InPicture") {
				return true
			}
			if s, ok := constantString(call.Args[0]); ok {
				said[s] = phrase{fset.Position(call.Pos()).String(),
					said[s].picture || strings.HasPrefix(sel.Sel.Name, "InPicture")}
			}
			return true
		})
	}
	if len(said) < 40 {
		t.Fatalf("only %d phrases said in the library: the scan misses calls", len(said))
	}
	return said
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

// constantString is a string literal, or a sum of them ("…" + "…"), or the name of a constant of the same file.
func constantString(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.STRING {
			s, err := strconv.Unquote(e.Value)
			return s, err == nil
		}
	case *ast.BinaryExpr:
		a, okA := constantString(e.X)
		b, okB := constantString(e.Y)
		return a + b, okA && okB && e.Op == token.ADD
	case *ast.Ident:
		if e.Obj != nil {
			if spec, ok := e.Obj.Decl.(*ast.ValueSpec); ok && len(spec.Values) == 1 {
				return constantString(spec.Values[0])
			}
		}
	}
	return "", false
}

// wordsOfLessons are the English code cells of the lessons hand to the library, which shows them in the learner's
// language (notebook.Choose's label, options and button).
func wordsOfLessons(t *testing.T) map[string]bool {
	t.Helper()
	paths, err := filepath.Glob("../../notebooks/0*.ipynb")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no lessons in ../../notebooks (%v)", err)
	}
	quoted := regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
	words := map[string]bool{}
	for _, path := range paths {
		var nb struct {
			Cells []struct {
				Type   string   `json:"cell_type"`
				Source []string `json:"source"`
			} `json:"cells"`
		}
		data, err := os.ReadFile(path)
		if err == nil {
			err = json.Unmarshal(data, &nb)
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, c := range nb.Cells {
			if c.Type == "code" {
				for _, q := range quoted.FindAllString(strings.Join(c.Source, ""), -1) {
					if s, err := strconv.Unquote(q); err == nil {
						words[s] = true
					}
				}
			}
		}
	}
	return words
}

// TestEveryPhraseIsInJapanese: every English phrase the library says has its Japanese, and every Japanese entry
// is said by the library or handed to it by a lesson (no entry left behind by a change of the English).
func TestEveryPhraseIsInJapanese(t *testing.T) {
	said := phrasesSaid(t)
	for english, p := range said {
		if _, ok := japanese[english]; !ok && strings.IndexFunc(english, unicode.IsLetter) >= 0 {
			t.Errorf("%s: %q has no Japanese (language/japanese.go)", p.where, english)
		}
	}
	lessons := wordsOfLessons(t)
	for english := range japanese {
		if _, ok := said[english]; !ok && !lessons[english] {
			t.Errorf("japanese.go: %q is said nowhere: neither the library nor a lesson's code says it", english)
		}
	}
}

// TestEveryFormatKeepsItsArguments: a translation has the English's verbs, the same number, in the same order or
// reordered by explicit indices; and it is Japanese (kana or kanji) or, like "%s Loss", only verbs and Latin words.
func TestEveryFormatKeepsItsArguments(t *testing.T) {
	verb := regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d*)?(\[\d+\])?[a-zA-Z%]`)
	kinds := func(format string) string {
		var implicit, explicit []string
		for _, v := range verb.FindAllString(format, -1) {
			if strings.HasSuffix(v, "%") {
				continue
			}
			kind := v[len(v)-1:]
			if i := strings.LastIndex(v, "["); i >= 0 {
				n, _ := strconv.Atoi(v[i+1 : strings.Index(v[i:], "]")+i])
				for len(explicit) < n {
					explicit = append(explicit, "")
				}
				explicit[n-1] = kind
				continue
			}
			implicit = append(implicit, kind)
		}
		if explicit != nil {
			return strings.Join(explicit, "")
		}
		return strings.Join(implicit, "")
	}
	for english, ja := range japanese {
		if got, want := kinds(ja), kinds(english); got != want {
			t.Errorf("%q: Japanese %q has the verbs %q, English %q", english, ja, got, want)
		}
		if strings.Count(ja, "\n") != strings.Count(english, "\n") {
			t.Errorf("%q: Japanese %q breaks its lines elsewhere", english, ja)
		}
	}
}

// TestSayAndInPicture: Japanese where the language is Japanese and the table has the words, English otherwise.
func TestSayAndInPicture(t *testing.T) {
	defer Set(Chosen)
	Set("en")
	if got := Sayf("step %s, accuracy %.1f%%", "150", 97.04); got != "step 150, accuracy 97.0%" {
		t.Errorf("English: %q", got)
	}
	Set("ja")
	if got := Sayf("step %s, accuracy %.1f%%", "150", 97.04); got != "ステップ 150、精度 97.0%" {
		t.Errorf("Japanese: %q", got)
	}
	if got := Sayf("training %s (%s) for %d steps from step %d…\n", "a", "b", 150, 50); got != "a（b）をステップ 50 から 150 ステップ学習します…\n" {
		t.Errorf("reordered: %q", got)
	}
	if got := Say("softmax"); got != "softmax" {
		t.Errorf("a name without an entry: %q", got)
	}
	want := "ステップ"
	if _, err := JapaneseFont(); err != nil {
		want = "step"
	}
	if got := InPicture("step"); got != want {
		t.Errorf("in a picture: %q, want %q", got, want)
	}
}
