package notebook

import (
	"path/filepath"
	"testing"
)

// The run the notebooks replay is in the repository, whole: one record and one snapshot per epoch, λ = 0.03, the
// 98.96 % that notebook 4, README and docs/results.md quote.
func TestShippedRunIsComplete(t *testing.T) {
	repo, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(RepoEnvVar, repo)
	run, err := LoadShippedRun()
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Records) != 8 || len(run.Frames) != 8 {
		t.Fatalf("%d records, %d frames; want the 8 epochs", len(run.Records), len(run.Frames))
	}
	last := run.Records[7]
	if last.Epoch != 8 || last.TestAccuracy != 0.9896 || last.Lambda != 0.03 || len(run.Frames[7].Features) != 10000 {
		t.Errorf("last record: epoch %g, accuracy %g, λ %g, %d features", last.Epoch, last.TestAccuracy, last.Lambda,
			len(run.Frames[7].Features))
	}
}
