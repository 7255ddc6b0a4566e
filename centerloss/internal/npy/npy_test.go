package npy

import (
	"bytes"
	"encoding/binary"
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	for _, a := range []Array{
		{Shape: []int{3, 2}, Data: []float32{1, 2, 3, 4, 5, float32(math.Inf(-1))}},
		{Shape: []int{4}, Data: []uint8{0, 9, 255, 7}},
		{Shape: []int{}, Data: []int64{-936}},
		{Shape: []int{}, Data: []float64{2.5}},
		{Shape: []int{0, 2}, Data: []float32{}},
		{Shape: []int{1, 1, 2}, Data: []float64{math.Pi, -1}},
	} {
		var buf bytes.Buffer
		if err := Encode(&buf, a); err != nil {
			t.Fatalf("%v: %v", a, err)
		}
		raw := buf.Bytes()
		headerLen := int(binary.LittleEndian.Uint16(raw[8:10]))
		if (10+headerLen)%64 != 0 || raw[10+headerLen-1] != '\n' || !bytes.HasPrefix(raw[10:], []byte("{'descr': ")) {
			t.Errorf("%v: header %q is not aligned to 64 bytes or not ended by a newline", a.Shape, raw[:10+headerLen])
		}
		got, err := Decode(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%v: %v", a.Shape, err)
		}
		if len(got.Shape) != len(a.Shape) || (len(a.Shape) > 0 && !reflect.DeepEqual(got.Shape, a.Shape)) ||
			!reflect.DeepEqual(got.Data, a.Data) {
			t.Errorf("wrote %v, read %v", a, got)
		}
	}
	var buf bytes.Buffer
	_ = Encode(&buf, Array{Shape: []int{2}, Data: []uint8{1, 2}})
	if !strings.Contains(buf.String(), "'shape': (2,)") {
		t.Errorf("a 1-D shape must be a Python 1-tuple: %q", buf.String())
	}
}

// numpyBytes builds a .npy file the way numpy.save (1.24 and later) does: the header dict in key order, spare
// spaces for the first axis to grow to 21 digits, padding to 64 bytes and a newline.
func numpyBytes(version byte, descr, shape string, firstAxis string, data []byte) []byte {
	header := "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shape + "), }" +
		strings.Repeat(" ", 21-len(firstAxis))
	sizeLen := 2
	if version > 1 {
		sizeLen = 4
	}
	hlen := len(header) + 1
	padlen := 64 - (6+2+sizeLen+hlen)%64
	out := []byte("\x93NUMPY")
	out = append(out, version, 0)
	if version == 1 {
		out = binary.LittleEndian.AppendUint16(out, uint16(hlen+padlen))
	} else {
		out = binary.LittleEndian.AppendUint32(out, uint32(hlen+padlen))
	}
	out = append(out, header+strings.Repeat(" ", padlen)+"\n"...)
	return append(out, data...)
}

func TestDecodesNumPysOwnFiles(t *testing.T) {
	data := binary.LittleEndian.AppendUint32(nil, math.Float32bits(1.5))
	data = binary.LittleEndian.AppendUint32(data, math.Float32bits(-2))
	for _, version := range []byte{1, 2} {
		got, err := Decode(bytes.NewReader(numpyBytes(version, "<f4", "1, 2", "1", data)))
		if err != nil || !reflect.DeepEqual(got.Shape, []int{1, 2}) || !reflect.DeepEqual(got.Data, []float32{1.5, -2}) {
			t.Errorf("version %d: %+v, %v", version, got, err)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	two := []byte{1, 2}
	for _, c := range []struct {
		name string
		raw  []byte
		says string
	}{
		{"empty", nil, "no \\x93NUMPY magic"},
		{"not npy", []byte("PK\x03\x04 a zip"), "no \\x93NUMPY magic"},
		{"version", append([]byte("\x93NUMPY\x07\x00"), 0, 0), "unknown format version 7.0"},
		{"short header", append([]byte("\x93NUMPY\x01\x00"), 100, 0, '{'), "truncated header"},
		{"dtype", numpyBytes(1, "<c8", "1,", "1", two), "unsupported dtype \"<c8\""},
		{"short data", numpyBytes(1, "|u1", "3,", "3", two), "shorter than shape [3]"},
		{"long data", numpyBytes(1, "|u1", "1,", "1", two), "bytes after the data"},
		{"shape", numpyBytes(1, "|u1", "a,", "a", two), "bad shape"},
		{"huge", numpyBytes(1, "|u1", "99999999999, 99999", "99999999999", two), "too large"},
		{"fortran", []byte(strings.Replace(string(numpyBytes(1, "|u1", "2,", "2", two)), "False", "True ", 1)), "Fortran"},
	} {
		_, err := Decode(bytes.NewReader(c.raw))
		if err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %v, want an error saying %q", c.name, err, c.says)
		}
	}
}

func TestEncodeErrors(t *testing.T) {
	if err := Encode(&bytes.Buffer{}, Array{Shape: []int{3}, Data: []float32{1}}); err == nil {
		t.Error("shape [3] with one element: no error")
	}
	if err := Encode(&bytes.Buffer{}, Array{Shape: []int{1}, Data: []int{1}}); err == nil {
		t.Error("[]int: no error")
	}
}
