package centerloss_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
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
