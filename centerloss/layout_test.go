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

// TestLayoutListsEveryFile: the table of docs/layout.md lists every Go file of both modules (all under centerloss/),
// in the folder it is in, and nothing else.
func TestLayoutListsEveryFile(t *testing.T) {
	section := layoutSection(t)
	row := regexp.MustCompile("(?m)^\\| `(centerloss/[^`]*)` \\| (.*) \\|$")
	var listed []string
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		for _, name := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(m[2], -1) {
			listed = append(listed, filepath.Join(m[1], name[1]))
		}
	}
	var tree []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir // not a package: the go command ignores it too
		}
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".go") {
			tree = append(tree, filepath.ToSlash(filepath.Join("centerloss", path)))
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
			t.Errorf("%s is not in docs/layout.md", f)
		}
	}
	for _, f := range listed {
		if !slices.Contains(tree, f) {
			t.Errorf("docs/layout.md lists %s, which is not in the tree", f)
		}
	}
}

// layoutSection is docs/layout.md, the layout by package that README points to.
func layoutSection(t *testing.T) string {
	t.Helper()
	layout, err := os.ReadFile("../docs/layout.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(layout)
}

// allowedImports reads, from each paragraph of docs/layout.md that opens with packages in bold (**`name`**) and
// says "Imports of ours: `a`, `b`." (or "none"; the list ends at its first full stop, a name may carry a note in
// parentheses), the packages of ours each of them may import: "." is the method,
// the root package.
func allowedImports(t *testing.T) map[string][]string {
	t.Helper()
	opening := regexp.MustCompile("^\\*\\*`([^`]+)`\\*\\*")
	named := regexp.MustCompile("\\*\\*`([^`]+)`\\*\\*")
	allowed := map[string][]string{}
	for _, paragraph := range strings.Split(layoutSection(t), "\n\n") {
		paragraph = strings.Join(strings.Fields(paragraph), " ")
		_, imports, found := strings.Cut(paragraph, "Imports of ours: ")
		if !opening.MatchString(paragraph) || !found {
			continue
		}
		imports, _, _ = strings.Cut(imports, ".")
		var names []string
		if imports != "none" {
			for _, name := range strings.Split(imports, ", ") {
				name = strings.Trim(name, "` ")
				if i := strings.Index(name, "` ("); i >= 0 { // "`language` (its pictures' words)"
					name = name[:i]
				}
				name, _, _ = strings.Cut(name, "`")
				if name == "centerloss" {
					name = "."
				}
				names = append(names, name)
			}
		}
		for _, m := range named.FindAllStringSubmatch(paragraph, -1) {
			pkg := m[1]
			if pkg == "centerloss" {
				pkg = "."
			}
			allowed[pkg] = names
		}
	}
	return allowed
}

// TestPackagesImportOnlyWhatLayoutAllows: every folder of Go files of both modules (the library's, and the lessons'
// in centerloss/lab) has its paragraph in docs/layout.md, and its files import only the packages of ours that the
// paragraph allows: its non-test files, or its test files where it has no others.
func TestPackagesImportOnlyWhatLayoutAllows(t *testing.T) {
	const module = "github.com/centerloss/centerloss/"
	allowed := allowedImports(t)
	if len(allowed) < 20 {
		t.Fatalf("read the imports of only %d packages from docs/layout.md: %v", len(allowed), allowed)
	}
	files := map[string][]string{} // package, as docs/layout.md names it → its Go files
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".go") {
			pkg := filepath.ToSlash(filepath.Dir(path))
			files[pkg] = append(files[pkg], path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for pkg, paths := range files {
		allowedHere, ok := allowed[pkg]
		if !ok {
			t.Errorf("package %s has no paragraph in docs/layout.md that says what it may import", pkg)
			continue
		}
		onlyTests := !slices.ContainsFunc(paths, func(p string) bool { return !strings.HasSuffix(p, "_test.go") })
		for _, path := range paths {
			if strings.HasSuffix(path, "_test.go") && !onlyTests {
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
				if !strings.HasPrefix(imported, module) {
					continue
				}
				ours := strings.TrimPrefix(imported, module)
				switch {
				case ours == "centerloss":
					ours = "."
				case strings.HasPrefix(ours, "centerloss/"):
					ours = strings.TrimPrefix(ours, "centerloss/")
				}
				if !slices.Contains(allowedHere, ours) {
					t.Errorf("%s imports %s, which docs/layout.md does not allow for package %s", path, ours, pkg)
				}
			}
		}
	}
}
