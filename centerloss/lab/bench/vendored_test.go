package bench

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestVendoredGoXLAIsUpstreamPlusPatch: third_party/go-xla, which this module's replace builds against, is exactly
// upstream go-xla at the version the library's go.mod requires (downloaded through the module proxy and checked against go.sum)
// with third_party/go-xla.patch applied, as scripts/vendor-go-xla.sh makes it: no file more, less or changed.
func TestVendoredGoXLAIsUpstreamPlusPatch(t *testing.T) {
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	goMod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(goMod, []byte("replace github.com/gomlx/go-xla => ../../third_party/go-xla")) {
		t.Fatal("centerloss/lab/go.mod does not replace github.com/gomlx/go-xla by ../../third_party/go-xla")
	}
	fresh := filepath.Join(t.TempDir(), "go-xla")
	cmd := exec.Command(filepath.Join(root, "scripts", "vendor-go-xla.sh"), fresh)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("scripts/vendor-go-xla.sh: %v\n%s", err, out)
	}
	vendored := filepath.Join(root, "third_party", "go-xla")
	want, got := treeFiles(t, fresh), treeFiles(t, vendored)
	for path, content := range want {
		if have, ok := got[path]; !ok {
			t.Errorf("third_party/go-xla lacks %s", path)
		} else if have != content {
			t.Errorf("third_party/go-xla/%s differs from upstream with the patch", path)
		}
	}
	for path := range got {
		if _, ok := want[path]; !ok {
			t.Errorf("third_party/go-xla/%s is not upstream's", path)
		}
	}
	if !strings.Contains(got["compute/xla/function.go"], `"jax.buffer_donor"`) {
		t.Error("third_party/go-xla/compute/xla/function.go does not mark parameters as buffer donors")
	}
}

// treeFiles is every file under root, by its slash-separated path, with its content.
func treeFiles(t *testing.T, root string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(root, func(path string, entry fs.DirEntry, err error) error {
		if err != nil || entry.IsDir() {
			return err
		}
		content, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		relative, err := filepath.Rel(root, path)
		files[filepath.ToSlash(relative)] = string(content)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
