package training

import (
	"image/gif"
	"os"
	"path/filepath"
	"testing"

	"github.com/centerloss/centerloss/centerloss/evaluation"
	"github.com/centerloss/centerloss/centerloss/internal/testbackend"
)

// TestSpreadIsMeanCenterDistance: without a held-out class, the record's intra_class_spread is exactly the
// evaluation's mean_center_distance, and the gallery is the first knn_gallery_size training images.
func TestSpreadIsMeanCenterDistance(t *testing.T) {
	backend := testbackend.Get(t)
	d := testbackend.MNISTSubset(t, 1024, 500)
	store := smallStore()
	evaluation.KNNGallerySize.Set(store.RootScope(), 300)
	s, err := NewSession(store, backend, d, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.TrainSteps(4); err != nil {
		t.Fatal(err)
	}
	eval, err := s.Evaluate()
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.embedder.MeasureEmbedding(eval, s.trainSplit)
	if err != nil {
		t.Fatal(err)
	}
	if m.IntraClassSpread != eval.MeanCenterDistance {
		t.Errorf("intra_class_spread %v, mean_center_distance %v", m.IntraClassSpread, eval.MeanCenterDistance)
	}
	if m.KNNGallery != 300 || m.KNNK != 1 || m.HoldoutDigit.OK || m.OpenSetAUROC.OK {
		t.Errorf("metrics %+v", m)
	}
	if m.KNNAccuracy <= 0 || m.KNNAccuracy > 1 || m.InterClassSeparation <= 0 || !m.IntraInterRatio.OK {
		t.Errorf("metrics %+v", m)
	}
}

// TestRunWithHeldOutDigit trains without the 3s for 20 steps: the epoch is shorter, the 3's center never moves
// from the origin, every record has the open-set AUROC and ignores the 3s elsewhere, and the run leaves one
// snapshot per record and evolution.gif with one frame each.
func TestRunWithHeldOutDigit(t *testing.T) {
	backend := testbackend.Get(t)
	d := testbackend.MNISTSubset(t, 1024, 500)
	threes := 0
	for _, l := range d.Train.Labels {
		if l == 3 {
			threes++
		}
	}
	store := smallStore()
	HoldoutDigit.Set(store.RootScope(), 3)
	TrainSteps.Set(store.RootScope(), 20)
	out := t.TempDir()
	s, err := NewSession(store, backend, d, filepath.Join(out, "checkpoint"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := (1024 - threes) / 64; s.StepsPerEpoch != want {
		t.Errorf("%d steps per epoch, want %d (the %d threes held out)", s.StepsPerEpoch, want, threes)
	}
	if _, err := Run(s, out, os.Stdout); err != nil {
		t.Fatal(err)
	}
	records, err := ReadRecords(filepath.Join(out, MetricsFileName))
	if err != nil || len(records) != 2 {
		t.Fatalf("%d records, %v", len(records), err)
	}
	for _, r := range records {
		m := r.EmbeddingMetrics
		if m.HoldoutDigit != evaluation.Some(3) || !m.OpenSetAUROC.OK || m.OpenSetAUROC.Value < 0 || m.OpenSetAUROC.Value > 1 {
			t.Errorf("step %d: holdout %v, open-set AUROC %v", r.Step, m.HoldoutDigit, m.OpenSetAUROC)
		}
		if m.KNNGallery != 1024-threes || m.ClosestCenters[0] == 3 || m.ClosestCenters[1] == 3 {
			t.Errorf("step %d: gallery %d (want %d), closest centers %v", r.Step, m.KNNGallery, 1024-threes, m.ClosestCenters)
		}
		snap, err := ReadSnapshot(filepath.Join(out, r.Snapshot))
		if err != nil {
			t.Fatal(err)
		}
		if snap.Step != r.Step || len(snap.Features) != 500 || snap.Centers[3][0] != 0 || snap.Centers[3][1] != 0 {
			t.Errorf("snapshot %s: step %d, %d features, center of 3 at %v", r.Snapshot, snap.Step, len(snap.Features), snap.Centers[3])
		}
		t.Logf("step %d: %s", r.Step, m.Summary())
	}
	f, err := os.Open(filepath.Join(out, EvolutionFileName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if g, err := gif.DecodeAll(f); err != nil || len(g.Image) != 2 {
		t.Errorf("evolution.gif: %v", err)
	}
}
