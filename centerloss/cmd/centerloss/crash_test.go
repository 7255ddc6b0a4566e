package main

// Crashes, divergence and repeatability, tested on the command as a user runs it: in processes of its own, killed
// with SIGKILL at random instants.

import (
	"bufio"
	"bytes"
	"fmt"
	"image/png"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/centerloss/centerloss/centerloss/data"
	"github.com/centerloss/centerloss/centerloss/training"
	"github.com/centerloss/centerloss/centerloss/xlabackend"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/checkpoint"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// The save-loop child: with CENTERLOSS_SAVE_LOOP=<checkpoint dir> and CENTERLOSS_SAVE_DATA=<data dir>, the test
// binary opens a session on the checkpoint and saves it over and over (one step further each time, the weights
// unchanged), printing "saved N" after each save, until it is killed.
func init() {
	if dir := os.Getenv("CENTERLOSS_SAVE_LOOP"); dir != "" {
		if err := saveLoop(dir, os.Getenv("CENTERLOSS_SAVE_DATA")); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

func saveLoop(dir, dataDir string) error {
	dataset, err := data.Load(dataDir)
	if err != nil {
		return err
	}
	backend, err := xlabackend.NewBackend("")
	if err != nil {
		return err
	}
	store := training.NewStore()
	training.BatchSize.Set(store.RootScope(), 32)
	s, err := training.NewSession(store, backend, dataset, dir, nil)
	if err != nil {
		return err
	}
	step := optimizer.GetGlobalStepVar(store)
	for {
		next := s.GlobalStep() + 1
		step.MustSetValue(tensors.FromValue(int64(next)))
		if err := s.Save(); err != nil {
			return err
		}
		fmt.Printf("saved %d\n", next)
	}
}

// TestKillDuringCheckpointSave kills a process that does nothing but save checkpoints, at random instants, many
// times. After each kill, the folder must load in a new session (as `train` does on resume), at the last step the
// process reported saved or later, with the weights intact.
func TestKillDuringCheckpointSave(t *testing.T) {
	skipIfShort(t)
	kills := 25
	if n, err := strconv.Atoi(os.Getenv("CENTERLOSS_CRASH_KILLS")); err == nil {
		kills = n
	}
	dataDir := tinyMNIST(t, 256, 100)
	out := filepath.Join(t.TempDir(), "run")
	if stdout, stderr, code := runCLI(t, "train", "-steps", "2", "-batch", "32", "-data", dataDir, "-out", out,
		"-quiet"); code != 0 {
		t.Fatalf("train: exit %d\n%s%s", code, stdout, stderr)
	}
	dir := filepath.Join(out, "checkpoint")
	_, want := loadCheckpointVars(t, dir)

	rng := rand.New(rand.NewPCG(1, 2))
	midSave, lastSaved := 0, 2
	for kill := range kills {
		cmd, stdout, stderr := startTestBinary(t, []string{"-test.run=^$"},
			"CENTERLOSS_SAVE_LOOP="+dir, "CENTERLOSS_SAVE_DATA="+dataDir)
		lines := bufio.NewScanner(stdout)
		if !lines.Scan() { // the first "saved" line: the loop is running
			_ = cmd.Wait()
			t.Fatalf("kill %d: the save loop did not start: %s", kill, stderr.String())
		}
		saved := make(chan int, 1)
		go func() { // keep the newest step reported, as the parent of a real training would see it
			n := parseSaved(lines.Text())
			for lines.Scan() {
				n = parseSaved(lines.Text())
			}
			saved <- n
		}()
		time.Sleep(time.Duration(rng.IntN(600)) * time.Millisecond)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		lastSaved = max(lastSaved, <-saved)

		notes, err := training.SetAsideIncomplete(dir)
		if err != nil {
			t.Fatalf("kill %d: %v", kill, err)
		}
		if len(notes) > 0 {
			midSave++
		}
		step, got := loadCheckpointVars(t, dir)
		if int(step) < lastSaved {
			t.Fatalf("kill %d: loaded step %d, but step %d had been saved", kill, step, lastSaved)
		}
		if !reflect.DeepEqual(got, want) {
			for name := range want {
				if got[name] != want[name] {
					t.Errorf("kill %d: variable %s differs (%d bytes, want %d)", kill, name, len(got[name]), len(want[name]))
				}
			}
			t.Fatalf("kill %d: the loaded weights differ from those saved", kill)
		}
	}
	t.Logf("survived %d kills at random instants of a save loop; %d of them left an incomplete checkpoint, set "+
		"aside, and the previous one loaded whole; %d saves completed", kills, midSave, lastSaved-2)
	if midSave == 0 {
		t.Errorf("no kill landed in the middle of a save: the test did not test what it says")
	}
}

// skipIfShort skips a crash test under go test -short: each trains for minutes.
func skipIfShort(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("trains for minutes; run without -short")
	}
}

func parseSaved(line string) int {
	n, _ := strconv.Atoi(strings.TrimPrefix(line, "saved "))
	return n
}

// loadCheckpointVars loads the latest checkpoint in dir, as a session does, and returns its global step and the
// bytes of every other variable.
func loadCheckpointVars(t *testing.T, dir string) (int64, map[string]string) {
	t.Helper()
	store := model.NewStore()
	if _, err := checkpoint.Build(store).Dir(dir).Immediate().Done(); err != nil {
		t.Fatalf("the checkpoint in %s does not load: %v", dir, err)
	}
	vars := map[string]string{}
	for v := range store.IterVariables() {
		// GoMLX's Trainer deletes the learning-rate variable when it is built, to set it afresh from the
		// hyperparameter: a session that saves without training leaves it out. It is not a weight.
		if v.Name() == optimizer.GlobalStepVariableName || v.Name() == optimizer.ParamLearningRate {
			continue
		}
		if err := v.MustValue().ConstBytes(func(b []byte) { vars[v.Path()] = string(b) }); err != nil {
			t.Fatal(err)
		}
	}
	return optimizer.GetGlobalStep(store), vars
}

// crashArgs is a short training run with a checkpoint every 16 steps (one epoch of the tiny data).
func crashArgs(dataDir, out string) []string {
	return []string{"train", "-epochs", "6", "-batch", "32", "-data", dataDir, "-out", out, "-quiet"}
}

// TestKilledTrainingResumesToTheSameResult kills `train` with SIGKILL at random instants (training, evaluating,
// drawing, saving) and starts it again each time, until it finishes. The metrics must be those of an unbroken run
// on the same seed, every file written must be whole, and every restart must load.
func TestKilledTrainingResumesToTheSameResult(t *testing.T) {
	skipIfShort(t)
	dataDir := tinyMNIST(t, 512, 200)
	unbroken := filepath.Join(t.TempDir(), "unbroken")
	if stdout, stderr, code := runCLI(t, crashArgs(dataDir, unbroken)...); code != 0 {
		t.Fatalf("unbroken run: exit %d\n%s%s", code, stdout, stderr)
	}

	broken := filepath.Join(t.TempDir(), "broken")
	rng := rand.New(rand.NewPCG(3, 4))
	const maxKills = 8
	kills, setAside := 0, 0
	for starts := 1; ; starts++ {
		if starts > 30 {
			t.Fatal("30 starts and not finished")
		}
		cmd, stdout, stderr := startTestBinary(t, crashArgs(dataDir, broken), "CENTERLOSS_RUN_MAIN=1")
		// The first "epoch" line comes once the run is past compiling and has saved one more epoch: from there, a
		// kill lands anywhere in the loop of train / evaluate / draw / save.
		epochSeen, output := make(chan struct{}), make(chan string, 1)
		go func() {
			var all strings.Builder
			seen := false
			for lines := bufio.NewScanner(stdout); lines.Scan(); {
				if !seen && strings.HasPrefix(lines.Text(), "epoch ") {
					seen = true
					close(epochSeen)
				}
				all.WriteString(lines.Text() + "\n")
			}
			output <- all.String()
		}()
		text := ""
		if kills < maxKills {
			select {
			case <-epochSeen:
				time.Sleep(time.Duration(rng.IntN(1500)) * time.Millisecond)
				_ = cmd.Process.Kill()
			case text = <-output:
			}
		}
		if text == "" {
			text = <-output
		}
		err := cmd.Wait()
		setAside += strings.Count(text, "was incomplete")
		if exitErr, ok := err.(*exec.ExitError); ok && exitErr.String() == "signal: killed" {
			kills++
			continue
		}
		if err != nil || !strings.Contains(text, "done: test accuracy") {
			t.Fatalf("start %d: %v\nstdout: %s\nstderr: %s", starts, err, text, stderr.String())
		}
		t.Logf("training finished after %d kills (SIGKILL at random instants) and %d starts; %d restarts found an "+
			"incomplete checkpoint and set it aside", kills, starts, setAside)
		break
	}

	a, b := readRecords(t, unbroken), readRecords(t, broken)
	if len(a) != 6 || len(b) != 6 {
		t.Fatalf("%d records unbroken, %d broken; want 6 each (one per epoch)", len(a), len(b))
	}
	for i := range a {
		if !sameResults(a[i], b[i]) {
			t.Errorf("epoch %d: unbroken %+v\nkilled and resumed %+v", i+1, a[i], b[i])
		}
	}
	checkPNGs(t, broken)
}

// TestDivergenceKeepsTheLastGoodCheckpoint trains one epoch, then resumes it with an absurd learning rate: training
// must stop with the NaN message and leave the checkpoint, the metrics and the plots of the good epoch untouched.
func TestDivergenceKeepsTheLastGoodCheckpoint(t *testing.T) {
	skipIfShort(t)
	dataDir := tinyMNIST(t, 512, 200)
	out := filepath.Join(t.TempDir(), "run")
	args := []string{"train", "-epochs", "1", "-batch", "32", "-data", dataDir, "-out", out, "-quiet"}
	if stdout, stderr, code := runCLI(t, args...); code != 0 {
		t.Fatalf("train: exit %d\n%s%s", code, stdout, stderr)
	}
	dir := filepath.Join(out, "checkpoint")
	before := snapshot(t, dir)
	metricsBefore := readFile(t, filepath.Join(out, training.MetricsFileName))

	stdout, stderr, code := runCLI(t, "train", "-epochs", "4", "-batch", "32", "-lr", "1e4", "-data", dataDir, "-out",
		out, "-quiet")
	if code != 1 || strings.Count(strings.TrimSpace(stderr), "\n") > 0 ||
		!strings.Contains(stderr, "training diverged at step ") || !strings.Contains(stderr, "NaN") ||
		!strings.Contains(stderr, "the last checkpoint, in "+dir+", is kept as it was") {
		t.Fatalf("diverging run: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	t.Logf("the diverging run said: %s", strings.TrimSpace(stderr))
	if after := snapshot(t, dir); !reflect.DeepEqual(before, after) {
		t.Errorf("the checkpoint folder changed: %v, then %v", keys(before), keys(after))
	}
	if got := readFile(t, filepath.Join(out, training.MetricsFileName)); got != metricsBefore {
		t.Errorf("metrics.jsonl changed:\n%s", got)
	}
	stdout, stderr, code = runCLI(t, "eval", "-checkpoint", dir, "-data", dataDir)
	if code != 0 || !strings.Contains(stdout, "(step 16): test accuracy") {
		t.Errorf("eval of the kept checkpoint: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestSameSeedSameMetrics runs the same training twice: the metrics (all but the timings) and every variable of
// the final checkpoint must be identical, bit for bit.
func TestSameSeedSameMetrics(t *testing.T) {
	skipIfShort(t)
	dataDir := tinyMNIST(t, 512, 200)
	var runs [2]string
	for i := range runs {
		runs[i] = filepath.Join(t.TempDir(), fmt.Sprint("run", i))
		args := []string{"train", "-epochs", "3", "-batch", "32", "-data", dataDir, "-out", runs[i], "-quiet"}
		if stdout, stderr, code := runCLI(t, args...); code != 0 {
			t.Fatalf("run %d: exit %d\n%s%s", i, code, stdout, stderr)
		}
	}
	a, b := readRecords(t, runs[0]), readRecords(t, runs[1])
	if len(a) != 3 || len(a) != len(b) {
		t.Fatalf("%d and %d records, want 3", len(a), len(b))
	}
	for i := range a {
		if !sameResults(a[i], b[i]) {
			t.Errorf("epoch %d differs:\n%+v\n%+v", i+1, a[i], b[i])
		}
	}
	_, va := loadCheckpointVars(t, filepath.Join(runs[0], "checkpoint"))
	_, vb := loadCheckpointVars(t, filepath.Join(runs[1], "checkpoint"))
	compared := 0
	for name := range va {
		// GoMLX's progress-bar moving averages live under /metrics/, in variables named with a fresh UUID per run.
		if strings.HasPrefix(name, "/metrics/") {
			continue
		}
		compared++
		if va[name] != vb[name] {
			t.Errorf("variable %s differs between the two runs", name)
		}
	}
	if compared < 40 {
		t.Errorf("only %d variables compared", compared)
	}
	t.Logf("3 epochs twice: metrics identical, and %d variables identical bit for bit", compared)
}

// sameResults compares two records on everything but wall-clock figures.
func sameResults(a, b training.Record) bool {
	a.Seconds, a.MedianStepMillis, b.Seconds, b.MedianStepMillis = 0, 0, 0, 0
	return a == b
}

func readRecords(t *testing.T, out string) []training.Record {
	t.Helper()
	records, err := training.ReadRecords(filepath.Join(out, training.MetricsFileName))
	if err != nil {
		t.Fatal(err)
	}
	return records
}

// checkPNGs decodes every PNG in dir and checks no temporary file is left.
func checkPNGs(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		switch {
		case strings.HasSuffix(e.Name(), ".png"):
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := png.Decode(f); err != nil {
				t.Errorf("%s: %v", path, err)
			}
			f.Close()
			n++
		case strings.Contains(e.Name(), ".tmp"):
			t.Logf("a temporary file left by a kill: %s (harmless: never read)", e.Name())
		}
	}
	if n != 6 {
		t.Errorf("%d PNGs, want 6", n)
	}
}

// snapshot reads every file in dir.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			files[e.Name()] = readFile(t, filepath.Join(dir, e.Name()))
		}
	}
	return files
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// startTestBinary starts this test binary again with args and the extra environment variables env, its stdout
// piped to the caller and its stderr gathered, as the crash tests do before killing it.
func startTestBinary(t *testing.T, args []string, env ...string) (*exec.Cmd, io.ReadCloser, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := new(bytes.Buffer)
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, stdout, stderr
}
