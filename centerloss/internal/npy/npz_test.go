package npy

import (
	"archive/zip"
	"bytes"
	"reflect"
	"strings"
	"testing"
)

func TestNPZRoundTrip(t *testing.T) {
	arrays := []Named{
		{"features", Array{Shape: []int{2, 2}, Data: []float32{1, 2, 3, 4}}},
		{"labels", Array{Shape: []int{2}, Data: []uint8{7, 3}}},
		{"step", Array{Shape: []int{}, Data: []int64{16}}},
	}
	raw, err := NPZ(arrays)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil || len(zr.File) != 3 || zr.File[0].Name != "features.npy" || zr.File[0].Method != zip.Deflate {
		t.Fatalf("not the zip numpy.load expects: %v", err)
	}
	got, err := ReadNPZ(raw)
	if err != nil || len(got) != 3 {
		t.Fatalf("%v, %v", got, err)
	}
	for _, a := range arrays {
		if g := got[a.Name]; !reflect.DeepEqual(g.Data, a.Data) || len(g.Shape) != len(a.Shape) {
			t.Errorf("%s: wrote %v, read %v", a.Name, a.Array, g)
		}
	}
	if _, err := NPZ([]Named{{"a/b", arrays[0].Array}}); err == nil {
		t.Error("a name with a slash: no error")
	}
	if _, err := ReadNPZ([]byte("not a zip")); err == nil || !strings.Contains(err.Error(), "not an .npz") {
		t.Errorf("not a zip: %v", err)
	}
}
