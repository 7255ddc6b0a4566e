package exercise

import (
	_ "embed"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strings"

	"github.com/centerloss/centerloss/centerloss/language"
	"github.com/pkg/errors"
)

// solutionSource is solution.go itself: the answers shown are the code the tests check, never a copy that drifts.
//
//go:embed solution.go
var solutionSource string

// solutionNames are the names Solution knows: the exercises' functions, in the notebook's order.
var solutionNames = []string{"myCenterLoss", "myUpdateCenters"}

// Solution returns the Go source of the reference solution named name, "myCenterLoss" or "myUpdateCenters": the
// function's declaration with its doc comment, which compiles in a GoNB cell that imports
// "github.com/gomlx/gomlx/core/graph" (it uses graph ops and builtins only).
func Solution(name string) (string, error) {
	if !slices.Contains(solutionNames, name) {
		return "", errors.New(language.Sayf("no solution named %q: the exercises are %s", name,
			strings.Join(solutionNames, ", ")))
	}
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "solution.go", solutionSource, parser.ParseComments)
	if err != nil {
		return "", errors.Wrap(err, "parsing the embedded solution.go")
	}
	for _, decl := range file.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Recv != nil || fn.Name.Name != name {
			continue
		}
		start := fn.Pos()
		if fn.Doc != nil {
			start = fn.Doc.Pos()
		}
		return solutionSource[fset.Position(start).Offset:fset.Position(fn.End()).Offset] + "\n", nil
	}
	return "", errors.Errorf("solution.go has no function %s", name)
}
