package browser

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// lessonGlobs are the notebooks the test runs by default, all in one sorted list.
var lessonGlobs = []string{"notebooks/*.ipynb", "notebooks/ja/*.ipynb"}

// selectNotebooks returns the notebooks to run, as absolute paths: $CENTERLOSS_BROWSER_NOTEBOOKS when set, a list
// of paths and globs separated by spaces or commas, relative to the repository (or absolute), in the order given,
// each glob's matches sorted; otherwise every lesson (lessonGlobs), sorted, which is the order they are meant to
// be run in (a lesson may load a model that an earlier one trained).
func selectNotebooks(t *testing.T, repo string) []string {
	t.Helper()
	if old := os.Getenv("CENTERLOSS_BROWSER_NOTEBOOK"); old != "" {
		t.Fatalf("CENTERLOSS_BROWSER_NOTEBOOK=%s is no more: set %s=notebooks/%s", old, NotebooksEnvVar, old)
	}
	patterns, sorted := lessonGlobs, true
	if spec := os.Getenv(NotebooksEnvVar); strings.TrimSpace(spec) != "" {
		patterns = strings.FieldsFunc(spec, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
		sorted = false
	}
	var files []string
	for _, p := range patterns {
		abs := filepath.Clean(p)
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(repo, abs)
		}
		if !strings.ContainsAny(p, `*?[`) {
			if _, err := os.Stat(abs); err != nil {
				t.Fatalf("%s=%q: %v", NotebooksEnvVar, os.Getenv(NotebooksEnvVar), err)
			}
			files = append(files, abs)
			continue
		}
		matches, err := filepath.Glob(abs)
		if err != nil {
			t.Fatalf("glob %q: %v", p, err)
		}
		slices.Sort(matches)
		files = append(files, matches...)
	}
	if sorted {
		slices.Sort(files)
	}
	var out []string
	for _, f := range files {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no notebook matches %q", patterns)
	}
	return out
}

// servedNotebook is one notebook as the server serves it.
type servedNotebook struct {
	Path string // relative to the server's root, with slashes: the page's URL and the server's session say it
	File string // the file the server serves
	Base string // Path without .ipynb, slashes turned into "_": the subtest's and the screenshots' name
}

// labDir is the server's root and the notebooks to run in it.
type labDir struct {
	Dir       string // --ServerApp.root_dir, relative to the repository or absolute
	Notebooks []servedNotebook
}

// labRoot chooses the server's root. When every notebook is under notebooks/ (the lessons, always) the root is
// notebooks/, as `make lab` starts it, and the notebooks are the files themselves. Otherwise (a test fixture, such
// as testdata/interact.ipynb) the root is a fresh folder holding copies of all of them: notebooks/'s own at their
// place under notebooks/, the others by their file name. The kernels do not care where a notebook lies: our kernel
// specs give them the repository ($CENTERLOSS_REPO), which the notebooks' set-up cell and RunDir use.
func labRoot(t *testing.T, repo string, files []string) labDir {
	t.Helper()
	lessons := filepath.Join(repo, "notebooks")
	inLessons := func(f string) (string, bool) {
		rel, err := filepath.Rel(lessons, f)
		return filepath.ToSlash(rel), err == nil && !strings.HasPrefix(rel, "..")
	}
	all := true
	for _, f := range files {
		if _, ok := inLessons(f); !ok {
			all = false
		}
	}
	dir := labDir{Dir: "notebooks"}
	if !all {
		dir.Dir = filepath.Join(t.TempDir(), "lab-root")
	}
	for _, f := range files {
		rel, ok := inLessons(f)
		if !ok {
			rel = filepath.Base(f)
		}
		nb := servedNotebook{Path: rel, File: f, Base: strings.TrimSuffix(strings.ReplaceAll(rel, "/", "_"), ".ipynb")}
		if !all {
			nb.File = filepath.Join(dir.Dir, filepath.FromSlash(rel))
			if _, err := os.Stat(nb.File); err == nil {
				t.Fatalf("two notebooks would be %s in the server's root: rename one", rel)
			}
			body, err := os.ReadFile(f)
			if err == nil {
				err = os.MkdirAll(filepath.Dir(nb.File), 0o755)
			}
			if err == nil {
				err = os.WriteFile(nb.File, body, 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		dir.Notebooks = append(dir.Notebooks, nb)
	}
	if !all {
		t.Logf("server root %s: copies of %s (not all of them are under notebooks/)", dir.Dir, notebookNames(dir.Notebooks))
	}
	return dir
}

func repoRoot(t *testing.T) string {
	dir, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "centerloss", "lab", "browser", "browser_test.go")); err != nil {
		t.Fatalf("%s is not the repository root", dir)
	}
	return dir
}

func fileHash(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// TestSelectNotebooks checks the choice of notebooks and of the server's root (no browser, no server): the
// lessons, sorted, served from notebooks/ as `make lab` serves them; a fixture from a root of copies.
func TestSelectNotebooks(t *testing.T) {
	repo := repoRoot(t)
	t.Setenv(NotebooksEnvVar, "")
	lessons := labRoot(t, repo, selectNotebooks(t, repo))
	want, _ := filepath.Glob(filepath.Join(repo, "notebooks", "*.ipynb"))
	japanese, _ := filepath.Glob(filepath.Join(repo, "notebooks", "ja", "*.ipynb"))
	want = append(want, japanese...) // the English lessons, then the Japanese ones
	if lessons.Dir != "notebooks" || len(lessons.Notebooks) != len(want) || len(want) == 0 {
		t.Fatalf("lessons: %+v, want root notebooks and %d notebooks", lessons, len(want))
	}
	for i, nb := range lessons.Notebooks {
		rel, _ := filepath.Rel(filepath.Join(repo, "notebooks"), want[i])
		if nb.File != want[i] || nb.Path != filepath.ToSlash(rel) ||
			nb.Base != strings.ReplaceAll(strings.TrimSuffix(nb.Path, ".ipynb"), "/", "_") {
			t.Errorf("lesson %d: %+v, want %s", i, nb, want[i])
		}
	}

	// A list keeps its order; a glob's matches are sorted.
	t.Setenv(NotebooksEnvVar, "centerloss/lab/browser/testdata/interact.ipynb, notebooks/02_softmax_baseline.ipynb notebooks/01_*.ipynb")
	mixed := labRoot(t, repo, selectNotebooks(t, repo))
	var paths []string
	for _, nb := range mixed.Notebooks {
		paths = append(paths, nb.Path)
		if !strings.HasPrefix(nb.File, mixed.Dir+string(filepath.Separator)) || fileHash(t, nb.File) == "" {
			t.Errorf("%+v: not a copy in the root %s", nb, mixed.Dir)
		}
	}
	if got := strings.Join(paths, " "); got != "interact.ipynb 02_softmax_baseline.ipynb 01_embedding_spaces.ipynb" ||
		!filepath.IsAbs(mixed.Dir) {
		t.Errorf("fixture then lessons: root %s, notebooks %s", mixed.Dir, got)
	}
}
