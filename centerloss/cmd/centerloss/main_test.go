package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/data"
	"github.com/centerloss/centerloss/centerloss/language"
	"github.com/centerloss/centerloss/centerloss/training"
)

// TestMain lets the test binary act as the centerloss command (CENTERLOSS_RUN_MAIN=1), so the tests run it as a
// user would, in a process of its own, and check its exit status and messages.
func TestMain(m *testing.M) {
	if os.Getenv("CENTERLOSS_RUN_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "CENTERLOSS_RUN_MAIN=1")
	return runCommand(t, cmd)
}

// runCommand runs cmd and returns what it printed and its exit status; a command that cannot start fails the test.
func runCommand(t *testing.T, cmd *exec.Cmd) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if exitErr, ok := err.(*exec.ExitError); ok {
		code = exitErr.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errOut.String(), code
}

// tinyMNIST writes the first nTrain/nTest real MNIST images as IDX files (raw and gzipped), for fast CLI runs.
func tinyMNIST(t *testing.T, nTrain, nTest int) string {
	t.Helper()
	d, err := data.LoadMNIST()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, gz bool, dims []int, magic uint32, payload []byte) {
		content := idxBytes(magic, dims, payload)
		if gz {
			content, name = gzipped(content), name+".gz"
		}
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []struct {
		prefix string
		split  data.Split
		n      int
	}{{"train", d.Train, nTrain}, {"t10k", d.Test, nTest}} {
		im := s.split.Images
		write(s.prefix+"-images-idx3-ubyte", true, []int{s.n, im.Rows, im.Cols}, 0x803, im.Pixels[:s.n*im.Rows*im.Cols])
		write(s.prefix+"-labels-idx1-ubyte", false, []int{s.n}, 0x801, s.split.Labels[:s.n])
	}
	return dir
}

// idxBytes encodes an IDX file: the magic number, one big-endian uint32 per dimension, then the payload.
func idxBytes(magic uint32, dims []int, payload []byte) []byte {
	var buf bytes.Buffer
	_ = binary.Write(&buf, binary.BigEndian, magic)
	for _, dim := range dims {
		_ = binary.Write(&buf, binary.BigEndian, uint32(dim))
	}
	buf.Write(payload)
	return buf.Bytes()
}

// gzipped returns b compressed with gzip.
func gzipped(b []byte) []byte {
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	_, _ = w.Write(b)
	_ = w.Close()
	return z.Bytes()
}

func TestTrainEvalAndResume(t *testing.T) {
	dataDir := tinyMNIST(t, 256, 100)
	out := filepath.Join(t.TempDir(), "run")
	args := []string{"train", "-steps", "3", "-batch", "32", "-data", dataDir, "-out", out, "-quiet"}
	stdout, stderr, code := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("train: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "done: test accuracy") {
		t.Errorf("train printed: %s", stdout)
	}
	for _, name := range []string{"metrics.jsonl", "step_000003.png"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Error(err)
		}
	}

	stdout, stderr, code = runCLI(t, "eval", "-checkpoint", filepath.Join(out, "checkpoint"), "-data", dataDir)
	if code != 0 || !strings.Contains(stdout, "(step 3): test accuracy") || !strings.Contains(stdout, "on 100 images") {
		t.Fatalf("eval: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}

	// The same command again: the checkpoint is already at step 3.
	stdout, _, code = runCLI(t, args...)
	if code != 0 || !strings.Contains(stdout, "nothing to do: the checkpoint is already at step 3") {
		t.Errorf("second run: exit %d, %s", code, stdout)
	}
	// Asking for more resumes from step 3.
	args[2] = "5"
	stdout, stderr, code = runCLI(t, args...)
	if code != 0 || !strings.Contains(stdout, "step 3, on xla") || !strings.Contains(stdout, "after 5 steps") {
		t.Errorf("resumed run: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
}

// TestBadInput: each user mistake is one line on stderr naming the setting or file, and exit status 1. A bad
// setting is found before any work starts: the cases give -data /no/such/dir, whose error would come first
// if the data were loaded (or the backend opened) before the settings were checked.
func TestBadInput(t *testing.T) {
	dataDir := tinyMNIST(t, 64, 10)
	notADir := filepath.Join(t.TempDir(), "file")
	_ = os.WriteFile(notADir, []byte("x"), 0o644)
	fakeCheckpoint := t.TempDir()
	_ = os.WriteFile(filepath.Join(fakeCheckpoint, "checkpoint-n00000001.json"), []byte("{}"), 0o644)
	const noData = "/no/such/dir"
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"train", "-data", noData, "-lambda", "-1"}, "setting center_loss_lambda=-1: must be ≥ 0"},
		{[]string{"train", "-data", noData, "-lambda", "NaN"}, "setting center_loss_lambda=NaN: must be ≥ 0"},
		{[]string{"train", "-data", noData, "-set", "center_loss_lambda=-0.5"}, "setting center_loss_lambda=-0.5: must be ≥ 0"},
		{[]string{"train", "-data", noData, "-alpha", "0"}, "setting center_loss_alpha=0: must be in (0, 1]"},
		{[]string{"train", "-data", noData, "-alpha", "-0.1"}, "setting center_loss_alpha=-0.1: must be in (0, 1]"},
		{[]string{"train", "-data", noData, "-alpha", "1.5"}, "setting center_loss_alpha=1.5: must be in (0, 1]"},
		{[]string{"train", "-data", noData, "-lr", "0"}, "setting learning_rate=0: must be > 0"},
		{[]string{"train", "-data", noData, "-lr", "-0.01"}, "setting learning_rate=-0.01: must be > 0"},
		{[]string{"train", "-data", noData, "-lr", "NaN"}, "setting learning_rate=NaN: must be > 0"},
		{[]string{"train", "-data", noData, "-batch", "0"}, "setting batch_size=0: must be ≥ 1"},
		{[]string{"train", "-data", noData, "-batch", "-3"}, "setting batch_size=-3: must be ≥ 1"},
		{[]string{"train", "-data", noData, "-set", "batch_size=0"}, "setting batch_size=0: must be ≥ 1"},
		{[]string{"train", "-data", noData, "-epochs", "-1"}, "setting epochs=-1: must be ≥ 0"},
		{[]string{"train", "-data", noData, "-steps", "-1"}, "setting train_steps=-1: must be ≥ 0"},
		{[]string{"train", "-data", noData, "-embedding-dim", "0"}, "setting embedding_dim=0: must be ≥ 1"},
		{[]string{"compare", "-data", noData, "-alpha", "2"}, "setting center_loss_alpha=2: must be in (0, 1]"},
		{[]string{"train", "-data", noData, "-set", "center_update=sgd"}, `setting center_update=sgd: must be one of "eq4", "gradient"`},
		{[]string{"train", "-data", noData, "-set", "loss=arcface"}, `setting loss=arcface: must be one of "softmax_center", "contrastive", "triplet"`},
		{[]string{"rivals", "-data", noData, "-set", "margin=0"}, "setting margin=0: must be > 0"},
		{[]string{"compare", "-data", noData, "-lambda", "0"}, "setting center_loss_lambda=0: the comparison needs λ > 0"},
		{[]string{"train", "-data", noData, "-set", "weight_decay=0;center_update=gradient;center_lr=0"}, "setting center_lr=0: must be > 0"},
		{[]string{"train", "-data", noData, "-set", "knn_k=5;knn_gallery_size=3"}, "setting knn_gallery_size=3: must be ≥ knn_k"},
		{[]string{"train", "-data", noData, "-set", "center_loss_lambda"}, `-set "center_loss_lambda": setting "center_loss_lambda": want key=value`},
		{[]string{"train", "-data", noData, "-set", "embedding_dim=two"}, `setting embedding_dim="two": not an integer`},
		{[]string{"train", "-data", noData, "-seed", "x"}, `invalid value "x" for flag -seed`},
		{[]string{"train", "-data", noData, "extra"}, `unexpected argument "extra" (flags start with -)`},
		{[]string{"rivals", "-data", noData, "-set", "center_lr=-1", "-center-updates"}, "setting center_lr=-1: must be > 0"},
		{[]string{"train", "-data", noData, "-set", "no_such_key=1"}, `-set "no_such_key=1": `},
		{[]string{"train", "-data", noData, "-set", "no_such_key=1"}, `setting no_such_key: unknown; the settings are center_loss_lambda, `},
		{[]string{"train", "-data", noData, "-set", "learning_rate=fast"}, `-set "learning_rate=fast": setting learning_rate="fast": not a number`},
		{[]string{"train", "-data", noData, "-lr", "fast"}, `invalid value "fast" for flag -lr`},
		{[]string{"train", "-data", noData, "-no-such-flag"}, "flag provided but not defined: -no-such-flag"},
		{[]string{"train", "-data", noData}, "data: /no/such/dir/train-images-idx3-ubyte.gz: file does not exist (nor /no/such/dir/train-images-idx3-ubyte)"},
		{[]string{"train", "-data", dataDir, "-backend", "go"}, `backend "go": centerloss trains on XLA and never falls back to GoMLX's pure-Go backend`},
		{[]string{"train", "-data", noData, "-backend", "cuda-on-mars"}, `backend "cuda-on-mars": unknown backend "cuda-on-mars"; use xla:cpu or xla:cuda`},
		{[]string{"compare", "-data", noData, "-backend", "cuda-on-mars"}, `unknown backend "cuda-on-mars"`},
		{[]string{"eval", "-checkpoint", fakeCheckpoint, "-data", noData, "-backend", "cuda-on-mars"}, `unknown backend "cuda-on-mars"`},
		{[]string{"train", "-data", noData, "-out", filepath.Join(notADir, "sub")},
			"-out " + filepath.Join(notADir, "sub") + ": cannot create the folder: mkdir " + notADir + ": not a directory"},
		{[]string{"train", "-data", noData, "-out", notADir}, "-out " + notADir + ": cannot create the folder: mkdir " + notADir + ": not a directory"},
		{[]string{"train", "-data", noData, "-out", t.TempDir(), "-checkpoint", filepath.Join(notADir, "ck")},
			"-checkpoint " + filepath.Join(notADir, "ck") + ": cannot create the folder"},
		{[]string{"train", "-data", dataDir, "-batch", "100", "-out", t.TempDir()}, "batch_size=100: must be between 1 and the 64 training images"},
		{[]string{"eval"}, "-checkpoint DIR is required"},
		{[]string{"eval", "-checkpoint", t.TempDir()}, "no checkpoint there"},
		{[]string{"fly"}, `unknown command "fly"`},
	} {
		if (c.args[0] == "train" || c.args[0] == "compare" || c.args[0] == "rivals") && !slices.Contains(c.args, "-out") {
			c.args = append(c.args, "-out", filepath.Join(t.TempDir(), "out")) // not runs/ in the source tree
		}
		_, stderr, code := runCLI(t, c.args...)
		if code != 1 || !strings.HasPrefix(stderr, "centerloss: ") || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 1 and %q", c.args, code, stderr, c.want)
		}
		if strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") || strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
			t.Errorf("%v: stderr is not one line: %q", c.args, stderr)
		}
	}
}

// TestFlagsFromSettings: each hyperparameter flag takes its default and its help from the declaration of the
// setting it sets, and names a setting that exists.
func TestFlagsFromSettings(t *testing.T) {
	all := training.AllSettings()
	for _, command := range []string{"train", "compare", "rivals"} {
		tf := newTrainFlags(command, t.TempDir())
		for name, key := range flagSettings {
			s, ok := all.Lookup(key)
			if !ok {
				t.Fatalf("-%s sets %q, which is no setting", name, key)
			}
			f := tf.fs.Lookup(name)
			if f == nil {
				t.Fatalf("%s: no flag -%s", command, name)
			}
			if f.Usage != s.Meaning() {
				t.Errorf("-%s: help %q, want the setting's %q", name, f.Usage, s.Meaning())
			}
			if want := fmt.Sprint(s.DefaultValue()); f.DefValue != want {
				t.Errorf("-%s: default %s, want the setting's %s", name, f.DefValue, want)
			}
		}
	}
}

// TestSettingsSet: -set and the flags given set the store, and are the settings recorded as set (those a checkpoint
// must not override); the flags not given are not, and a flag wins over -set.
func TestSettingsSet(t *testing.T) {
	tf := newTrainFlags("train", t.TempDir())
	set, err := tf.parse([]string{"-lambda", "0.1", "-steps", "7", "-set", "weight_decay=0; lr_decay_epochs=2;center_loss_lambda=0.3;",
		"-out", t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(set)
	if want := []string{"center_loss_lambda", "lr_decay_epochs", "train_steps", "weight_decay"}; !slices.Equal(set, want) {
		t.Errorf("settings set %v, want %v", set, want)
	}
	scope := tf.store.RootScope()
	if got := centerloss.Lambda.Get(scope); got != 0.1 {
		t.Errorf("λ = %v, want the flag's 0.1", got)
	}
	if training.WeightDecay.Get(scope) != 0 || training.LRDecayEpochs.Get(scope) != 2 || training.TrainSteps.Get(scope) != 7 {
		t.Errorf("weight_decay %v, lr_decay_epochs %v, train_steps %v; want 0, 2, 7", training.WeightDecay.Get(scope),
			training.LRDecayEpochs.Get(scope), training.TrainSteps.Get(scope))
	}
	for path := range tf.store.IterParams() {
		if path != "/"+centerloss.Lambda.Key && path != "/"+training.TrainSteps.Key && path != "/"+training.WeightDecay.Key &&
			path != "/"+training.LRDecayEpochs.Key {
			t.Errorf("%s is set in the store, but neither -set nor a flag given set it", path)
		}
	}
}

// TestCompare: `centerloss compare` (the paper's softmax beside center loss, as README shows it) trains both rivals
// in sub-folders of -out and prints them side by side.
func TestCompare(t *testing.T) {
	dataDir := tinyMNIST(t, 128, 50)
	out := filepath.Join(t.TempDir(), "compare")
	stdout, stderr, code := runCLI(t, "compare", "-steps", "2", "-batch", "32", "-lambda", "0.1", "-data", dataDir,
		"-out", out, "-quiet")
	if code != 0 {
		t.Fatalf("compare: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	for _, want := range []string{"softmax", "centerloss", "mean distance to own center", "center loss shrinks the mean distance"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("compare printed no %q:\n%s", want, stdout)
		}
	}
	for _, rival := range []string{"softmax", "centerloss"} {
		records, err := training.ReadRecords(filepath.Join(out, rival, training.MetricsFileName))
		if err != nil || len(records) != 1 || records[0].Step != 2 {
			t.Errorf("%s: records %+v, %v; want one at step 2", rival, records, err)
		}
	}
}

// TestLangFlag: the command line draws in English unless -lang asks otherwise, whatever the environment it was
// started from says (a ja lesson's kernel sets CENTERLOSS_LANG=ja for its cells and their shell commands); a
// language it has no words for is a one-line error.
func TestLangFlag(t *testing.T) {
	defer language.Set(language.Chosen)
	t.Setenv(language.EnvVar, "ja")
	t.Setenv("JPY_SESSION_NAME", "notebooks/ja/05_lambda_and_alpha.ipynb")
	for _, c := range []struct {
		args []string
		want string
	}{{nil, "en"}, {[]string{"-lang", "ja"}, "ja"}} {
		if _, err := newTrainFlags("train", t.TempDir()).parse(c.args); err != nil {
			t.Fatal(err)
		}
		if got := language.Current(); got != c.want {
			t.Errorf("train %v: draws in %q, want %q", c.args, got, c.want)
		}
	}
	_, stderr, code := runCLI(t, "train", "-lang", "fr")
	if code == 0 || !strings.Contains(stderr, `-lang "fr": must be one of en, ja`) {
		t.Errorf("-lang fr: exit %d, stderr %q", code, stderr)
	}
}
