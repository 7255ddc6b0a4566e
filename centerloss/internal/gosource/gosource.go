// Package gosource gives the tests that read the library's own source (no init function, settings read only
// through their declaration, every phrase said in Japanese) its Go files, parsed.
package gosource

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// File is a parsed Go file and its path.
type File struct {
	Path string
	AST  *ast.File
}

// Parse parses every .go file under root whose path keep accepts (nil accepts all), in filepath.WalkDir's order;
// their positions are in the returned file set. A file that does not parse fails the test.
func Parse(t testing.TB, root string, keep func(path string) bool) (*token.FileSet, []File) {
	t.Helper()
	fset := token.NewFileSet()
	var files []File
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || (keep != nil && !keep(path)) {
			return err
		}
		file, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		files = append(files, File{Path: path, AST: file})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no Go files under %s", root)
	}
	return fset, files
}
