package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/centerloss/centerloss/centerloss/xlabackend"
)

// The four files tinyMNIST writes.
const (
	trainImages = "train-images-idx3-ubyte.gz"
	trainLabels = "train-labels-idx1-ubyte"
	testImages  = "t10k-images-idx3-ubyte.gz"
	testLabels  = "t10k-labels-idx1-ubyte"
)

// copyDir copies the regular files of src into dst, which it creates with mode perm.
func copyDir(t *testing.T, src, dst string, perm os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(dst, perm); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		content, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// wantOneLine checks that a failed command exited with status 1 and printed exactly want, one line, on stderr.
func wantOneLine(t *testing.T, args []string, stderr string, code int, want string) {
	t.Helper()
	if code != 1 {
		t.Errorf("%v: exit status %d, want 1; stderr %q", args, code, stderr)
	}
	if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
		t.Errorf("%v: stderr shows a panic: %q", args, stderr)
	}
	if strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") {
		t.Errorf("%v: stderr is not one line: %q", args, stderr)
	}
	if want = "centerloss: " + want + "\n"; stderr != want {
		t.Errorf("%v:\nstderr %q\nwant   %q", args, stderr, want)
	}
}

// TestBadData: every way the -data folder can be wrong stops `centerloss train` with exit status 1 and one line
// on stderr that names the file and the fault. Each case is the tiny MNIST of tinyMNIST with one file broken.
func TestBadData(t *testing.T) {
	good := tinyMNIST(t, 64, 10)
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(good, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	imagesGz := read(trainImages)
	labels := read(testLabels) // 10 labels, raw: 8 bytes of header, then one byte each
	const n, side = 10, 28     // test images
	withLabel := func(i int, l byte) []byte {
		b := bytes.Clone(read(trainLabels))
		b[8+i] = l
		return b
	}
	type file struct {
		name    string
		content []byte // nil: remove the file; see mkdir
		mkdir   bool   // a directory in its place
	}
	for _, c := range []struct {
		name  string
		files []file
		fault string // after "data: PATH: ", where PATH is the first file's (the %s of dir: see below)
		path  string // the file named in the message when it is not the first file
	}{
		{"not gzip nor IDX", []file{{name: trainImages, content: []byte("<html>404 Not Found</html>\n")}},
			"wrong magic number 0x3c68746d, want 0x00000803 (IDX3 unsigned-byte images): not an IDX file", ""},
		{"gzip magic then garbage", []file{{name: trainImages, content: []byte{0x1f, 0x8b, 'n', 'o', 't', ' ', 'g', 'z', 'i', 'p', '!', '!'}}},
			"corrupt gzip stream: gzip: invalid header", ""},
		{"truncated gzip", []file{{name: trainImages, content: imagesGz[:len(imagesGz)/2]}},
			"corrupt gzip stream: unexpected EOF", ""},
		{"gzip bad checksum", []file{{name: trainImages, content: append(bytes.Clone(imagesGz[:len(imagesGz)-8]), 1, 2, 3, 4, 5, 6, 7, 8)}},
			"corrupt gzip stream: gzip: invalid checksum", ""},
		{"wrong magic: labels for images", []file{{name: testImages, content: gzipped(labels)}},
			"wrong magic number 0x00000801, want 0x00000803 (IDX3 unsigned-byte images): 1 dimensions, want 3", ""},
		{"wrong magic: images for labels", []file{{name: testLabels, content: idxBytes(0x803, []int{1, 1, 1}, []byte{0})}},
			"wrong magic number 0x00000803, want 0x00000801 (IDX1 unsigned-byte labels): 3 dimensions, want 1", ""},
		{"wrong magic: float pixels", []file{{name: testImages, content: idxBytes(0xd03, []int{n, side, side}, make([]byte, 4*n*side*side))}},
			"wrong magic number 0x00000d03, want 0x00000803 (IDX3 unsigned-byte images): data type 0x0d, want 0x08 (unsigned byte)", ""},
		{"zero count", []file{{name: testImages, content: idxBytes(0x803, []int{0, side, side}, nil)}},
			"zero-size dimension in 0x28x28", ""},
		{"zero rows", []file{{name: testImages, content: gzipped(idxBytes(0x803, []int{n, 0, side}, nil))}},
			"zero-size dimension in 10x0x28", ""},
		{"zero labels", []file{{name: testLabels, content: idxBytes(0x801, []int{0}, nil)}},
			"zero-size dimension in 0", ""},
		{"absurd side", []file{{name: testImages, content: idxBytes(0x803, []int{n, 28, 100_000}, nil)}},
			"absurd dimensions 10x28x100000: rows and cols must be at most 4096", ""},
		{"absurd count", []file{{name: testLabels, content: idxBytes(0x801, []int{0xffffffff}, nil)}},
			"absurd dimensions 4294967295: count 4294967295 exceeds 100000000", ""},
		// Within the limits, but 1.6 PB that the file does not hold: found out before anything is allocated.
		{"lying header raw", []file{{name: testImages, content: idxBytes(0x803, []int{100_000_000, 4096, 4096}, make([]byte, 100))}},
			"truncated: expected 1677721600000016 bytes, found 116", ""},
		{"lying header gzip", []file{{name: testImages, content: gzipped(idxBytes(0x803, []int{100_000_000, 4096, 4096}, make([]byte, 100)))}},
			"truncated: expected 1677721600000016 bytes, found 116 (uncompressed)", ""},
		{"raw file too short", []file{{name: testLabels, content: labels[:len(labels)-3]}},
			"truncated: expected 18 bytes, found 15", ""},
		{"raw file too long", []file{{name: testLabels, content: append(bytes.Clone(labels), 0, 0)}},
			"2 trailing bytes: file has 20 bytes, header declares 18", ""},
		{"gzip file too long", []file{{name: testImages, content: gzipped(append(idxBytes(0x803, []int{n, side, side}, make([]byte, n*side*side)), 0))}},
			"trailing bytes after the 7856 bytes the header declares (uncompressed)", ""},
		{"fewer labels than images", []file{{name: testLabels, content: idxBytes(0x801, []int{n - 1}, labels[8:8+n-1])}},
			"9 labels but %s has 10 images", testImages},
		{"more labels than images", []file{{name: trainLabels, content: idxBytes(0x801, []int{65}, make([]byte, 65))}},
			"65 labels but %s has 64 images", trainImages},
		{"label 10", []file{{name: trainLabels, content: withLabel(3, 10)}}, "label at index 3 is 10, want < 10 classes", ""},
		{"label 255", []file{{name: trainLabels, content: withLabel(63, 255)}}, "label at index 63 is 255, want < 10 classes", ""},
		{"test images of another size", []file{{name: testImages, content: idxBytes(0x803, []int{n, side, side - 1}, make([]byte, n*side*(side-1)))}},
			"test images are 28x27 but train images are 28x28", "."},
		{"missing file", []file{{name: testLabels}},
			"file does not exist (nor %s)", testLabels},
		{"a directory in place of a file", []file{{name: trainImages, mkdir: true}},
			"is a directory, not an IDX file", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "mnist")
			copyDir(t, good, dir, 0o755)
			for _, f := range c.files {
				path := filepath.Join(dir, f.name)
				if err := os.Remove(path); err != nil {
					t.Fatal(err)
				}
				switch {
				case f.mkdir:
					err := os.Mkdir(path, 0o755)
					if err != nil {
						t.Fatal(err)
					}
				case f.content != nil:
					if err := os.WriteFile(path, f.content, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			// The message names the broken file: for a missing one, the .gz it looked for first.
			named := filepath.Join(dir, c.files[0].name)
			if c.files[0].content == nil && !c.files[0].mkdir {
				named += ".gz"
			}
			fault := c.fault
			switch c.path {
			case "":
			case ".":
				named = dir
			default:
				fault = strings.Replace(fault, "%s", filepath.Join(dir, c.path), 1)
			}
			args := []string{"train", "-data", dir, "-out", filepath.Join(t.TempDir(), "out")}
			_, stderr, code := runCLI(t, args...)
			wantOneLine(t, args, stderr, code, "data: "+named+": "+fault)
		})
	}
	t.Run("data is a file", func(t *testing.T) {
		file := filepath.Join(good, testLabels)
		args := []string{"train", "-data", file, "-out", filepath.Join(t.TempDir(), "out")}
		_, stderr, code := runCLI(t, args...)
		wantOneLine(t, args, stderr, code, "data: "+filepath.Join(file, "train-images-idx3-ubyte")+": not a directory")
	})
}

// nobody is the uid and gid of user nobody, as whom the permission tests run when the tests run as root.
const nobody = 65534

// unprivileged runs the command line as a user that permission bits stop. As root, whom they do not stop, it runs
// a copy of the test binary as user nobody, in a folder nobody owns: t.TempDir() is private to root.
type unprivileged struct {
	dir  string              // a fresh folder for the files of the test, owned by whoever the child runs as
	exe  string              // the test binary, or a copy nobody can run
	cred *syscall.Credential // nil when the tests do not run as root
	lock []string            // what chmod took permissions from, to give them back for the cleanup
	// pluginDir holds a link to the XLA plugin for the child, when one could be made (linkPlugin).
	pluginDir string
}

func newUnprivileged(t *testing.T) *unprivileged {
	t.Helper()
	u := &unprivileged{exe: os.Args[0]}
	var err error
	if u.dir, err = os.MkdirTemp("", "centerloss-unprivileged-"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, p := range u.lock {
			_ = os.Chmod(p, 0o755)
		}
		_ = os.RemoveAll(u.dir)
	})
	if os.Geteuid() != 0 {
		return u
	}
	u.cred = &syscall.Credential{Uid: nobody, Gid: nobody}
	// nobody must reach the folder and run the binary: MkdirTemp makes it 0700, and the test binary of
	// `go test` lives in a private folder of root.
	if err := os.Chmod(u.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	u.exe = filepath.Join(u.dir, "centerloss.test")
	src, err := os.Open(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(u.exe, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	u.linkPlugin(t)
	// A run with no test shows whether this system lets root switch user at all (a container may not).
	probe := u.command("-test.run=^$")
	probe.Env = u.env() // not as the command line
	if out, err := probe.CombinedOutput(); err != nil {
		if errors.Is(err, syscall.EPERM) {
			t.Skipf("cannot run a process as user nobody: %v", err)
		}
		t.Fatalf("running the test binary as user nobody: %v: %s", err, out)
	}
	return u
}

// linkPlugin gives nobody the project's XLA plugin: a checkout in a private folder (mktemp -d makes one 0700) is
// out of its reach, and so is the .venv/pjrt that the command line finds by itself. A hard link in u.dir, named by
// $PJRT_PLUGIN_LIBRARY_PATH in the child's environment, is the same file at no cost; where no link can be made
// (another file system), the child searches as before.
func (u *unprivileged) linkPlugin(t *testing.T) {
	if _, set := os.LookupEnv("PJRT_PLUGIN_LIBRARY_PATH"); set {
		return
	}
	const file = "pjrt_c_api_cpu_plugin.so"
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for ; ; dir = filepath.Dir(dir) {
		plugin, err := filepath.EvalSymlinks(filepath.Join(dir, xlabackend.PluginDirName, file))
		if err == nil {
			pjrt := filepath.Join(u.dir, "pjrt")
			if os.Mkdir(pjrt, 0o755) == nil && os.Link(plugin, filepath.Join(pjrt, file)) == nil {
				u.pluginDir = pjrt
			}
			return
		}
		if filepath.Dir(dir) == dir {
			return
		}
	}
}

// mkdir makes the folder path, under u.dir, owned by the child's user, and returns it.
func (u *unprivileged) mkdir(t *testing.T, path string) string {
	t.Helper()
	if err := os.MkdirAll(path, 0o755); err != nil {
		t.Fatal(err)
	}
	u.own(t, path)
	return path
}

// own gives path, and what it holds, to the child's user.
func (u *unprivileged) own(t *testing.T, path string) {
	t.Helper()
	if u.cred == nil {
		return
	}
	err := filepath.WalkDir(path, func(p string, _ os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, nobody, nobody)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// chmod sets the mode of path, and restores it for the cleanup.
func (u *unprivileged) chmod(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	u.lock = append(u.lock, path)
}

func (u *unprivileged) env() []string {
	env := append(os.Environ(), "HOME="+u.dir, "TMPDIR="+u.dir, "XDG_CACHE_HOME="+filepath.Join(u.dir, ".cache"))
	if u.pluginDir != "" {
		env = append(env, "PJRT_PLUGIN_LIBRARY_PATH="+u.pluginDir)
	}
	return env
}

func (u *unprivileged) command(args ...string) *exec.Cmd {
	cmd := exec.Command(u.exe, args...)
	if u.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: u.cred}
	}
	return cmd
}

// runCLI runs the command line as the unprivileged user, like the package's runCLI.
func (u *unprivileged) runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := u.command(args...)
	cmd.Env = append(u.env(), "CENTERLOSS_RUN_MAIN=1")
	return runCommand(t, cmd)
}

// TestPermissions: a data folder, or a file in it, that cannot be read, and an output or checkpoint folder that
// cannot be written, each stop `centerloss train` with exit status 1 and one line naming the path and the fault;
// the output folders are checked before the data is read.
func TestPermissions(t *testing.T) {
	good := tinyMNIST(t, 64, 10)
	u := newUnprivileged(t)
	n := 0
	// fresh returns a readable copy of the data and a writable output folder, as the child's user.
	fresh := func() (data, out string) {
		n++
		base := filepath.Join(u.dir, fmt.Sprint("case", n))
		data, out = filepath.Join(base, "data", "mnist"), filepath.Join(base, "out")
		copyDir(t, good, data, 0o755)
		copyDir(t, t.TempDir(), out, 0o755)
		u.own(t, base)
		return data, out
	}
	train := func(t *testing.T, want string, args ...string) {
		t.Helper()
		args = append([]string{"train"}, args...)
		_, stderr, code := u.runCLI(t, args...)
		wantOneLine(t, args, stderr, code, want)
	}
	const denied = "permission denied"

	t.Run("data folder unreadable", func(t *testing.T) {
		data, out := fresh()
		u.chmod(t, data, 0o000)
		train(t, "data: "+filepath.Join(data, "train-images-idx3-ubyte")+": "+denied, "-data", data, "-out", out)
	})
	t.Run("data folder not searchable", func(t *testing.T) {
		data, out := fresh()
		u.chmod(t, data, 0o644) // can list the names, cannot open what they name
		train(t, "data: "+filepath.Join(data, "train-images-idx3-ubyte")+": "+denied, "-data", data, "-out", out)
	})
	t.Run("parent of the data folder not searchable", func(t *testing.T) {
		data, out := fresh()
		u.chmod(t, filepath.Dir(data), 0o600)
		train(t, "data: "+filepath.Join(data, "train-images-idx3-ubyte")+": "+denied, "-data", data, "-out", out)
	})
	t.Run("data file unreadable", func(t *testing.T) {
		data, out := fresh()
		u.chmod(t, filepath.Join(data, testLabels), 0o200)
		train(t, "data: "+filepath.Join(data, testLabels)+": "+denied, "-data", data, "-out", out)
	})
	// The output cases give data that cannot be read: its error would show if the data were read first.
	t.Run("out folder not writable", func(t *testing.T) {
		data, out := fresh()
		u.chmod(t, data, 0o000)
		u.chmod(t, out, 0o555)
		train(t, "-out "+out+": cannot write in the folder: "+denied, "-data", data, "-out", out)
	})
	t.Run("out folder cannot be created", func(t *testing.T) {
		data, out := fresh()
		u.chmod(t, data, 0o000)
		u.chmod(t, out, 0o555)
		sub := filepath.Join(out, "run")
		train(t, "-out "+sub+": cannot create the folder: mkdir "+sub+": "+denied, "-data", data, "-out", sub)
	})
	t.Run("checkpoint folder not writable", func(t *testing.T) {
		data, out := fresh()
		u.chmod(t, data, 0o000)
		ck := u.mkdir(t, filepath.Join(filepath.Dir(out), "ck"))
		u.chmod(t, ck, 0o555)
		train(t, "-checkpoint "+ck+": cannot write in the folder: "+denied, "-data", data, "-out", out, "-checkpoint", ck)
	})
	t.Run("default checkpoint folder not writable", func(t *testing.T) {
		data, out := fresh()
		u.chmod(t, data, 0o000)
		ck := u.mkdir(t, filepath.Join(out, "checkpoint"))
		u.chmod(t, ck, 0o555)
		train(t, "-checkpoint "+ck+": cannot write in the folder: "+denied, "-data", data, "-out", out)
	})
}
