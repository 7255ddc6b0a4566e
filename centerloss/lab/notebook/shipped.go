package notebook

import (
	"fmt"
	"path/filepath"

	"github.com/centerloss/centerloss/centerloss/language"
	"github.com/centerloss/centerloss/centerloss/plots"
	"github.com/centerloss/centerloss/centerloss/training"
)

// ShippedRunName is the run the project ships beside the notebooks (`make shipped-run` makes it): LeNet++ with
// λ = 0.03, α = 0.5, 8 epochs, the learning rate divided by 10 after epoch 5 (98.96 % test accuracy). Half an hour
// of training on two CPU cores, replayed in seconds from its records and per-epoch snapshots.
const ShippedRunName = "lambda0.03-8epochs"

// ShippedRun is the shipped run's records (one per epoch) and its test embeddings, one frame per record.
type ShippedRun struct {
	Dir     string
	Records []training.Record
	Frames  []plots.Embedding
}

// ShippedRunDir is where the shipped run lies: notebooks/data/<ShippedRunName> in the repository.
func ShippedRunDir() string { return filepath.Join(repoDir(), "notebooks", "data", ShippedRunName) }

// LoadShippedRun reads the shipped run's metrics.jsonl and the snapshots it names.
func LoadShippedRun() (*ShippedRun, error) {
	dir := ShippedRunDir()
	records, err := training.ReadRecords(filepath.Join(dir, training.MetricsFileName))
	if err != nil {
		return nil, fmt.Errorf("notebook: the shipped run: %w (make shipped-run makes it again)", err)
	}
	frames, err := training.EvolutionFrames(dir)
	if err != nil {
		return nil, fmt.Errorf("notebook: the shipped run: %w", err)
	}
	if len(frames) != len(records) {
		return nil, fmt.Errorf("notebook: the shipped run in %s has %d records but %d snapshots", dir, len(records),
			len(frames))
	}
	return &ShippedRun{Dir: dir, Records: records, Frames: frames}, nil
}

// Table prints the run epoch by epoch: what the test set says of it.
func (r *ShippedRun) Table() {
	fmt.Printf("%5s %9s %10s %14s %13s %8s\n", "epoch", "next lr", "accuracy", "spread", "separation", "ratio")
	for _, rec := range r.Records {
		fmt.Printf("%5g %9g %9.2f%% %14.3f %13.3f %8.3f\n", rec.Epoch, rec.LearningRate, 100*rec.TestAccuracy,
			rec.IntraClassSpread, rec.InterClassSeparation, rec.IntraInterRatio.Value)
	}
}

// SlideThrough shows the run's test embedding under a slider over its epochs, on axes fixed over all of them.
func (r *ShippedRun) SlideThrough() error {
	return slideFrames(language.Say("epoch"), r.Frames, func(i int) string { return fmt.Sprintf("%g", r.Records[i].Epoch) })
}
