package notebook

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/centerloss/centerloss/centerloss/evaluation"
	"github.com/centerloss/centerloss/centerloss/language"
	"github.com/centerloss/centerloss/centerloss/plots"
	"github.com/centerloss/centerloss/centerloss/training"
	"github.com/janpfeifer/gonb/gonbui"
)

// ReplaySize is the side, in pixels, of the replayed pictures (TrainLive's live picture's size).
const ReplaySize = 560

// ReplayEvolution redraws the embedding of the run in runDir (a training.Run output folder: metrics.jsonl and
// its snapshots) in place, snapshot after snapshot, pause apart, on axes fixed over all of them, so that what
// moves is the embedding and not the frame. The last snapshot stays in the output.
func ReplayEvolution(runDir string, pause time.Duration) error {
	frames, err := training.EvolutionFrames(runDir)
	if err != nil {
		return err
	}
	if len(frames) == 0 {
		return fmt.Errorf("notebook: %s has no snapshots to replay", runDir)
	}
	id := gonbui.UniqueId()
	return replay(frames, pause, func(html string) { gonbui.UpdateHTML(id, html) })
}

// Replay redraws in place the test embeddings TrainLive saw at its redraws, on fixed axes (see ReplayEvolution).
func (h *History) Replay(pause time.Duration) error {
	if len(h.Snapshots) == 0 {
		return fmt.Errorf("notebook: nothing to replay: the history has no snapshots")
	}
	frames := make([]plots.Embedding, len(h.Snapshots))
	for i, snap := range h.Snapshots {
		eval := &evaluation.Evaluation{Features: snap.Features, Labels: snap.Labels, Centers: snap.Centers}
		title := language.InPicturef("step %d: test features, accuracy %.2f%%", snap.Step, 100*h.TestAccuracy[i])
		frames[i] = *evaluation.EmbeddingPlot(eval, title)
	}
	id := gonbui.UniqueId()
	return replay(frames, pause, func(html string) { gonbui.UpdateHTML(id, html) })
}

// replay shows each frame on the shared axes through show (which replaces the previous one), pause apart.
func replay(frames []plots.Embedding, pause time.Duration, show func(html string)) error {
	for i, frame := range onFixedAxes(frames) {
		start := time.Now()
		png, err := frame.PNG(ReplaySize, ReplaySize)
		if err != nil {
			return err
		}
		if i > 0 {
			time.Sleep(pause - time.Since(start)) // the drawing counts towards the pause
		}
		show(imgTag(png, ReplaySize))
	}
	return nil
}

// onFixedAxes returns copies of frames that all have the axes plots.FrameLimits computes over them.
func onFixedAxes(frames []plots.Embedding) []plots.Embedding {
	limits := plots.FrameLimits(frames)
	fixed := append([]plots.Embedding(nil), frames...)
	for i := range fixed {
		fixed[i].Limits = &limits
	}
	return fixed
}

// ShowEvolutionGIF displays runDir/evolution.gif, drawing it first when the run has not (a run still going, or
// one from before the GIF existed).
func ShowEvolutionGIF(runDir string) error {
	path := filepath.Join(runDir, training.EvolutionFileName)
	if _, err := os.Stat(path); err != nil {
		if err := training.WriteEvolutionGIF(runDir); err != nil {
			return err
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	showHTML(gifTag(data, training.EvolutionSize))
	return nil
}

// gifTag is an HTML <img> holding a GIF (the notebook's front-end plays it).
func gifTag(data []byte, widthPx int) string {
	return fmt.Sprintf(`<img width="%d" src="data:image/gif;base64,%s">`, widthPx, base64.StdEncoding.EncodeToString(data))
}
