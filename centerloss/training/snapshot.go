package training

import (
	"fmt"
	"os"

	"github.com/centerloss/centerloss/centerloss/evaluation"
	"github.com/centerloss/centerloss/centerloss/internal/atomicfile"
	"github.com/centerloss/centerloss/centerloss/internal/npy"
	"github.com/pkg/errors"
)

// Snapshot is the test embedding at one record, kept so that its evolution through training can be drawn after
// the run (the GIF, a notebook's replay) without the checkpoints, of which only the last three are kept.
//
// It is saved as NumPy's .npz (embedding_NNN.npz beside epoch_NNN.png): numpy.load opens it in Python with no
// code of ours, and it is compact: for the 10,000 test images in 2-D, features [n, dim] float32 (80 kB), labels
// [n] uint8, centers [classes, dim] float32, step int64 and epoch float64, deflated to about 80 kB. JSON would
// be three times the size and need parsing code on both sides.
type Snapshot struct {
	Step     int
	Epoch    float64
	Features [][]float32 // [n][dim]
	Labels   []int       // [n], each < len(Centers)
	Centers  [][]float32 // [numClasses][dim]
}

// SnapshotOf keeps what an evaluation shows of the embedding, at the given step and epoch.
func SnapshotOf(eval *evaluation.Evaluation, step int, epoch float64) *Snapshot {
	return &Snapshot{Step: step, Epoch: epoch, Features: eval.Features, Labels: eval.Labels, Centers: eval.Centers}
}

// snapshotName is the snapshot's file for a record, named like its PNG.
func snapshotName(step, stepsPerEpoch int) string {
	if step%stepsPerEpoch != 0 {
		return fmt.Sprintf("embedding_step_%06d.npz", step)
	}
	return fmt.Sprintf("embedding_%03d.npz", step/stepsPerEpoch)
}

// Write saves the snapshot to path as .npz, atomically.
func (s *Snapshot) Write(path string) error {
	if len(s.Features) != len(s.Labels) || len(s.Centers) == 0 {
		return errors.Errorf("snapshot %s: %d features, %d labels, %d centers", path, len(s.Features), len(s.Labels), len(s.Centers))
	}
	dim := len(s.Centers[0])
	features, err := flatRows(s.Features, dim)
	if err != nil {
		return errors.Wrapf(err, "snapshot %s: features", path)
	}
	centers, err := flatRows(s.Centers, dim)
	if err != nil {
		return errors.Wrapf(err, "snapshot %s: centers", path)
	}
	labels := make([]uint8, len(s.Labels))
	for i, l := range s.Labels {
		if l < 0 || l >= len(s.Centers) || l > 255 {
			return errors.Errorf("snapshot %s: label %d of feature %d is not a class of %d", path, l, i, len(s.Centers))
		}
		labels[i] = uint8(l)
	}
	data, err := npy.NPZ([]npy.Named{
		{Name: "features", Array: npy.Array{Shape: []int{len(s.Features), dim}, Data: features}},
		{Name: "labels", Array: npy.Array{Shape: []int{len(labels)}, Data: labels}},
		{Name: "centers", Array: npy.Array{Shape: []int{len(s.Centers), dim}, Data: centers}},
		{Name: "step", Array: npy.Array{Shape: []int{}, Data: []int64{int64(s.Step)}}},
		{Name: "epoch", Array: npy.Array{Shape: []int{}, Data: []float64{s.Epoch}}},
	})
	if err != nil {
		return errors.Wrapf(err, "snapshot %s", path)
	}
	return errors.Wrapf(atomicfile.Write(path, data, 0o644), "snapshot %s", path)
}

// ReadSnapshot reads a snapshot written by Write (or any .npz with the same arrays), and checks that its parts
// agree: one label per feature, each a class with a center, one dimension throughout.
func ReadSnapshot(path string) (*Snapshot, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, errors.Wrapf(err, "snapshot %s", path)
	}
	arrays, err := npy.ReadNPZ(raw)
	if err != nil {
		return nil, errors.Wrapf(err, "snapshot %s", path)
	}
	bad := func(format string, args ...any) error {
		return errors.Errorf("snapshot %s: "+format, append([]any{path}, args...)...)
	}
	features, okF := arrays["features"].Data.([]float32)
	labels, okL := arrays["labels"].Data.([]uint8)
	centers, okC := arrays["centers"].Data.([]float32)
	step, okS := arrays["step"].Data.([]int64)
	epoch, okE := arrays["epoch"].Data.([]float64)
	if !okF || !okL || !okC || !okS || !okE || len(step) != 1 || len(epoch) != 1 {
		return nil, bad("want arrays features and centers (float32), labels (uint8), step (int64) and epoch (float64)")
	}
	fShape, cShape := arrays["features"].Shape, arrays["centers"].Shape
	if len(fShape) != 2 || len(cShape) != 2 || fShape[1] != cShape[1] || fShape[1] == 0 || cShape[0] == 0 ||
		fShape[0] != len(labels) {
		return nil, bad("shapes disagree: features %v, labels [%d], centers %v", fShape, len(labels), cShape)
	}
	s := &Snapshot{Step: int(step[0]), Epoch: epoch[0], Labels: make([]int, len(labels)),
		Features: rows(features, fShape[1]), Centers: rows(centers, cShape[1])}
	for i, l := range labels {
		if int(l) >= cShape[0] {
			return nil, bad("label %d of feature %d is not one of the %d classes", l, i, cShape[0])
		}
		s.Labels[i] = int(l)
	}
	return s, nil
}

// flatRows concatenates rows of width dim.
func flatRows(rows [][]float32, dim int) ([]float32, error) {
	flat := make([]float32, 0, len(rows)*dim)
	for i, r := range rows {
		if len(r) != dim {
			return nil, errors.Errorf("row %d has %d values, want %d", i, len(r), dim)
		}
		flat = append(flat, r...)
	}
	return flat, nil
}

// rows cuts flat into rows of width dim, sharing its memory.
func rows(flat []float32, dim int) [][]float32 {
	out := make([][]float32, len(flat)/dim)
	for i := range out {
		out[i] = flat[i*dim : (i+1)*dim : (i+1)*dim]
	}
	return out
}
