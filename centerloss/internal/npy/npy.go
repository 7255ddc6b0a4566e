// Package npy writes and reads NumPy's .npy arrays and .npz archives, so that what training saves opens in
// Python with a bare numpy.load and in Go with no dependency. Only what the snapshots need: C order, and the
// dtypes float32, float64, int64 (little-endian) and uint8.
//
// The format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
package npy

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// Array is an n-dimensional array in C (row-major) order. Data is a []float32, []float64, []int64 or []uint8 of
// as many elements as the product of Shape (1 for a scalar, whose Shape is empty).
type Array struct {
	Shape []int
	Data  any
}

const magic = "\x93NUMPY"

// maxElements bounds what a header may declare before anything is allocated (a corrupt file cannot ask for
// terabytes); snapshots hold tens of thousands.
const maxElements = 1 << 31

// descr returns NumPy's type string and the element size of a's data.
func descr(data any) (string, int, error) {
	switch data.(type) {
	case []float32:
		return "<f4", 4, nil
	case []float64:
		return "<f8", 8, nil
	case []int64:
		return "<i8", 8, nil
	case []uint8:
		return "|u1", 1, nil
	}
	return "", 0, fmt.Errorf("npy: unsupported data type %T", data)
}

func count(shape []int) (int, error) {
	n := 1
	for _, d := range shape {
		if d < 0 || (d > 0 && n > maxElements/d) {
			return 0, fmt.Errorf("npy: shape %v is negative or too large", shape)
		}
		n *= d
	}
	return n, nil
}

// Encode writes a as a version 1.0 .npy file, its header padded so that the data start on a 64-byte boundary, as
// NumPy writes them.
func Encode(w io.Writer, a Array) error {
	kind, _, err := descr(a.Data)
	if err != nil {
		return err
	}
	n, err := count(a.Shape)
	if err != nil {
		return err
	}
	if got := dataLen(a.Data); got != n {
		return fmt.Errorf("npy: shape %v holds %d elements, data has %d", a.Shape, n, got)
	}
	dims := make([]string, len(a.Shape))
	for i, d := range a.Shape {
		dims[i] = strconv.Itoa(d)
	}
	shape := strings.Join(dims, ", ")
	if len(a.Shape) == 1 {
		shape += "," // a Python 1-tuple
	}
	header := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", kind, shape)
	total := len(magic) + 2 + 2 + len(header) + 1 // magic, version, header length, header, '\n'
	header += strings.Repeat(" ", (64-total%64)%64) + "\n"
	var buf bytes.Buffer
	buf.WriteString(magic)
	buf.Write([]byte{1, 0})
	_ = binary.Write(&buf, binary.LittleEndian, uint16(len(header)))
	buf.WriteString(header)
	_ = binary.Write(&buf, binary.LittleEndian, a.Data) // the slice types above all have a fixed size
	_, err = w.Write(buf.Bytes())
	return err
}

func dataLen(data any) int {
	switch d := data.(type) {
	case []float32:
		return len(d)
	case []float64:
		return len(d)
	case []int64:
		return len(d)
	case []uint8:
		return len(d)
	}
	return -1
}

var (
	descrRE   = regexp.MustCompile(`'descr':\s*'([^']*)'`)
	fortranRE = regexp.MustCompile(`'fortran_order':\s*(True|False)`)
	shapeRE   = regexp.MustCompile(`'shape':\s*\(([^)]*)\)`)
)

// Decode reads one .npy array (versions 1.0 to 3.0, as NumPy writes them) of a supported dtype, in C order, and
// checks that r holds exactly the data the header declares.
func Decode(r io.Reader) (Array, error) {
	head := make([]byte, len(magic)+2)
	if _, err := io.ReadFull(r, head); err != nil || string(head[:len(magic)]) != magic {
		return Array{}, fmt.Errorf("npy: not a .npy array (no \\x93NUMPY magic)")
	}
	var headerLen int
	switch head[len(magic)] {
	case 1:
		var l uint16
		if err := binary.Read(r, binary.LittleEndian, &l); err != nil {
			return Array{}, fmt.Errorf("npy: truncated header")
		}
		headerLen = int(l)
	case 2, 3:
		var l uint32
		if err := binary.Read(r, binary.LittleEndian, &l); err != nil || l > 1<<20 {
			return Array{}, fmt.Errorf("npy: truncated or oversized header")
		}
		headerLen = int(l)
	default:
		return Array{}, fmt.Errorf("npy: unknown format version %d.%d", head[len(magic)], head[len(magic)+1])
	}
	header := make([]byte, headerLen)
	if _, err := io.ReadFull(r, header); err != nil {
		return Array{}, fmt.Errorf("npy: truncated header")
	}
	kind, fortran, dims := descrRE.FindSubmatch(header), fortranRE.FindSubmatch(header), shapeRE.FindSubmatch(header)
	if kind == nil || fortran == nil || dims == nil {
		return Array{}, fmt.Errorf("npy: header %q lacks descr, fortran_order or shape", header)
	}
	if string(fortran[1]) != "False" {
		return Array{}, fmt.Errorf("npy: Fortran-ordered arrays are not supported")
	}
	var a Array
	for _, d := range strings.Split(string(dims[1]), ",") {
		if d = strings.TrimSpace(d); d == "" {
			continue
		}
		v, err := strconv.Atoi(d)
		if err != nil {
			return Array{}, fmt.Errorf("npy: bad shape (%s)", dims[1])
		}
		a.Shape = append(a.Shape, v)
	}
	n, err := count(a.Shape)
	if err != nil {
		return Array{}, err
	}
	switch string(kind[1]) {
	case "<f4":
		a.Data = make([]float32, n)
	case "<f8":
		a.Data = make([]float64, n)
	case "<i8":
		a.Data = make([]int64, n)
	case "|u1", "<u1":
		a.Data = make([]uint8, n)
	default:
		return Array{}, fmt.Errorf("npy: unsupported dtype %q", kind[1])
	}
	if err := binary.Read(r, binary.LittleEndian, a.Data); err != nil {
		return Array{}, fmt.Errorf("npy: the data are shorter than shape %v", a.Shape)
	}
	// Reading on to the end also lets a zip entry's reader check its CRC.
	if extra, err := io.Copy(io.Discard, io.LimitReader(r, 1)); err != nil || extra > 0 {
		return Array{}, fmt.Errorf("npy: bytes after the data of shape %v, or a damaged file (%v)", a.Shape, err)
	}
	return a, nil
}
