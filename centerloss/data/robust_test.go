package data

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestLyingHeaderAllocatesLittle: a header that declares far more than the file holds costs no more memory than
// the file could deliver, raw (whose size is checked before anything is allocated) or gzipped (whose buffer
// starts at what deflate could expand the file to, and grows only as data really arrives).
func TestLyingHeaderAllocatesLittle(t *testing.T) {
	readImages := func(path string) error { _, err := ReadImages(path); return err }
	readLabels := func(path string) error { _, err := ReadLabels(path, 10); return err }
	const mb = 1 << 20
	for _, tc := range []struct {
		name    string
		content []byte
		gz      bool
		read    func(string) error
		fault   string
		limit   uint64
	}{
		{"images raw", idxBytes(imagesMagic, []uint32{maxCount, maxSide, maxSide}, sequence(10)), false, readImages,
			"truncated: expected 1677721600000016 bytes, found 26", mb},
		{"images gzip", idxBytes(imagesMagic, []uint32{maxCount, maxSide, maxSide}, sequence(10)), true, readImages,
			"truncated: expected 1677721600000016 bytes, found 26 (uncompressed)", mb},
		// MNIST's own sizes, 47 MB, declared by a file of 50 bytes.
		{"mnist-size images gzip", idxBytes(imagesMagic, []uint32{60000, 28, 28}, sequence(10)), true, readImages,
			"truncated: expected 47040016 bytes, found 26 (uncompressed)", mb},
		{"labels raw", idxBytes(labelsMagic, []uint32{maxCount}, sequence(10)), false, readLabels,
			"truncated: expected 100000008 bytes, found 18", mb},
		{"labels gzip", idxBytes(labelsMagic, []uint32{maxCount}, sequence(10)), true, readLabels,
			"truncated: expected 100000008 bytes, found 18 (uncompressed)", mb},
		// 8 MB of zeros compress to 8 kB: the buffer may grow to what the stream delivers, not to 1.6 PB.
		{"images gzip delivering 8 MB", idxBytes(imagesMagic, []uint32{maxCount, maxSide, maxSide}, make([]byte, 8*mb)), true,
			readImages, "truncated: expected 1677721600000016 bytes, found 8388624 (uncompressed)", 40 * mb},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "idx", tc.content, tc.gz)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			err := tc.read(path)
			runtime.ReadMemStats(&after)
			require.EqualError(t, err, "data: "+path+": "+tc.fault)
			alloc := after.TotalAlloc - before.TotalAlloc
			info, statErr := os.Stat(path)
			require.NoError(t, statErr)
			t.Logf("%s: %d bytes on disk, %d bytes allocated", tc.name, info.Size(), alloc)
			require.Less(t, alloc, tc.limit, "reading %s allocated %d bytes", tc.name, alloc)
		})
	}
}

// childEnv tells the test binary, run again as an unprivileged user, which folder to Load.
const childEnv = "CENTERLOSS_DATA_TEST_LOAD"

// nobody is the uid and gid of user nobody, as whom TestLoadPermissionDenied runs Load when the tests run as root.
const nobody = 65534

// TestLoadPermissionDenied: a data folder, a parent of it, or a file in it that cannot be read makes Load return
// an error naming the path and "permission denied", not panic. Root is not stopped by permission bits, so as
// root the test runs Load in a copy of the test binary as user nobody.
func TestLoadPermissionDenied(t *testing.T) {
	if dir := os.Getenv(childEnv); dir != "" {
		// The child: report what Load says, for the parent to check.
		msg := "ok"
		if _, err := Load(dir); err != nil {
			msg = err.Error()
		}
		os.Stdout.WriteString("Load: " + msg + "\n")
		return
	}

	base, err := os.MkdirTemp("", "centerloss-data-")
	require.NoError(t, err)
	var locked []string
	chmod := func(path string, mode os.FileMode) {
		require.NoError(t, os.Chmod(path, mode))
		locked = append(locked, path)
	}
	t.Cleanup(func() {
		for _, p := range locked {
			_ = os.Chmod(p, 0o755)
		}
		_ = os.RemoveAll(base)
	})
	exe, cred := os.Args[0], (*syscall.Credential)(nil)
	if os.Geteuid() == 0 {
		// nobody must reach base and run the binary, which `go test` keeps in a folder private to root.
		require.NoError(t, os.Chmod(base, 0o755))
		exe, cred = filepath.Join(base, "data.test"), &syscall.Credential{Uid: nobody, Gid: nobody}
		src, err := os.Open(os.Args[0])
		require.NoError(t, err)
		defer src.Close()
		dst, err := os.OpenFile(exe, os.O_CREATE|os.O_WRONLY, 0o755)
		require.NoError(t, err)
		_, err = io.Copy(dst, src)
		require.NoError(t, err)
		require.NoError(t, dst.Close())
	}
	// load runs Load(dir) in a process of the unprivileged user and returns its error message, or "ok".
	load := func(t *testing.T, dir string) string {
		cmd := exec.Command(exe, "-test.run=^TestLoadPermissionDenied$")
		cmd.Env = append(os.Environ(), childEnv+"="+dir, "HOME="+base, "TMPDIR="+base)
		if cred != nil {
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		}
		out, err := cmd.CombinedOutput()
		if err != nil && cred != nil && strings.Contains(err.Error(), "operation not permitted") {
			t.Skipf("cannot run a process as user nobody: %v", err)
		}
		require.NoError(t, err, "the child failed: %s", out)
		require.NotContains(t, string(out), "panic")
		for line := range strings.Lines(string(out)) {
			if msg, ok := strings.CutPrefix(line, "Load: "); ok {
				return strings.TrimSuffix(msg, "\n")
			}
		}
		t.Fatalf("the child printed no error: %s", out)
		return ""
	}

	n := 0
	fresh := func() string {
		n++
		dir := filepath.Join(base, "case", strconv.Itoa(n), "mnist")
		require.NoError(t, os.MkdirAll(dir, 0o755))
		writeSplit(t, dir, "train", 3, 2, 2, true)
		writeSplit(t, dir, "t10k", 3, 2, 2, false)
		if cred != nil {
			require.NoError(t, filepath.WalkDir(filepath.Dir(dir), func(p string, _ os.DirEntry, err error) error {
				if err != nil {
					return err
				}
				return os.Chown(p, nobody, nobody)
			}))
			// nobody must get as far as base/case.
			require.NoError(t, os.Chmod(filepath.Join(base, "case"), 0o755))
		}
		return dir
	}

	t.Run("readable", func(t *testing.T) {
		// The baseline: the child can load the folder as the cases below get it, before their chmod.
		require.Equal(t, "ok", load(t, fresh()))
	})
	t.Run("folder", func(t *testing.T) {
		dir := fresh()
		chmod(dir, 0o000)
		require.Equal(t, "data: "+filepath.Join(dir, "train-images-idx3-ubyte")+": permission denied", load(t, dir))
	})
	t.Run("parent", func(t *testing.T) {
		dir := fresh()
		chmod(filepath.Dir(dir), 0o600)
		require.Equal(t, "data: "+filepath.Join(dir, "train-images-idx3-ubyte")+": permission denied", load(t, dir))
	})
	t.Run("file", func(t *testing.T) {
		dir := fresh()
		chmod(filepath.Join(dir, "train-labels-idx1-ubyte.gz"), 0o200)
		require.Equal(t, "data: "+filepath.Join(dir, "train-labels-idx1-ubyte.gz")+": permission denied", load(t, dir))
	})
}
