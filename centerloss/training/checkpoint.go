package training

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gomlx/gomlx/ml/model/checkpoint"
	"github.com/pkg/errors"
)

// Crash-safe checkpoints on top of GoMLX's checkpoint.Handler.
//
// GoMLX (v0.28 as v0.26) saves a checkpoint in place: it creates NAME.bin and an empty NAME.json, writes the variables into the
// .bin, then the metadata into the .json, and syncs neither. A process killed during a save (kill -9, a crash, a
// kernel restart in a notebook) leaves a NAME.json that is empty or cut short, which GoMLX then lists as the newest
// checkpoint and fails to load. A save never touches the earlier checkpoints (Keep(n) deletes the oldest only after
// the new one is written), so a crash can only ever break the newest one. Hence:
//   - before loading, SetAsideIncomplete moves every checkpoint whose files do not verify into IncompleteDir, so that
//     GoMLX loads the last complete one;
//   - after saving, syncCheckpoint flushes the new files and the folder to disk, so that a complete checkpoint stays
//     complete across a power cut, before the next save may delete an older one.

// IncompleteDir is the sub-folder of a checkpoint folder where incomplete checkpoints are set aside (never deleted).
const IncompleteDir = "incomplete"

const (
	checkpointPrefix = "checkpoint-"
	binMagic         = "gomlx_checkpointss" // the header of GoMLX's .bin files (sic), followed by a length and "gzip"
)

// SetAsideIncomplete verifies every checkpoint in dir (its .json parses and its .bin holds exactly the bytes the
// .json describes) and moves the files of each one that does not, or of a .bin without its .json, into
// dir/incomplete. It returns one line per checkpoint set aside, saying why. A missing dir is not an error.
func SetAsideIncomplete(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, errors.Wrapf(err, "checkpoint folder %s", dir)
	}
	bases := map[string]bool{} // every checkpoint named by a .json or a .bin
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasPrefix(name, checkpointPrefix) {
			continue
		}
		for _, suffix := range []string{checkpoint.JsonNameSuffix, checkpoint.BinDataSuffix} {
			if base, ok := strings.CutSuffix(name, suffix); ok {
				bases[base] = true
			}
		}
	}
	var notes []string
	for _, base := range slices.Sorted(maps.Keys(bases)) {
		fault := verifyCheckpoint(dir, base)
		if fault == nil {
			continue
		}
		if err := setAside(dir, base); err != nil {
			return notes, err
		}
		notes = append(notes, fmt.Sprintf("%s was incomplete (%v): set aside in %s", base, fault,
			filepath.Join(dir, IncompleteDir)))
	}
	return notes, nil
}

// serializedCheckpoint is the part of GoMLX's checkpoint .json that says where each variable lies in the .bin.
type serializedCheckpoint struct {
	Variables []struct {
		ParameterName string
		Pos, Length   int
	}
}

// verifyCheckpoint returns why the checkpoint base in dir cannot be loaded whole, or nil.
func verifyCheckpoint(dir, base string) error {
	raw, err := os.ReadFile(filepath.Join(dir, base+checkpoint.JsonNameSuffix))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return errors.New("no .json")
		}
		return err
	}
	var meta serializedCheckpoint
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&meta); err != nil {
		return errors.Wrap(err, ".json cut short or corrupt")
	}
	if len(meta.Variables) == 0 {
		return errors.New(".json lists no variables")
	}
	want := 0
	for _, v := range meta.Variables {
		want = max(want, v.Pos+v.Length)
	}
	got, err := binPayloadSize(filepath.Join(dir, base+checkpoint.BinDataSuffix))
	if err != nil {
		return err
	}
	if got != int64(want) {
		return errors.Errorf(".bin holds %d bytes of variables, the .json describes %d", got, want)
	}
	return nil
}

// binPayloadSize counts the bytes of variables in a GoMLX .bin file: raw, or gzip after GoMLX's header (reading the
// gzip stream to its end also checks its CRC).
func binPayloadSize(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return 0, errors.New("no .bin")
		}
		return 0, err
	}
	defer f.Close()
	r := bufio.NewReader(f)
	head, _ := r.Peek(len(binMagic) + 1)
	if !bytes.HasPrefix(head, []byte(binMagic)) {
		return io.Copy(io.Discard, r) // the uncompressed format has no header
	}
	format := make([]byte, int(head[len(binMagic)]))
	if _, err := r.Discard(len(head)); err != nil {
		return 0, errors.New(".bin header cut short")
	}
	if _, err := io.ReadFull(r, format); err != nil || string(format) != "gzip" {
		return 0, errors.New(".bin header cut short or unknown compression")
	}
	zr, err := gzip.NewReader(r)
	if err != nil {
		return 0, errors.Wrap(err, ".bin gzip stream")
	}
	n, err := io.Copy(io.Discard, zr)
	if err != nil {
		return n, errors.Wrap(err, ".bin gzip stream cut short or corrupt")
	}
	return n, nil
}

// setAside moves the files of checkpoint base into dir/incomplete, under a new name if an earlier one is there.
func setAside(dir, base string) error {
	aside := filepath.Join(dir, IncompleteDir)
	if err := os.MkdirAll(aside, 0o755); err != nil {
		return errors.Wrapf(err, "checkpoint folder %s", dir)
	}
	target := base
	for i := 1; fileExists(filepath.Join(aside, target+checkpoint.JsonNameSuffix)) ||
		fileExists(filepath.Join(aside, target+checkpoint.BinDataSuffix)); i++ {
		target = fmt.Sprintf("%s.%d", base, i)
	}
	for _, suffix := range []string{checkpoint.JsonNameSuffix, checkpoint.BinDataSuffix} {
		err := os.Rename(filepath.Join(dir, base+suffix), filepath.Join(aside, target+suffix))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return errors.Wrapf(err, "setting aside incomplete checkpoint %s", base)
		}
	}
	return nil
}

// syncCheckpoint flushes the newest checkpoint's files and the folder's entries to disk.
func syncCheckpoint(h *checkpoint.Handler) error {
	list, err := h.ListCheckpoints()
	if err != nil || len(list) == 0 {
		return err
	}
	newest := list[len(list)-1]
	for _, path := range []string{
		filepath.Join(h.Dir(), newest+checkpoint.BinDataSuffix),
		filepath.Join(h.Dir(), newest+checkpoint.JsonNameSuffix),
		h.Dir(),
	} {
		if err := syncPath(path); err != nil {
			return errors.Wrapf(err, "syncing checkpoint %s", path)
		}
	}
	return nil
}

func syncPath(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	err = f.Sync()
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	return err
}

func fileExists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}
