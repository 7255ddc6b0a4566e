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

// TestReadmeLayoutMatchesTheTree: the table of README's "Layout" section lists every Go file of the repository (centerloss/… and labtest/…), in
// the folder it is in, and nothing else.
func TestReadmeLayoutMatchesTheTree(t *testing.T) {
	section := layoutSection(t)
	row := regexp.MustCompile("(?m)^\\| `((?:centerloss|labtest)/[^`]*)` \\| (.*) \\|$")
	var listed []string
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		for _, name := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(m[2], -1) {
			listed = append(listed, filepath.Join(m[1], name[1]))
		}
	}
	var tree []string
	for _, root := range []string{".", "../labtest"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(path, ".go") {
				if root == "." {
					path = filepath.Join("centerloss", path)
				}
				tree = append(tree, strings.TrimPrefix(filepath.ToSlash(path), "../"))
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
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

// layoutSection is README's "Layout" section.
func layoutSection(t *testing.T) string {
	t.Helper()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	start := strings.Index(string(readme), "\n## Layout\n")
	if start < 0 {
		t.Fatal("README.md has no Layout section")
	}
	section, _, _ := strings.Cut(string(readme[start:]), "\n## Tests\n")
	return section
}

// allowedImports reads, from each paragraph of README's Layout that opens with packages in bold (**`name`**) and
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

// TestPackagesImportOnlyWhatLayoutAllows: every folder of Go files in the repository (centerloss/… and labtest/…)
// has its paragraph in README's Layout, and its files import only the packages of ours that the paragraph allows:
// its non-test files, or its test files where it has no others.
func TestPackagesImportOnlyWhatLayoutAllows(t *testing.T) {
	const module = "github.com/centerloss/centerloss/"
	allowed := allowedImports(t)
	if len(allowed) < 20 {
		t.Fatalf("read the imports of only %d packages from README's Layout: %v", len(allowed), allowed)
	}
	files := map[string][]string{} // package, as README names it → its Go files
	for _, root := range []string{".", "../labtest"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(path, ".go") {
				pkg := filepath.ToSlash(filepath.Dir(path))
				if root != "." {
					pkg = strings.TrimPrefix(pkg, "../")
				}
				files[pkg] = append(files[pkg], path)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	fset := token.NewFileSet()
	for pkg, paths := range files {
		allowedHere, ok := allowed[pkg]
		if !ok {
			t.Errorf("package %s has no paragraph in README's Layout that says what it may import", pkg)
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
					t.Errorf("%s imports %s, which README's Layout does not allow for package %s", path, ours, pkg)
				}
			}
		}
	}
}
