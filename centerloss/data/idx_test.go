package data

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// idxBytes builds an IDX file by hand: the magic number, one big-endian uint32 per dimension, data.
func idxBytes(magic uint32, dims []uint32, data []byte) []byte {
	var b bytes.Buffer
	_ = binary.Write(&b, binary.BigEndian, magic)
	_ = binary.Write(&b, binary.BigEndian, dims)
	b.Write(data)
	return b.Bytes()
}

func gzipBytes(t testing.TB, raw []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, err := w.Write(raw)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return b.Bytes()
}

// writeFile writes content to name in dir, gzipped if gz, and returns its path.
func writeFile(t *testing.T, dir, name string, content []byte, gz bool) string {
	t.Helper()
	if gz {
		content = gzipBytes(t, content)
	}
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, content, 0o644))
	return path
}

// sequence returns n bytes 0, 7, 14, ... (wrapping at 256), so misplaced or swapped bytes show.
func sequence(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i * 7)
	}
	return b
}

func TestReadImagesGood(t *testing.T) {
	pixels := sequence(3 * 2 * 4)
	raw := idxBytes(imagesMagic, []uint32{3, 2, 4}, pixels)
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		gz   bool
	}{
		{"raw", false},
		{"images.gz", true},
		{"raw-named.gz", false}, // the suffix does not decide: content does
		{"gzip-without-suffix", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img, err := ReadImages(writeFile(t, dir, tc.name, raw, tc.gz))
			require.NoError(t, err)
			require.Equal(t, &Images{N: 3, Rows: 2, Cols: 4, Pixels: pixels}, img)
		})
	}
}

func TestReadLabelsGood(t *testing.T) {
	labels := []byte{5, 0, 4, 1, 9, 2}
	raw := idxBytes(labelsMagic, []uint32{6}, labels)
	dir := t.TempDir()
	for _, gz := range []bool{false, true} {
		got, err := ReadLabels(writeFile(t, dir, "labels", raw, gz), 10)
		require.NoError(t, err)
		require.Equal(t, labels, got)
	}
}

func TestReadImagesFaults(t *testing.T) {
	good := idxBytes(imagesMagic, []uint32{2, 3, 3}, sequence(18))
	goodGz := gzipBytes(t, good)
	corruptCRC := bytes.Clone(goodGz)
	corruptCRC[len(corruptCRC)-8] ^= 0xff // the CRC-32 trailer
	for _, tc := range []struct {
		name    string
		content []byte
		gz      bool
		fault   string
	}{
		{"empty", nil, false, "truncated: expected 4 bytes, found 0"},
		{"short magic", []byte{0, 0, 8}, false, "truncated: expected 4 bytes, found 3"},
		{"short dims", good[:10], false, "truncated: expected 16 bytes, found 10"},
		{"short data", good[:len(good)-1], false, "truncated: expected 34 bytes, found 33"},
		{"short data gz", good[:len(good)-1], true, "truncated: expected 34 bytes, found 33 (uncompressed)"},
		{"trailing", append(bytes.Clone(good), 1, 2), false, "2 trailing bytes: file has 36 bytes, header declares 34"},
		{"trailing gz", append(bytes.Clone(good), 1), true, "trailing bytes after the 34 bytes the header declares (uncompressed)"},
		{"labels file", idxBytes(labelsMagic, []uint32{2}, []byte{1, 2}), false,
			"wrong magic number 0x00000801, want 0x00000803 (IDX3 unsigned-byte images): 1 dimensions, want 3"},
		{"not idx", []byte("P5\n28 28\n255\n"), false, "wrong magic number 0x50350a32, want 0x00000803 (IDX3 unsigned-byte images): not an IDX file"},
		{"float type", idxBytes(0x00000d03, []uint32{2, 3, 3}, nil), false, "data type 0x0d, want 0x08 (unsigned byte)"},
		{"zero count", idxBytes(imagesMagic, []uint32{0, 3, 3}, nil), false, "zero-size dimension in 0x3x3"},
		{"zero cols", idxBytes(imagesMagic, []uint32{2, 3, 0}, nil), false, "zero-size dimension in 2x3x0"},
		{"huge rows", idxBytes(imagesMagic, []uint32{2, 4097, 3}, nil), false, "absurd dimensions 2x4097x3: rows and cols must be at most 4096"},
		{"huge count", idxBytes(imagesMagic, []uint32{100_000_001, 1, 1}, nil), false, "absurd dimensions 100000001x1x1: count 100000001 exceeds 100000000"},
		{"max uint32", idxBytes(imagesMagic, []uint32{0xffffffff, 0xffffffff, 0xffffffff}, nil), false, "absurd dimensions"},
		// Headers within the limits that declare 1.6 PB: must fail without allocating it.
		{"lying header", idxBytes(imagesMagic, []uint32{100_000_000, 4096, 4096}, sequence(10)), false,
			"truncated: expected 1677721600000016 bytes, found 26"},
		{"lying header gz", idxBytes(imagesMagic, []uint32{100_000_000, 4096, 4096}, sequence(10)), true,
			"truncated: expected 1677721600000016 bytes, found 26 (uncompressed)"},
		{"gzip magic then garbage", []byte{0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, false, "corrupt gzip stream: gzip: invalid header"},
		{"gzip cut short", goodGz[:len(goodGz)-10], false, "corrupt gzip stream: unexpected EOF"},
		{"gzip bad checksum", corruptCRC, false, "corrupt gzip stream: gzip: invalid checksum"},
		{"gzip then garbage", append(bytes.Clone(goodGz), "not a gzip member"...), false, "corrupt gzip stream: gzip: invalid header"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "images.gz", tc.content, tc.gz)
			_, err := ReadImages(path)
			require.ErrorContains(t, err, "data: "+path+": ")
			require.ErrorContains(t, err, tc.fault)
			require.NotContains(t, err.Error(), "\n")
		})
	}
}

func TestReadLabelsFaults(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "labels", idxBytes(labelsMagic, []uint32{4}, []byte{1, 9, 10, 3}), false)
	_, err := ReadLabels(path, 10)
	require.ErrorContains(t, err, "data: "+path+": label at index 2 is 10, want < 10 classes")

	_, err = ReadLabels(path, 0)
	require.ErrorContains(t, err, "data: "+path+": numClasses 0 out of range")

	images := writeFile(t, dir, "images", idxBytes(imagesMagic, []uint32{1, 1, 1}, []byte{0}), false)
	_, err = ReadLabels(images, 10)
	require.ErrorContains(t, err, "data: "+images+": wrong magic number 0x00000803, want 0x00000801 (IDX1 unsigned-byte labels): 3 dimensions, want 1")
}

func TestReadNotAFile(t *testing.T) {
	dir := t.TempDir()
	_, err := ReadImages(dir)
	require.EqualError(t, err, "data: "+dir+": is a directory, not an IDX file")

	missing := filepath.Join(dir, "missing.gz")
	_, err = ReadLabels(missing, 10)
	require.ErrorIs(t, err, os.ErrNotExist)
	require.EqualError(t, err, "data: "+missing+": no such file or directory")
}
