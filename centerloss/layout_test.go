package centerloss_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestReadmeLayoutMatchesTheTree: the table of README's "Layout" section lists every Go file of the library, in
// the folder it is in, and nothing else.
func TestReadmeLayoutMatchesTheTree(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	section, _, _ := strings.Cut(string(readme[strings.Index(string(readme), "\n## Layout\n"):]), "\n## Tests\n")
	row := regexp.MustCompile("(?m)^\\| `(centerloss/[^`]*)` \\| (.*) \\|$")
	var listed []string
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		for _, name := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(m[2], -1) {
			listed = append(listed, filepath.Join(m[1], name[1]))
		}
	}
	var tree []string
	err = filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".go") {
			tree = append(tree, filepath.Join("centerloss", path))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(listed)
	slices.Sort(tree)
	for _, f := range tree {
		if !slices.Contains(listed, f) {
			t.Errorf("%s is not in README's Layout", f)
		}
	}
	for _, f := range listed {
		if !slices.Contains(tree, f) {
			t.Errorf("README's Layout lists %s, which is not in the tree", f)
		}
	}
}

// allowedImports is README's Layout as a table: the packages of ours that each package (its non-test files) may
// import. Nothing imports upwards: the method and the network know nothing of training, training nothing of the
// rivals or the notebooks.
var allowedImports = map[string][]string{
	".":          {"setting"},
	"setting":    nil,
	"lenetpp":    {"setting"},
	"metricloss": {".", "setting"},
	"evaluation": {".", "setting", "lenetpp", "data", "metrics", "plots", "teach", "language"},
	"training": {".", "setting", "lenetpp", "metricloss", "evaluation", "data", "plots", "language", "internal/atomicfile",
		"internal/npy"},
	"rivals": {".", "setting", "metricloss", "evaluation", "training", "data"},
	"notebook": {".", "setting", "lenetpp", "metricloss", "evaluation", "training", "rivals", "data", "metrics",
		"plots", "teach", "xlabackend", "exercise", "language", "internal/atomicfile"},
	"exercise":   {".", "xlabackend", "language"},
	"language":   nil,
	"xlabackend": nil,
	"metrics":    nil,
	"plots":      {"language", "internal/atomicfile"},
	"teach":      nil,
	"data":       nil,
}

// TestPackagesImportOnlyWhatLayoutAllows reads the imports of every non-test file of the library's packages.
func TestPackagesImportOnlyWhatLayoutAllows(t *testing.T) {
	const module = "github.com/centerloss/centerloss/centerloss"
	fset := token.NewFileSet()
	for dir, allowed := range allowedImports {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no Go files (%v)", dir, err)
		}
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			file, err := parser.ParseFile(fset, path, src, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, spec := range file.Imports {
				imported, _ := strconv.Unquote(spec.Path.Value)
				if imported != module && !strings.HasPrefix(imported, module+"/") {
					continue
				}
				ours := strings.TrimPrefix(strings.TrimPrefix(imported, module), "/")
				if ours == "" {
					ours = "."
				}
				if !slices.Contains(allowed, ours) {
					t.Errorf("%s imports %s, which README's Layout does not allow for package %s", path, ours, dir)
				}
			}
		}
	}
}
