// Package data reads the MNIST data set from IDX files.
//
// The reader is strict: a file that is not exactly what its header declares is an error, never a
// silently short or padded data set, and every error is one line naming the file and the fault.
package data

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"slices"
	"strings"
)

// IDX magic numbers: two zero bytes, the data type (0x08 = unsigned byte), the number of dimensions.
const (
	imagesMagic = 0x00000803
	labelsMagic = 0x00000801
	ubyteType   = 0x08
)

// Sanity limits, checked before anything is allocated, so a corrupt header cannot ask for terabytes.
const (
	maxSide  = 4096        // rows or cols of one image
	maxCount = 100_000_000 // images or labels in one file
	// gzipPrealloc caps what is allocated up front for a gzip file, whose uncompressed size cannot be
	// checked before reading: past it, the buffer grows only as the stream really delivers data.
	// It holds the 47 MB of MNIST's training images in one allocation.
	gzipPrealloc = 64 << 20
	// maxDeflateRatio bounds what deflate can expand to (1032:1 at best, rounded up), so that a small
	// gzip file with a lying header gets a buffer the size of what it could possibly hold, not 64 MB.
	maxDeflateRatio = 1040
)

// Images holds N grey images of Rows x Cols pixels, values 0..255, row-major, N*Rows*Cols bytes.
type Images struct {
	N, Rows, Cols int
	Pixels        []byte
}

// ReadImages reads an IDX3 images file (.gz or raw).
func ReadImages(path string) (*Images, error) {
	dims, pixels, err := readIDX(path, imagesMagic)
	if err != nil {
		return nil, err
	}
	return &Images{N: dims[0], Rows: dims[1], Cols: dims[2], Pixels: pixels}, nil
}

// ReadLabels reads an IDX1 labels file and checks every label is < numClasses.
func ReadLabels(path string, numClasses int) ([]uint8, error) {
	if numClasses < 1 || numClasses > 256 {
		return nil, fmt.Errorf("data: %s: numClasses %d out of range 1..256 for byte labels", path, numClasses)
	}
	_, labels, err := readIDX(path, labelsMagic)
	if err != nil {
		return nil, err
	}
	for i, l := range labels {
		if int(l) >= numClasses {
			return nil, fmt.Errorf("data: %s: label at index %d is %d, want < %d classes", path, i, l, numClasses)
		}
	}
	return labels, nil
}

// describe names what a magic number stands for, so errors say what was expected in words.
func describe(magic uint32) string {
	if magic == imagesMagic {
		return "IDX3 unsigned-byte images"
	}
	return "IDX1 unsigned-byte labels"
}

// idxFile is an open IDX file, raw or decompressed, with what has been read of it so far.
type idxFile struct {
	path string
	r    io.Reader
	gz   bool
	size int64 // of the IDX content: the file size if raw, unknown (-1) for gzip
	disk int64 // of the file on disk
	read int64 // bytes of IDX consumed, for truncation messages
}

// readIDX reads the file at path, which must carry magic, and returns its dimensions and data.
func readIDX(path string, magic uint32) ([]int, []byte, error) {
	f, err := os.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is already in our prefix
		}
		return nil, nil, fmt.Errorf("data: %s: %w", path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("data: %s: %v", path, err)
	}
	if info.IsDir() {
		return nil, nil, fmt.Errorf("data: %s: is a directory, not an IDX file", path)
	}
	if !info.Mode().IsRegular() {
		return nil, nil, fmt.Errorf("data: %s: not a regular file", path)
	}

	// Compression is told by content, not by name: a raw file called .gz still reads.
	br := bufio.NewReader(f)
	x := &idxFile{path: path, r: br, size: info.Size(), disk: info.Size()}
	if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, x.fail("corrupt gzip stream: %v", err)
		}
		x.r, x.gz, x.size = gzipErrors{zr}, true, -1
	}

	dims, err := x.header(magic)
	if err != nil {
		return nil, nil, err
	}
	data, err := x.payload(dims)
	if err != nil {
		return nil, nil, err
	}
	return dims, data, nil
}

// header reads and checks the magic number and the dimensions.
func (x *idxFile) header(magic uint32) ([]int, error) {
	var m [4]byte
	if err := x.readFull(m[:], 4); err != nil {
		return nil, err
	}
	if got := binary.BigEndian.Uint32(m[:]); got != magic {
		var why string
		switch {
		case m[0] != 0 || m[1] != 0:
			why = "not an IDX file"
		case m[2] != ubyteType:
			why = fmt.Sprintf("data type 0x%02x, want 0x%02x (unsigned byte)", m[2], ubyteType)
		default:
			why = fmt.Sprintf("%d dimensions, want %d", m[3], magic&0xff)
		}
		return nil, x.fail("wrong magic number 0x%08x, want 0x%08x (%s): %s", got, magic, describe(magic), why)
	}

	raw := make([]byte, 4*(magic&0xff))
	if err := x.readFull(raw, int64(4+len(raw))); err != nil {
		return nil, err
	}
	dims := make([]int, len(raw)/4)
	shape := make([]string, len(dims))
	for i := range dims {
		d := binary.BigEndian.Uint32(raw[4*i:])
		dims[i], shape[i] = int(d), fmt.Sprint(d)
	}
	s := strings.Join(shape, "x")
	if slices.Contains(dims, 0) {
		return nil, x.fail("zero-size dimension in %s", s)
	}
	if dims[0] > maxCount {
		return nil, x.fail("absurd dimensions %s: count %d exceeds %d", s, dims[0], maxCount)
	}
	for _, side := range dims[1:] {
		if side > maxSide {
			return nil, x.fail("absurd dimensions %s: rows and cols must be at most %d", s, maxSide)
		}
	}
	// With the limits above this only trips where int is 32 bits, but it is what keeps make() safe.
	n := uint64(1)
	for _, d := range dims {
		n *= uint64(d)
	}
	if n > math.MaxInt-uint64(x.read) {
		return nil, x.fail("absurd dimensions %s: %d bytes overflow int", s, n)
	}
	return dims, nil
}

// payload reads the N*rows*cols bytes the header declared, and checks nothing follows them.
func (x *idxFile) payload(dims []int) ([]byte, error) {
	n := 1
	for _, d := range dims {
		n *= d
	}
	want := x.read + int64(n)
	// At least 1, so that the loop below always makes progress.
	prealloc := max(1, min(int64(n), gzipPrealloc, maxDeflateRatio*x.disk))
	if !x.gz {
		// A raw file's size is known: check it before allocating, then allocate exactly.
		if x.size < want {
			return nil, x.fail("truncated: expected %d bytes, found %d", want, x.size)
		}
		if x.size > want {
			return nil, x.fail("%d trailing bytes: file has %d bytes, header declares %d", x.size-want, x.size, want)
		}
		prealloc = int64(n)
	}

	buf := make([]byte, prealloc)
	got := 0
	for {
		m, err := io.ReadFull(x.r, buf[got:])
		got += m
		x.read += int64(m)
		if err != nil {
			return nil, x.readErr(err, want)
		}
		if got == n {
			break
		}
		// The stream really held len(buf) bytes, so doubling costs at most what it proved; never past n.
		buf = slices.Grow(buf, min(n-got, got))[:got+min(n-got, got)]
	}

	// Reading to EOF also makes gzip verify its checksum.
	var one [1]byte
	if m, err := io.ReadFull(x.r, one[:]); m > 0 {
		return nil, x.fail("trailing bytes after the %d bytes the header declares%s", want, x.unit())
	} else if err != io.EOF {
		return nil, x.readErr(err, want)
	}
	return buf, nil
}

// readFull reads len(p) bytes of header, of which the whole header so far should make want.
func (x *idxFile) readFull(p []byte, want int64) error {
	m, err := io.ReadFull(x.r, p)
	x.read += int64(m)
	if err != nil {
		return x.readErr(err, want)
	}
	return nil
}

// readErr turns a failed read into the fault it means: a broken gzip stream, or a file that ends
// before want bytes of IDX.
func (x *idxFile) readErr(err error, want int64) error {
	var ge gzipError
	switch {
	case errors.As(err, &ge):
		return x.fail("corrupt gzip stream: %v", ge.err)
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return x.fail("truncated: expected %d bytes, found %d%s", want, x.read, x.unit())
	default:
		return x.fail("read error: %v", err)
	}
}

// unit qualifies byte counts of a gzip file, which are of its uncompressed content.
func (x *idxFile) unit() string {
	if x.gz {
		return " (uncompressed)"
	}
	return ""
}

func (x *idxFile) fail(format string, args ...any) error {
	return fmt.Errorf("data: %s: %s", x.path, fmt.Sprintf(format, args...))
}

// gzipErrors tags the errors of the decompressor, so that a cut-off compressed stream
// (io.ErrUnexpectedEOF from gzip) is not mistaken for a well-formed but short IDX file
// (io.ErrUnexpectedEOF from io.ReadFull).
type gzipErrors struct{ r *gzip.Reader }

type gzipError struct{ err error }

func (e gzipError) Error() string { return e.err.Error() }

func (g gzipErrors) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	if err != nil && err != io.EOF {
		err = gzipError{err}
	}
	return n, err
}
