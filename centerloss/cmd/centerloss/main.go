// Command centerloss trains LeNet++ with softmax + center loss (Wen et al., ECCV 2016) headless, and evaluates
// saved models.
//
//	centerloss train [-lambda 0.01] [-alpha 0.5] [-epochs 5] [-out runs/centerloss] [-set key=value;...]
//	centerloss eval -checkpoint runs/centerloss/checkpoint
//	centerloss compare -epochs 1 [-lambda 0.01]
//	centerloss rivals -steps 300 [-center-updates] [-holdout 9]
package main

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/data"
	"github.com/centerloss/centerloss/centerloss/language"
	"github.com/centerloss/centerloss/centerloss/lenetpp"
	"github.com/centerloss/centerloss/centerloss/rivals"
	"github.com/centerloss/centerloss/centerloss/training"
	"github.com/centerloss/centerloss/centerloss/xlabackend"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/pkg/errors"
)

const usage = `usage: centerloss <command> [flags]

commands:
  train   train LeNet++ with softmax + λ·center loss; writes metrics.jsonl, PNGs and a checkpoint under -out
  eval    print the test accuracy of a saved model (-checkpoint DIR)
  compare train λ=0 and λ>0 the same way and print them side by side (mean distance to the class center)
  rivals  train softmax, softmax + center loss, contrastive and triplet loss the same way and print their metrics
          (-center-updates: the Eq. 4 and the gradient center update instead)

Run "centerloss <command> -h" for the flags of a command.`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "train":
		err = protect(func() error { return trainCommand(os.Args[2:]) })
	case "eval":
		err = protect(func() error { return evalCommand(os.Args[2:]) })
	case "compare":
		err = protect(func() error { return compareCommand(os.Args[2:]) })
	case "rivals":
		err = protect(func() error { return rivalsCommand(os.Args[2:]) })
	case "-h", "-help", "--help", "help":
		fmt.Println(usage)
		return
	default:
		err = errors.Errorf("unknown command %q (want train, eval, compare or rivals)", os.Args[1])
	}
	if err != nil && !errors.Is(err, errHelp) {
		fmt.Fprintf(os.Stderr, "centerloss: %s\n", oneLine(err))
		os.Exit(1)
	}
}

// protect turns a panic inside GoMLX into an error, so the user sees one line instead of a stack trace.
func protect(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.Errorf("%v", r)
		}
	}()
	return fn()
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", " ")), " ")
}

// flagSettings maps the command-line flags of the common hyperparameters to the keys of the settings they set.
// Each flag takes its default and its help from the setting's declaration (newTrainFlags).
var flagSettings = map[string]string{
	"lambda":        centerloss.Lambda.Key,
	"alpha":         centerloss.Alpha.Key,
	"lr":            training.LearningRate.Key,
	"epochs":        training.Epochs.Key,
	"steps":         training.TrainSteps.Key,
	"batch":         training.BatchSize.Key,
	"seed":          training.Seed.Key,
	"embedding-dim": lenetpp.EmbeddingDim.Key,
	"holdout":       training.HoldoutDigit.Key,
}

// trainFlags are the flags of the commands that train: the common hyperparameters, -set for the others, and
// where the data, outputs and backend are.
type trainFlags struct {
	fs                              *flag.FlagSet
	store                           *model.Store
	settings, out, backend, dataDir *string
	checkpoint                      *string // train only: nil for the commands that keep no checkpoint of their own
	quiet                           *bool
	lang                            *string
}

func newTrainFlags(name, defaultOut string) *trainFlags {
	fs := flag.NewFlagSet("centerloss "+name, flag.ContinueOnError)
	fs.Float64("lambda", centerloss.Lambda.Default, centerloss.Lambda.Doc)
	fs.Float64("alpha", centerloss.Alpha.Default, centerloss.Alpha.Doc)
	fs.Float64("lr", training.LearningRate.Default, training.LearningRate.Doc)
	fs.Int("epochs", training.Epochs.Default, training.Epochs.Doc)
	fs.Int("steps", training.TrainSteps.Default, training.TrainSteps.Doc)
	fs.Int("batch", training.BatchSize.Default, training.BatchSize.Doc)
	fs.Int64("seed", training.Seed.Default, training.Seed.Doc)
	fs.Int("embedding-dim", lenetpp.EmbeddingDim.Default, lenetpp.EmbeddingDim.Doc)
	fs.Int("holdout", training.HoldoutDigit.Default, training.HoldoutDigit.Doc)
	return &trainFlags{
		fs: fs, store: training.NewStore(),
		settings: fs.String("set", "", `other settings, "key=value;key=value" (listed below)`),
		out:      fs.String("out", defaultOut, "folder for metrics.jsonl, the embedding PNGs and the checkpoint"),
		backend:  fs.String("backend", "", `"xla:cpu" (default) or "xla:cuda"; $GOMLX_BACKEND when unset`),
		dataDir:  fs.String("data", "", "folder with MNIST-style IDX files (default: the real MNIST of the GoMNIST Go module)"),
		quiet:    fs.Bool("quiet", false, "no progress bar"),
		lang: fs.String("lang", "en", "the language of the pictures' titles, axes and legends: "+
			strings.Join(language.Known, " or ")+" (ja needs a Japanese font: see README)"),
	}
}

// parse reads the flags into the store and checks every setting and the output folders; it returns the keys of
// the settings the user set (a loaded checkpoint must not overwrite them). It does no work: open does.
func (tf *trainFlags) parse(args []string) (settingsSet []string, err error) {
	if err = parseFlags(tf.fs, args, "settings, for -set key=value (key, default, meaning):\n"+
		training.AllSettings().Describe()); err != nil {
		return nil, err
	}
	if settingsSet, err = applySettings(tf.store, tf.fs, *tf.settings); err != nil {
		return nil, err
	}
	if err = training.ValidateSettings(tf.store); err != nil {
		return nil, err
	}
	if !slices.Contains(language.Known, *tf.lang) {
		return nil, errors.Errorf("-lang %q: must be one of %s", *tf.lang, strings.Join(language.Known, ", "))
	}
	language.Set(*tf.lang) // English unless asked, whatever the shell or notebook it runs in
	if err = writableDir("-out", *tf.out); err != nil {
		return nil, err
	}
	if tf.checkpoint != nil {
		if *tf.checkpoint == "" {
			*tf.checkpoint = filepath.Join(*tf.out, "checkpoint")
		}
		if err = writableDir("-checkpoint", *tf.checkpoint); err != nil {
			return nil, err
		}
	}
	return settingsSet, nil
}

// open starts the backend and loads the data, once parse has checked everything else.
func (tf *trainFlags) open() (compute.Backend, *data.Dataset, error) {
	b, err := xlabackend.NewBackend(*tf.backend)
	if err != nil {
		return nil, nil, err
	}
	dataset, err := loadData(*tf.dataDir)
	if err != nil {
		b.Finalize()
		return nil, nil, err
	}
	return b, dataset, nil
}

// writableDir creates dir if needed and checks that a file can be written in it, so that an output path
// that cannot be written is an error before any work starts, not after the first epoch.
func writableDir(flagName, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return errors.Errorf("%s %s: cannot create the folder: %v", flagName, dir, err)
	}
	f, err := os.CreateTemp(dir, ".centerloss-write-test-*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the probe's random name says nothing to the user
		}
		return errors.Errorf("%s %s: cannot write in the folder: %v", flagName, dir, err)
	}
	_ = f.Close()
	return os.Remove(f.Name())
}

func trainCommand(args []string) error {
	tf := newTrainFlags("train", "runs/centerloss")
	checkpointDir := tf.fs.String("checkpoint", "", "checkpoint folder: resumed from if it holds one (default: OUT/checkpoint)")
	tf.checkpoint = checkpointDir
	settingsSet, err := tf.parse(args)
	if err != nil {
		return err
	}
	b, dataset, err := tf.open()
	if err != nil {
		return err
	}
	session, err := training.NewSession(tf.store, b, dataset, *checkpointDir, settingsSet)
	if err != nil {
		return err
	}
	for _, note := range session.SetAside {
		fmt.Println("centerloss:", note)
	}
	if !*tf.quiet {
		session.AttachProgressBar()
	}
	fmt.Printf("centerloss: %s\n  data %s (%d train, %d test images), output %s, checkpoint %s\n",
		session, dataset.Dir, dataset.Train.Len(), dataset.Test.Len(), *tf.out, *checkpointDir)
	last, err := training.Run(session, *tf.out, os.Stdout)
	if err != nil {
		return err
	}
	if last == nil {
		fmt.Printf("nothing to do: the checkpoint is already at step %d; raise -epochs or -steps to train more\n",
			session.GlobalStep())
		return nil
	}
	fmt.Printf("done: test accuracy %.2f%% after %d steps (%.2f epochs, %.1f minutes), median step %.0f ms; see %s\n",
		100*last.TestAccuracy, last.Step, last.Epoch, last.Seconds/60, last.MedianStepMillis,
		filepath.Join(*tf.out, training.MetricsFileName))
	return nil
}

// compareCommand is the paper's comparison, softmax alone beside softmax + λ·center loss: rivals.SoftmaxAndCenter
// trained by rivals.Rivals, each in a sub-folder of -out.
func compareCommand(args []string) error {
	tf := newTrainFlags("compare", "runs/compare")
	if _, err := tf.parse(args); err != nil {
		return err
	}
	pair, err := rivals.SoftmaxAndCenter(centerloss.Lambda.Get(tf.store.RootScope()))
	if err != nil {
		return err
	}
	results, err := runRivals(tf, pair)
	if err != nil {
		return err
	}
	if len(results) == 2 {
		if baseline, center := results[0].Record.MeanCenterDistance, results[1].Record.MeanCenterDistance; center > 0 {
			fmt.Printf("center loss shrinks the mean distance to the class center by %.1f×\n", baseline/center)
		}
	}
	return nil
}

func rivalsCommand(args []string) error {
	tf := newTrainFlags("rivals", "runs/rivals")
	updates := tf.fs.Bool("center-updates", false, "compare the two center updates (eq4, gradient) instead of the four losses")
	if _, err := tf.parse(args); err != nil {
		return err
	}
	list := rivals.LossRivals(centerloss.Lambda.Get(tf.store.RootScope()))
	if *updates {
		list = rivals.CenterUpdateRivals()
	}
	_, err := runRivals(tf, list)
	return err
}

// runRivals trains the rivals on the parsed settings and prints their table.
func runRivals(tf *trainFlags, list []rivals.Rival) ([]*rivals.RivalResult, error) {
	b, dataset, err := tf.open()
	if err != nil {
		return nil, err
	}
	results, err := rivals.Rivals(tf.store, b, dataset, *tf.out, list, os.Stdout)
	if err != nil {
		return nil, err
	}
	rivals.RivalsTable(os.Stdout, results)
	return results, nil
}

func evalCommand(args []string) error {
	fs := flag.NewFlagSet("centerloss eval", flag.ContinueOnError)
	checkpointDir := fs.String("checkpoint", "", "checkpoint folder written by `centerloss train` (required)")
	backend := fs.String("backend", "", `"xla:cpu" (default) or "xla:cuda"`)
	dataDir := fs.String("data", "", "folder with MNIST-style IDX files (default: the real MNIST)")
	if err := parseFlags(fs, args, ""); err != nil {
		return err
	}
	if *checkpointDir == "" {
		return errors.New("eval: -checkpoint DIR is required")
	}
	if !hasCheckpoint(*checkpointDir) {
		return errors.Errorf("-checkpoint %s: no checkpoint there (no checkpoint-*.json file)", *checkpointDir)
	}
	b, err := xlabackend.NewBackend(*backend)
	if err != nil {
		return err
	}
	dataset, err := loadData(*dataDir)
	if err != nil {
		return err
	}
	session, err := training.NewSession(training.NewStore(), b, dataset, *checkpointDir, nil)
	if err != nil {
		return err
	}
	for _, note := range session.SetAside {
		fmt.Println("centerloss:", note)
	}
	if !hasCheckpoint(*checkpointDir) {
		return errors.Errorf("-checkpoint %s: no complete checkpoint there", *checkpointDir)
	}
	eval, err := session.Evaluate()
	if err != nil {
		return err
	}
	fmt.Printf("checkpoint %s (step %d): test accuracy %.2f%% on %d images, mean distance to center %.3f\n",
		*checkpointDir, session.GlobalStep(), 100*eval.Accuracy, len(eval.Labels), eval.MeanCenterDistance)
	return nil
}

// applySettings applies -set and then the flags given explicitly to the store, returning the keys of the settings
// set (a loaded checkpoint must not overwrite them).
func applySettings(store *model.Store, fs *flag.FlagSet, settings string) ([]string, error) {
	all, scope := training.AllSettings(), store.RootScope()
	var set []string
	add := func(key string) {
		if !slices.Contains(set, key) {
			set = append(set, key)
		}
	}
	for _, assignment := range strings.Split(settings, ";") {
		if assignment = strings.TrimSpace(assignment); assignment == "" {
			continue
		}
		key, err := all.SetFromText(scope, assignment)
		if err != nil {
			return nil, errors.Errorf("-set %q: %v", settings, oneLine(err))
		}
		add(key)
	}
	var err error
	fs.Visit(func(f *flag.Flag) {
		key, ok := flagSettings[f.Name]
		if !ok || err != nil {
			return
		}
		if _, err = all.SetFromText(scope, key+"="+f.Value.String()); err != nil {
			err = errors.Errorf("-%s %s: %v", f.Name, f.Value, oneLine(err))
			return
		}
		add(key)
	})
	return set, err
}

// errHelp ends a command after its help was printed.
var errHelp = errors.New("help printed")

// parseFlags parses a command's flags; a mistake is returned as one line, and -h prints the flags to stdout,
// followed by more.
func parseFlags(fs *flag.FlagSet, args []string, more string) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(os.Stdout)
		fmt.Printf("usage of %s:\n", fs.Name())
		fs.PrintDefaults()
		if more != "" {
			fmt.Print("\n" + more)
		}
		return errHelp
	}
	if err == nil && fs.NArg() > 0 {
		err = errors.Errorf("unexpected argument %q (flags start with -)", fs.Arg(0))
	}
	return err
}

func loadData(dir string) (*data.Dataset, error) {
	if dir == "" {
		return data.LoadMNIST()
	}
	return data.Load(dir)
}

func hasCheckpoint(dir string) bool {
	matches, _ := filepath.Glob(filepath.Join(dir, "checkpoint-*.json"))
	return len(matches) > 0
}
