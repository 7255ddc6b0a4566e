package exercise

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/centerloss/centerloss/centerloss/internal/testbackend"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/pkg/errors"
)

// TestBatchesAreWhatTheirNamesSay: the checker names a failing batch, so the name must be true.
func TestBatchesAreWhatTheirNamesSay(t *testing.T) {
	all := batches()
	if len(all) != 7 {
		t.Fatalf("%d batches, want 7", len(all))
	}
	counts := func(i int) []int { return all[i].counts() }
	if !slices.ContainsFunc(counts(0), func(n int) bool { return n > 1 }) || !slices.Contains(counts(0), 0) {
		t.Errorf("batch %q: counts %v, want a repeated and an absent class", all[0].name, counts(0))
	}
	if counts(1)[4] != 0 || counts(2)[3] != 1 || len(all[3].labels) != 1 || counts(4)[6] != 8 {
		t.Errorf("counts: class 4 %d, class 3 %d; batch sizes %d", counts(1)[4], counts(2)[3], len(all[3].labels))
	}
	if all[6].dim() != 3 {
		t.Errorf("batch %q has dim %d", all[6].name, all[6].dim())
	}
	if again := batches(); again[0].features[5][1] != all[0].features[5][1] {
		t.Error("the batches change from one call to the next")
	}
}

// TestSolutionsMatchPlainLoops: the reference solutions, on every batch, against float64 loops.
func TestSolutionsMatchPlainLoops(t *testing.T) {
	backend := testbackend.Get(t)
	for _, b := range batches() {
		outputs := graph.MustExecOnceN(backend, func(x, y, c *graph.Node) []*graph.Node {
			loss := myCenterLoss(x, y, c)
			grads := graph.Gradient(loss, x, c)
			return []*graph.Node{loss, grads[0], grads[1], myUpdateCenters(x, y, c, b.alpha)}
		}, b.features, b.labels, b.centers)
		testbackend.AssertClose(t, b.name+": loss", []float32{float32(lossLoop(&b))},
			tensors.MustCopyFlatData[float32](outputs[0]), 1e-5)
		testbackend.AssertClose(t, b.name+": ∂L/∂x", flat64(featureGradientLoop(&b)),
			tensors.MustCopyFlatData[float32](outputs[1]), 1e-6)
		testbackend.AssertClose(t, b.name+": ∂L/∂c", make([]float32, len(b.centers)*b.dim()),
			tensors.MustCopyFlatData[float32](outputs[2]), 0)
		testbackend.AssertClose(t, b.name+": centers", flat64(updateLoop(&b)),
			tensors.MustCopyFlatData[float32](outputs[3]), 1e-5)
	}
}

// TestSolutionText: each solution comes with its doc comment, alone, and compiles in a cell that imports only
// graph (type-checked here as such a file).
func TestSolutionText(t *testing.T) {
	src := "package main\n\nimport \"github.com/gomlx/gomlx/core/graph\"\n\n"
	for _, name := range []string{"myCenterLoss", "myUpdateCenters"} {
		text, err := Solution(name)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(text, "// "+name+" is ") || !strings.Contains(text, "func "+name+"(") {
			t.Errorf("Solution(%q) = %q, want its doc comment and declaration", name, text)
		}
		src += text + "\n"
	}
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "cell.go", src, parser.ParseComments)
	if err != nil {
		t.Fatalf("%v in\n%s", err, src)
	}
	if n := len(file.Decls); n != 3 {
		t.Errorf("the two solutions make %d declarations besides the import, want 2", n-1)
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "gc", exportData)}
	if _, err := conf.Check("main", fset, []*ast.File{file}, nil); err != nil {
		t.Fatalf("the solutions do not compile alone in a cell: %v\n%s", err, src)
	}
}

// exportData finds a package's compiled export data with `go list -export`, as gopls does: the test binary's
// build has just made graph's, so this reads the build cache.
func exportData(path string) (io.ReadCloser, error) {
	out, err := exec.Command("go", "list", "-export", "-f", "{{.Export}}", path).Output()
	if err != nil {
		return nil, errors.Wrapf(err, "go list -export %s", path)
	}
	return os.Open(strings.TrimSpace(string(out)))
}

func TestSolutionUnknownName(t *testing.T) {
	_, err := Solution("myCentreLoss")
	if err == nil || !strings.Contains(err.Error(), `"myCentreLoss"`) ||
		!strings.Contains(err.Error(), "myCenterLoss, myUpdateCenters") {
		t.Fatalf("Solution(unknown) error = %v, want one that lists the known names", err)
	}
}
