// Command centerloss trains LeNet++ with softmax + center loss (Wen et al., ECCV 2016) headless, and evaluates
// saved models.
//
//	centerloss train [-lambda 0.01] [-alpha 0.5] [-epochs 6] [-out runs/centerloss] [-set key=value;...]
//	centerloss eval -checkpoint runs/centerloss/checkpoint
//	centerloss rivals -steps 300 [-center-updates] [-holdout 9]
package main

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/data"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ui/commandline"
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

// flagParams maps command-line flags to the context parameters they set.
var flagParams = map[string]string{
	"lambda":        centerloss.ParamLambda,
	"alpha":         centerloss.ParamAlpha,
	"lr":            centerloss.ParamLearningRate,
	"epochs":        centerloss.ParamEpochs,
	"steps":         centerloss.ParamTrainSteps,
	"batch":         centerloss.ParamBatchSize,
	"seed":          centerloss.ParamSeed,
	"embedding-dim": centerloss.ParamEmbeddingDim,
	"holdout":       centerloss.ParamHoldoutDigit,
}

// trainFlags are the flags of the commands that train: the common hyperparameters, -set for the others, and
// where the data, outputs and backend are.
type trainFlags struct {
	fs                              *flag.FlagSet
	scope                           *model.Scope
	settings, out, backend, dataDir *string
	checkpoint                      *string // train only: nil for the commands that keep no checkpoint
	quiet                           *bool
}

func newTrainFlags(name, defaultOut string) *trainFlags {
	scope := centerloss.NewContext()
	fs := flag.NewFlagSet("centerloss "+name, flag.ContinueOnError)
	d := centerloss.Defaults
	fs.Float64("lambda", d[centerloss.ParamLambda].(float64), "λ, the weight of the center loss (0: softmax only)")
	fs.Float64("alpha", d[centerloss.ParamAlpha].(float64), "α, the step of the center update (Eq. 4), in (0, 1]")
	fs.Float64("lr", d[centerloss.ParamLearningRate].(float64), "initial learning rate of SGD with momentum")
	fs.Int("epochs", d[centerloss.ParamEpochs].(int), "epochs to train (counted from step 0: a resumed run trains what is left)")
	fs.Int("steps", 0, "train this many steps instead of -epochs (counted from step 0)")
	fs.Int("batch", d[centerloss.ParamBatchSize].(int), "batch size")
	fs.Int64("seed", d[centerloss.ParamSeed].(int64), "seed of the initial weights and of the batch order")
	fs.Int("embedding-dim", d[centerloss.ParamEmbeddingDim].(int), "width of the feature layer (2 draws like the paper)")
	fs.Int("holdout", d[centerloss.ParamHoldoutDigit].(int), "digit held out of training (-1: none), for the open-set AUROC in metrics.jsonl")
	var allKeys []string
	scope.EnumerateParams(func(_, key string, _ any) { allKeys = append(allKeys, key) })
	return &trainFlags{
		fs: fs, scope: scope,
		settings: fs.String("set", "", "other hyperparameters, \"key=value;key=value\"; keys: "+strings.Join(allKeys, ", ")),
		out:      fs.String("out", defaultOut, "folder for metrics.jsonl, the embedding PNGs and the checkpoint"),
		backend:  fs.String("backend", "", `"xla:cpu" (default) or "xla:cuda"; $GOMLX_BACKEND when unset`),
		dataDir:  fs.String("data", "", "folder with MNIST-style IDX files (default: the real MNIST of the GoMNIST Go module)"),
		quiet:    fs.Bool("quiet", false, "no progress bar"),
	}
}

// parse reads the flags into the context and opens what training needs; it returns the names of the
// hyperparameters the user set (a loaded checkpoint must not overwrite them). Every setting, the output
// folders and the backend are checked before the data is loaded, so that a mistake costs no work.
func (tf *trainFlags) parse(args []string) (paramsSet []string, dataset *data.Dataset, b compute.Backend, err error) {
	if err = parseFlags(tf.fs, args); err != nil {
		return
	}
	if paramsSet, err = applySettings(tf.scope, tf.fs, *tf.settings); err != nil {
		return
	}
	if err = centerloss.ValidateParams(tf.scope); err != nil {
		return
	}
	if err = writableDir("-out", *tf.out); err != nil {
		return
	}
	if tf.checkpoint != nil {
		if *tf.checkpoint == "" {
			*tf.checkpoint = filepath.Join(*tf.out, "checkpoint")
		}
		if err = writableDir("-checkpoint", *tf.checkpoint); err != nil {
			return
		}
	}
	if b, err = centerloss.NewBackend(*tf.backend); err != nil {
		return
	}
	if dataset, err = loadData(*tf.dataDir); err != nil {
		b.Finalize()
		b = nil
	}
	return
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
	paramsSet, dataset, b, err := tf.parse(args)
	if err != nil {
		return err
	}
	session, err := centerloss.NewSession(tf.scope, b, dataset, *checkpointDir, paramsSet)
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
	last, err := centerloss.Run(session, *tf.out, os.Stdout)
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
		filepath.Join(*tf.out, centerloss.MetricsFileName))
	return nil
}

func compareCommand(args []string) error {
	tf := newTrainFlags("compare", "runs/compare")
	_, dataset, b, err := tf.parse(args)
	if err != nil {
		return err
	}
	comparison, err := centerloss.Compare(tf.scope, b, dataset, *tf.out, os.Stdout)
	if err != nil {
		return err
	}
	comparison.Table(os.Stdout)
	return nil
}

func rivalsCommand(args []string) error {
	tf := newTrainFlags("rivals", "runs/rivals")
	updates := tf.fs.Bool("center-updates", false, "compare the two center updates (eq4, gradient) instead of the four losses")
	_, dataset, b, err := tf.parse(args)
	if err != nil {
		return err
	}
	rivals := centerloss.LossRivals(model.GetParamOr(tf.scope, centerloss.ParamLambda, 0.0))
	if *updates {
		rivals = centerloss.CenterUpdateRivals()
	}
	results, err := centerloss.Rivals(tf.scope, b, dataset, *tf.out, rivals, os.Stdout)
	if err != nil {
		return err
	}
	centerloss.RivalsTable(os.Stdout, results)
	return nil
}

func evalCommand(args []string) error {
	fs := flag.NewFlagSet("centerloss eval", flag.ContinueOnError)
	checkpointDir := fs.String("checkpoint", "", "checkpoint folder written by `centerloss train` (required)")
	backend := fs.String("backend", "", `"xla:cpu" (default) or "xla:cuda"`)
	dataDir := fs.String("data", "", "folder with MNIST-style IDX files (default: the real MNIST)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *checkpointDir == "" {
		return errors.New("eval: -checkpoint DIR is required")
	}
	if !hasCheckpoint(*checkpointDir) {
		return errors.Errorf("-checkpoint %s: no checkpoint there (no checkpoint-*.json file)", *checkpointDir)
	}
	scope := centerloss.NewContext()
	b, err := centerloss.NewBackend(*backend)
	if err != nil {
		return err
	}
	dataset, err := loadData(*dataDir)
	if err != nil {
		return err
	}
	session, err := centerloss.NewSession(scope, b, dataset, *checkpointDir, nil)
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

// applySettings applies -set and then the explicitly given flags to ctx, returning the names of the parameters
// set (a loaded checkpoint must not overwrite them).
func applySettings(scope *model.Scope, fs *flag.FlagSet, settings string) ([]string, error) {
	paramsSet, err := commandline.ParseSettings(scope, settings)
	if err != nil {
		return nil, errors.Errorf("-set %q: %v", settings, oneLine(err))
	}
	fs.Visit(func(f *flag.Flag) {
		key, ok := flagParams[f.Name]
		if !ok || err != nil {
			return
		}
		var more []string
		if more, err = commandline.ParseSettings(scope, key+"="+f.Value.String()); err != nil {
			err = errors.Errorf("-%s %s: %v", f.Name, f.Value, oneLine(err))
		}
		paramsSet = append(paramsSet, more...)
	})
	return paramsSet, err
}

// errHelp ends a command after its help was printed.
var errHelp = errors.New("help printed")

// parseFlags parses a command's flags; a mistake is returned as one line, and -h prints the flags to stdout.
func parseFlags(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(os.Stdout)
		fmt.Printf("usage of %s:\n", fs.Name())
		fs.PrintDefaults()
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
