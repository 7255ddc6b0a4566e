package main

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"
)

// The version under which TestAnOutsideModuleBuildsAgainstTheLibrary serves this checkout.
const servedVersion = "v0.1.0"

// TestAnOutsideModuleBuildsAgainstTheLibrary is the library as a project depends on it: the test makes a module
// proxy in a folder (file://) serving this checkout's module as github.com/centerloss/centerloss@v0.1.0, then, with a
// fresh GOPATH and module cache and no replace anywhere, builds and runs an outside module that imports the method
// and trains one step (testdata/outside), and installs the command with go install …@v0.1.0. The other modules come
// from the module cache this checkout already downloaded, as a second file:// proxy: nothing is fetched.
func TestAnOutsideModuleBuildsAgainstTheLibrary(t *testing.T) {
	skipIfShort(t)
	repo, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	goEnv := func(name string) string {
		out, err := exec.Command("go", "env", name).Output()
		if err != nil {
			t.Fatalf("go env %s: %v", name, err)
		}
		return strings.TrimSpace(string(out))
	}
	cache := filepath.Join(goEnv("GOMODCACHE"), "cache", "download")
	proxy := serveModule(t, repo)
	gopath := filepath.Join(t.TempDir(), "gopath")
	env := append(os.Environ(), "GOPATH="+gopath, "GOMODCACHE="+filepath.Join(gopath, "pkg", "mod"),
		"GOPROXY=file://"+proxy+",file://"+cache, "GOSUMDB=off", "GOFLAGS=", "GOWORK=off", "GOTOOLCHAIN=local",
		"PJRT_PLUGIN_LIBRARY_PATH="+filepath.Join(repo, ".venv", "pjrt"))
	run := func(dir string, args ...string) string {
		t.Helper()
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}

	outside := t.TempDir()
	source, err := os.ReadFile(filepath.Join("testdata", "outside", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(outside, "main.go"), source)
	write(t, filepath.Join(outside, "go.mod"), []byte("module example.com/mymodel\n\ngo 1.26.8\n"))
	run(outside, "go", "get", "github.com/centerloss/centerloss@"+servedVersion)
	run(outside, "go", "mod", "tidy")
	goMod, err := os.ReadFile(filepath.Join(outside, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(goMod), "replace") || !strings.Contains(string(goMod), "github.com/centerloss/centerloss "+servedVersion) {
		t.Fatalf("the outside module's go.mod:\n%s", goMod)
	}
	out := run(outside, "go", "run", ".")
	if !strings.Contains(out, "trained one step: loss ") {
		t.Errorf("the outside module printed %q", out)
	}
	t.Logf("the outside module, built from the proxy with no replace: %s", strings.TrimSpace(out))

	bin := t.TempDir()
	env = append(env, "GOBIN="+bin)
	run(t.TempDir(), "go", "install", "github.com/centerloss/centerloss/centerloss/cmd/centerloss@"+servedVersion)
	cmd := exec.Command(filepath.Join(bin, "centerloss"), "train", "-h")
	if out, _ := cmd.CombinedOutput(); !strings.Contains(string(out), "-lambda") {
		t.Errorf("the installed centerloss train -h printed:\n%s", out)
	}
	t.Logf("go install github.com/centerloss/centerloss/centerloss/cmd/centerloss@%s: %s", servedVersion,
		filepath.Join(bin, "centerloss"))
}

// serveModule writes a file:// module proxy that serves the library's module as it is in repo (the files git
// tracks or would, as they are now, less the nested modules) at servedVersion, and returns its folder.
func serveModule(t *testing.T, repo string) string {
	t.Helper()
	const path = "github.com/centerloss/centerloss"
	listed, err := exec.Command("git", "-C", repo, "ls-files", "--cached", "--others", "--exclude-standard", "-z").Output()
	if err != nil {
		t.Skipf("the module's files come from git, and git ls-files failed here (not a checkout?): %v", err)
	}
	var nested []string // folders of other modules, which are not part of this one
	var files []modzip.File
	for _, name := range strings.Split(strings.TrimRight(string(listed), "\x00"), "\x00") {
		if filepath.Base(name) == "go.mod" && name != "go.mod" {
			nested = append(nested, filepath.Dir(name)+"/")
		}
	}
	for _, name := range strings.Split(strings.TrimRight(string(listed), "\x00"), "\x00") {
		if inAny(name, nested) {
			continue
		}
		if info, err := os.Lstat(filepath.Join(repo, name)); err != nil || !info.Mode().IsRegular() {
			continue // deleted in the working tree, or a link
		}
		files = append(files, repoFile{repo: repo, name: name})
	}
	var zipped bytes.Buffer
	if err := modzip.Create(&zipped, module.Version{Path: path, Version: servedVersion}, files); err != nil {
		t.Fatalf("the module's zip: %v", err)
	}
	if _, err := zip.NewReader(bytes.NewReader(zipped.Bytes()), int64(zipped.Len())); err != nil {
		t.Fatal(err)
	}
	goMod, err := os.ReadFile(filepath.Join(repo, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	proxy := t.TempDir()
	dir := filepath.Join(proxy, path, "@v")
	info := `{"Version":"` + servedVersion + `","Time":"` + time.Now().UTC().Format(time.RFC3339) + `"}`
	write(t, filepath.Join(dir, "list"), []byte(servedVersion+"\n"))
	write(t, filepath.Join(dir, servedVersion+".info"), []byte(info))
	write(t, filepath.Join(dir, servedVersion+".mod"), goMod)
	write(t, filepath.Join(dir, servedVersion+".zip"), zipped.Bytes())
	return proxy
}

func inAny(name string, folders []string) bool {
	for _, folder := range folders {
		if strings.HasPrefix(name, folder) {
			return true
		}
	}
	return false
}

// repoFile is a file of the checkout, for the module's zip.
type repoFile struct{ repo, name string }

func (f repoFile) Path() string                 { return f.name }
func (f repoFile) Lstat() (os.FileInfo, error)  { return os.Lstat(filepath.Join(f.repo, f.name)) }
func (f repoFile) Open() (io.ReadCloser, error) { return os.Open(filepath.Join(f.repo, f.name)) }

func write(t *testing.T, path string, content []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
}
