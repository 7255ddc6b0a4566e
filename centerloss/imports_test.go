package centerloss_test

import (
	"go/ast"
	"strings"
	"testing"

	"github.com/centerloss/centerloss/centerloss/internal/gosource"
	// Every package of the library, imported for their side effects, of which there must be none (the lessons'
	// module, centerloss/lab, checks its own the same way).
	_ "github.com/centerloss/centerloss/centerloss"
	_ "github.com/centerloss/centerloss/centerloss/data"
	_ "github.com/centerloss/centerloss/centerloss/evaluation"
	_ "github.com/centerloss/centerloss/centerloss/language"
	_ "github.com/centerloss/centerloss/centerloss/lenetpp"
	_ "github.com/centerloss/centerloss/centerloss/metricloss"
	_ "github.com/centerloss/centerloss/centerloss/metrics"
	_ "github.com/centerloss/centerloss/centerloss/plots"
	_ "github.com/centerloss/centerloss/centerloss/rivals"
	_ "github.com/centerloss/centerloss/centerloss/setting"
	_ "github.com/centerloss/centerloss/centerloss/teach"
	_ "github.com/centerloss/centerloss/centerloss/training"
	_ "github.com/centerloss/centerloss/centerloss/xlabackend"
)

// TestImportChangesNoGoMLXTable: with every package of ours imported, each gradient in GoMLX's graph.VJPRegistration
// is still a function of GoMLX's own (a replaced entry would be a function of ours).
func TestImportChangesNoGoMLXTable(t *testing.T) { gosource.AssertGoMLXGradients(t) }

// TestNoInitFunctionsNorGlobalTableWrites: no source file of ours has an init function, or assigns to an entry of
// a GoMLX table, so importing a package runs none of our code. (A test file's init runs only in its own test binary,
// which nobody imports: the crash tests use one to start their child processes.)
func TestNoInitFunctionsNorGlobalTableWrites(t *testing.T) {
	fset, files := gosource.Parse(t, ".", nil)
	for _, file := range files {
		ast.Inspect(file.AST, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				if n.Name.Name == "init" && n.Recv == nil && !strings.HasSuffix(file.Path, "_test.go") {
					t.Errorf("%s: func init", fset.Position(n.Pos()))
				}
			case *ast.AssignStmt:
				for _, lhs := range n.Lhs {
					if index, ok := lhs.(*ast.IndexExpr); ok {
						if sel, ok := index.X.(*ast.SelectorExpr); ok && sel.Sel.Name == "VJPRegistration" {
							t.Errorf("%s: writes graph.VJPRegistration", fset.Position(n.Pos()))
						}
					}
				}
			}
			return true
		})
	}
}
