package gosource

import "testing"

// TestParse: this folder's three files, in order, or only the one kept, parsed with their package names.
func TestParse(t *testing.T) {
	_, files := Parse(t, ".", nil)
	if len(files) != 3 || files[0].Path != "gosource.go" || files[1].Path != "gosource_test.go" ||
		files[2].Path != "gradients.go" {
		t.Fatalf("files %v", files)
	}
	_, files = Parse(t, ".", func(path string) bool { return path == "gosource.go" })
	if len(files) != 1 || files[0].AST.Name.Name != "gosource" {
		t.Errorf("kept %v", files)
	}
}
