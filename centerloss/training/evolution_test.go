package training

import (
	"image/gif"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteEvolutionGIF: three records with snapshots (the clusters spreading out), one without, and a stray
// snapshot no record names: the GIF has one frame per record's snapshot, all the same size.
func TestWriteEvolutionGIF(t *testing.T) {
	dir := t.TempDir()
	for i, step := range []int{16, 32, 40} {
		snap := tenClassSnapshot()
		snap.Step = step
		for _, f := range snap.Features {
			f[0] *= float32(i + 1)
		}
		r := Record{Step: step, Epoch: float64(step) / 16, Snapshot: snapshotName(step, 16)}
		if err := snap.Write(filepath.Join(dir, r.Snapshot)); err != nil {
			t.Fatal(err)
		}
		if err := AppendRecord(filepath.Join(dir, MetricsFileName), r); err != nil {
			t.Fatal(err)
		}
	}
	_ = AppendRecord(filepath.Join(dir, MetricsFileName), Record{Step: 48}) // e.g. a run with a wider embedding
	_ = tenClassSnapshot().Write(filepath.Join(dir, "embedding_009.npz"))   // left by another run
	if err := WriteEvolutionGIF(dir); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, EvolutionFileName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g, err := gif.DecodeAll(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Image) != 3 {
		t.Fatalf("%d frames, want 3", len(g.Image))
	}
	for i, img := range g.Image {
		if b := img.Bounds(); b.Dx() != EvolutionSize || b.Dy() != EvolutionSize {
			t.Errorf("frame %d: %v", i, b)
		}
	}
}

// tenClassSnapshot is handSnapshot with the ten centers of the MNIST digits the plots expect.
func tenClassSnapshot() *Snapshot {
	snap := handSnapshot()
	for j := len(snap.Centers); j < 10; j++ {
		snap.Centers = append(snap.Centers, []float32{float32(j), -float32(j)})
	}
	return snap
}

func TestWriteEvolutionGIFWithoutSnapshots(t *testing.T) {
	dir := t.TempDir()
	_ = AppendRecord(filepath.Join(dir, MetricsFileName), Record{Step: 16})
	if err := WriteEvolutionGIF(dir); err == nil || !strings.Contains(err.Error(), "no snapshots") {
		t.Errorf("got %v", err)
	}
	_ = AppendRecord(filepath.Join(dir, MetricsFileName), Record{Step: 32, Snapshot: "embedding_002.npz"})
	if err := WriteEvolutionGIF(dir); err == nil || !strings.Contains(err.Error(), "embedding_002.npz") {
		t.Errorf("missing snapshot: %v", err)
	}
}
