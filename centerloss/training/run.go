package training

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/evaluation"
	"github.com/centerloss/centerloss/centerloss/internal/atomicfile"
	"github.com/centerloss/centerloss/centerloss/language"
	"github.com/centerloss/centerloss/centerloss/metricloss"
	"github.com/pkg/errors"
)

// MetricsFileName is the JSON-lines file Run writes in its output folder, one Record per epoch.
const MetricsFileName = "metrics.jsonl"

// Run trains the session to the length its store asks for (TrainSteps steps if set, else Epochs
// epochs, counted from step 0, so a resumed run only does what is left) and, at the end of every epoch and at the
// end of the run: evaluates on the test split, appends a Record to outDir/metrics.jsonl, draws the test embedding
// to outDir/epoch_NNN.png (EmbeddingPicture: 2-D as it is, 3-D as three views, wider through PCA) and saves a
// checkpoint. log receives one line per record.
func Run(s *Session, outDir string, log io.Writer) (*Record, error) {
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, errors.Wrapf(err, "output folder %s", outDir)
	}
	target := TrainSteps.Get(s.scope)
	if target == 0 {
		target = Epochs.Get(s.scope) * s.StepsPerEpoch
	}
	// A run killed after writing an epoch's record but before saving its checkpoint resumes before that epoch, and
	// will write the record again: drop the early copy, so that metrics.jsonl matches an unbroken run.
	if _, err := DropRecordsAfter(filepath.Join(outDir, MetricsFileName), s.GlobalStep()); err != nil {
		return nil, err
	}
	start := time.Now()
	var last *Record
	for s.GlobalStep() < target {
		toEpochEnd := s.StepsPerEpoch - s.GlobalStep()%s.StepsPerEpoch
		if err := s.TrainSteps(min(toEpochEnd, target-s.GlobalStep())); err != nil {
			return last, err
		}
		// The record first, the checkpoint second: see DropRecordsAfter above.
		record, err := s.WriteRecord(outDir, time.Since(start))
		if err != nil {
			return last, err
		}
		if err := s.Save(); err != nil {
			return last, errors.WithMessage(err, "saving the checkpoint")
		}
		last = record
		_, _ = fmt.Fprintf(log, "epoch %.2f step %d: train loss %.4f (softmax %.4f, center %.3f), test accuracy %.2f%%, "+
			"mean distance to center %.3f, %.0fs\n", record.Epoch, record.Step, record.TrainLoss, record.SoftmaxLoss,
			record.CenterLoss, 100*record.TestAccuracy, record.MeanCenterDistance, record.Seconds)
		_, _ = fmt.Fprintf(log, "  embedding: %s\n", record.EmbeddingMetrics.Summary())
	}
	if last != nil && last.Snapshot != "" {
		if err := WriteEvolutionGIF(outDir); err != nil {
			return last, err
		}
	}
	return last, nil
}

// WriteRecord evaluates the model now, appends the Record to outDir/metrics.jsonl and draws the embedding.
func (s *Session) WriteRecord(outDir string, elapsed time.Duration) (*Record, error) {
	eval, err := s.Evaluate()
	if err != nil {
		return nil, err
	}
	return s.WriteRecordOf(eval, outDir, elapsed)
}

// WriteRecordOf is WriteRecord for eval, the caller's own evaluation of the model as it is now (s.Evaluate()), so
// that a caller which needs that evaluation too runs the test pass once.
func (s *Session) WriteRecordOf(eval *evaluation.Evaluation, outDir string, elapsed time.Duration) (*Record, error) {
	total, softmax, center := s.TakeLossMeans()
	r := &Record{
		Epoch: s.Epoch(), Step: s.GlobalStep(),
		TrainLoss: total, SoftmaxLoss: softmax, CenterLoss: center,
		TestAccuracy: eval.Accuracy, TestSoftmaxLoss: eval.SoftmaxLoss, TestCenterLoss: eval.CenterLoss,
		MeanCenterDistance: eval.MeanCenterDistance,
		Lambda:             metricloss.EffectiveLambda(s.scope),
		Alpha:              centerloss.Alpha.Get(s.scope),
		LearningRate:       s.LearningRate(),
		Backend:            s.Backend.Description(),
		Seconds:            elapsed.Seconds(),
		MedianStepMillis:   float64(s.MedianStepTime().Microseconds()) / 1000,
	}
	embedding, err := s.embedder.MeasureEmbedding(eval, s.trainSplit)
	if err != nil {
		return nil, err
	}
	r.EmbeddingMetrics = *embedding
	r.Loss, r.CenterUpdate, r.AccuracyBy = metricloss.Loss.Get(s.scope), centerloss.CenterUpdate.Get(s.scope), "softmax"
	if !metricloss.TrainsSoftmax(s.scope) {
		r.TestAccuracy, r.AccuracyBy = embedding.NearestMeanAccuracy, "nearest_center"
	}
	name := fmt.Sprintf("epoch_%03d.png", s.GlobalStep()/s.StepsPerEpoch)
	if s.GlobalStep()%s.StepsPerEpoch != 0 {
		name = fmt.Sprintf("step_%06d.png", s.GlobalStep())
	}
	// 2-D as in the paper; 3-D as three pairwise views, wider through PCA (EmbeddingPicture).
	if picture, err := evaluation.EmbeddingPicture(eval, recordTitle(r)); err != nil {
		return nil, errors.WithMessage(err, "drawing the embedding")
	} else if picture != nil {
		if err := atomicfile.Write(filepath.Join(outDir, name), picture, 0o644); err != nil {
			return nil, errors.Wrapf(err, "embedding picture %s", name)
		}
		r.Plot = name
	}
	if len(eval.Centers[0]) == 2 {
		// Snapshots only of 2-D embeddings, like the PNGs: they are the frames of the evolution's picture, and
		// wider features (64 kB more per record and dimension) would need a projection that moves between frames.
		r.Snapshot = snapshotName(r.Step, s.StepsPerEpoch)
		if err := SnapshotOf(eval, r.Step, r.Epoch).Write(filepath.Join(outDir, r.Snapshot)); err != nil {
			return nil, err
		}
	}
	return r, AppendRecord(filepath.Join(outDir, MetricsFileName), *r)
}

// recordTitle is the title of a record's picture of the embedding, short enough for a replay frame (560 pixels).
func recordTitle(r *Record) string {
	return language.InPicturef("epoch %g (step %d): λ=%g α=%g, test accuracy %.2f%%", r.Epoch, r.Step, r.Lambda,
		r.Alpha, 100*r.TestAccuracy)
}
