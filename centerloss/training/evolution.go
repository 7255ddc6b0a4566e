package training

import (
	"path/filepath"

	"github.com/centerloss/centerloss/centerloss/evaluation"
	"github.com/centerloss/centerloss/centerloss/plots"
	"github.com/pkg/errors"
)

// EvolutionFileName is the animated GIF of the embedding through training that Run writes in its output folder.
const EvolutionFileName = "evolution.gif"

// EvolutionSize is the side, in pixels, of the GIF's frames: smaller than the PNGs', since a GIF holds them all.
const EvolutionSize = 600

// EvolutionFrames reads the snapshots that the records of outDir/metrics.jsonl name, in the records' order, as
// scatter plots titled like the records' PNGs. Following the records, not the files in the folder, leaves out
// the snapshots of a run killed before its checkpoint (whose records DropRecordsAfter removed).
func EvolutionFrames(outDir string) ([]plots.Embedding, error) {
	records, err := ReadRecords(filepath.Join(outDir, MetricsFileName))
	if err != nil {
		return nil, err
	}
	var frames []plots.Embedding
	for _, r := range records {
		if r.Snapshot == "" {
			continue
		}
		snap, err := ReadSnapshot(filepath.Join(outDir, r.Snapshot))
		if err != nil {
			return nil, err
		}
		if len(snap.Centers[0]) != 2 {
			return nil, errors.Errorf("snapshot %s: the embedding is %d-D, only 2-D ones are drawn", r.Snapshot, len(snap.Centers[0]))
		}
		eval := &evaluation.Evaluation{Features: snap.Features, Labels: snap.Labels, Centers: snap.Centers}
		frames = append(frames, *evaluation.EmbeddingPlot(eval, recordTitle(&r)))
	}
	return frames, nil
}

// WriteEvolutionGIF draws the snapshots of the run in outDir, one frame each on axes fixed over all of them
// (plots.FrameLimits), into outDir/evolution.gif, replaced atomically.
func WriteEvolutionGIF(outDir string) error {
	frames, err := EvolutionFrames(outDir)
	if err != nil {
		return err
	}
	if len(frames) == 0 {
		return errors.Errorf("%s: no snapshots of a 2-D embedding to animate", outDir)
	}
	anim := &plots.Animation{Frames: frames, Width: EvolutionSize, Height: EvolutionSize}
	return anim.WriteGIF(filepath.Join(outDir, EvolutionFileName))
}
