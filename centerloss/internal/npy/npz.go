package npy

import (
	"archive/zip"
	"bytes"
	"fmt"
	"path"
	"strings"
)

// Named is an array with the name it has in an .npz archive (numpy.load(...)["features"]).
type Named struct {
	Name string
	Array
}

// NPZ encodes arrays as an .npz archive: a zip holding name.npy for each, deflated like numpy.savez_compressed
// writes them, in the order given.
func NPZ(arrays []Named) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, a := range arrays {
		if a.Name == "" || strings.ContainsAny(a.Name, "/\\") {
			return nil, fmt.Errorf("npy: bad array name %q", a.Name)
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: a.Name + ".npy", Method: zip.Deflate})
		if err != nil {
			return nil, err
		}
		if err := Encode(w, a.Array); err != nil {
			return nil, fmt.Errorf("%w (array %s)", err, a.Name)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ReadNPZ decodes the .npy arrays of an .npz archive, by name (without ".npy"). Other files are ignored.
func ReadNPZ(data []byte) (map[string]Array, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("npy: not an .npz archive: %w", err)
	}
	arrays := map[string]Array{}
	for _, f := range zr.File {
		name, isNPY := strings.CutSuffix(path.Base(f.Name), ".npy")
		if !isNPY {
			continue
		}
		r, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("npy: %s: %w", f.Name, err)
		}
		a, err := Decode(r)
		_ = r.Close()
		if err != nil {
			return nil, fmt.Errorf("%w (in %s)", err, f.Name)
		}
		arrays[name] = a
	}
	return arrays, nil
}
