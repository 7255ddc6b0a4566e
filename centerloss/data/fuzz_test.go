package data

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The fuzz tests check that no input makes the reader panic, that every error is one line naming the file, and
// that what the reader accepts is what it claims. `go test` replays their seeds and the inputs committed under
// testdata/fuzz; `go test -run XXX -fuzz FuzzReadImages -fuzztime 60s ./centerloss/data/` looks for more.

// faultySeeds returns a well-formed IDX file of the given magic and dims, gzipped and raw, and one file for each
// way it can be broken.
func faultySeeds(t testing.TB, magic uint32, dims []uint32) [][]byte {
	n := 1
	for _, d := range dims {
		n *= int(d)
	}
	good := idxBytes(magic, dims, sequence(n))
	goodGz := gzipBytes(t, good)
	crc := bytes.Clone(goodGz)
	crc[len(crc)-8] ^= 0xff
	lying := make([]uint32, len(dims))
	zero := slices.Clone(lying)
	for i := range lying {
		lying[i] = maxSide
		zero[i] = 1
	}
	lying[0] = maxCount
	huge := slices.Clone(zero)
	huge[len(huge)-1] = maxSide + 1
	zero[len(zero)-1] = 0
	other := uint32(imagesMagic)
	if magic == imagesMagic {
		other = labelsMagic
	}
	return [][]byte{
		good,
		goodGz,
		nil,
		good[:3],                         // cut in the magic number
		good[:6],                         // cut in the dimensions
		good[:len(good)-1],               // raw, one byte short
		append(bytes.Clone(good), 0),     // raw, one byte too many
		gzipBytes(t, good[:len(good)-1]), // gzip, one byte short
		gzipBytes(t, append(bytes.Clone(good), 0)),
		goodGz[:len(goodGz)/2],                        // truncated gzip
		crc,                                           // gzip with a bad checksum
		append(bytes.Clone(goodGz), "more"...),        // gzip, then garbage
		{0x1f, 0x8b, 8, 0},                            // a gzip header, cut
		[]byte("<html>not found</html>\n"),            // neither gzip nor IDX
		idxBytes(other, []uint32{1, 1, 1}, []byte{0}), // the other kind of IDX file
		idxBytes(magic&^0xff00|0x0d00, dims, nil),     // floats
		idxBytes(magic&^0xff|0x02, dims, nil),         // another number of dimensions
		idxBytes(magic, zero, nil),                    // a zero dimension
		idxBytes(magic, huge, nil),                    // an absurd dimension
		idxBytes(magic, []uint32{0xffffffff, 0xffffffff, 0xffffffff}[:len(dims)], nil),
		idxBytes(magic, lying, sequence(10)), // declares terabytes, holds 10 bytes
		gzipBytes(t, idxBytes(magic, lying, sequence(10))),
		gzipBytes(t, idxBytes(magic, lying, make([]byte, 1<<16))), // a gzip that does deliver some of them
	}
}

// checkErr checks that err is one line, about path.
func checkErr(t *testing.T, err error, path string) {
	t.Helper()
	require.True(t, strings.HasPrefix(err.Error(), "data: "+path+": "), "error %q does not name %s", err, path)
	require.NotContains(t, err.Error(), "\n")
}

func FuzzReadImages(f *testing.F) {
	for _, seed := range faultySeeds(f, imagesMagic, []uint32{2, 3, 3}) {
		f.Add(seed)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, content []byte) {
		path := filepath.Join(dir, "images")
		require.NoError(t, os.WriteFile(path, content, 0o644))
		img, err := ReadImages(path)
		if err != nil {
			checkErr(t, err, path)
			return
		}
		require.Positive(t, img.N)
		require.Positive(t, img.Rows)
		require.Positive(t, img.Cols)
		require.LessOrEqual(t, img.Rows, maxSide)
		require.LessOrEqual(t, img.Cols, maxSide)
		require.Len(t, img.Pixels, img.N*img.Rows*img.Cols)
	})
}

func FuzzReadLabels(f *testing.F) {
	for _, seed := range faultySeeds(f, labelsMagic, []uint32{6}) {
		f.Add(seed)
	}
	f.Add(idxBytes(labelsMagic, []uint32{4}, []byte{1, 9, 10, 3}))
	f.Add(idxBytes(labelsMagic, []uint32{4}, []byte{1, 9, 0, 255}))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, content []byte) {
		path := filepath.Join(dir, "labels")
		require.NoError(t, os.WriteFile(path, content, 0o644))
		labels, err := ReadLabels(path, 10)
		if err != nil {
			checkErr(t, err, path)
			return
		}
		require.NotEmpty(t, labels)
		require.LessOrEqual(t, len(labels), maxCount)
		for _, l := range labels {
			require.Less(t, l, uint8(10))
		}
	})
}

// FuzzLoad fuzzes a whole MNIST-style folder: the four files at once, so that the checks between them (label
// and image counts, train and test shapes) are fuzzed too.
func FuzzLoad(f *testing.F) {
	images := idxBytes(imagesMagic, []uint32{3, 2, 2}, sequence(12))
	labels := idxBytes(labelsMagic, []uint32{3}, []byte{0, 1, 9})
	f.Add(images, labels, images, labels)
	f.Add(gzipBytes(f, images), labels, images, gzipBytes(f, labels))
	f.Add(images, labels, idxBytes(imagesMagic, []uint32{3, 2, 3}, sequence(18)), labels)
	f.Add(images, idxBytes(labelsMagic, []uint32{2}, []byte{0, 1}), images, labels)
	f.Add(images, labels, images, idxBytes(labelsMagic, []uint32{3}, []byte{0, 1, 10}))
	f.Add(images, labels, labels, images)
	f.Add(images, labels, images, []byte(nil))
	dir := f.TempDir()
	names := []string{"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}
	f.Fuzz(func(t *testing.T, trainImages, trainLabels, testImages, testLabels []byte) {
		for i, content := range [][]byte{trainImages, trainLabels, testImages, testLabels} {
			require.NoError(t, os.WriteFile(filepath.Join(dir, names[i]), content, 0o644))
		}
		ds, err := Load(dir)
		if err != nil {
			require.True(t, strings.HasPrefix(err.Error(), "data: "+dir), "error %q does not name a path in %s", err, dir)
			require.NotContains(t, err.Error(), "\n")
			return
		}
		for _, s := range []Split{ds.Train, ds.Test} {
			require.Equal(t, s.Images.N, s.Len())
			require.Len(t, s.Images.Pixels, s.Images.N*s.Images.Rows*s.Images.Cols)
			require.Equal(t, ds.Train.Images.Rows, s.Images.Rows)
			require.Equal(t, ds.Train.Images.Cols, s.Images.Cols)
			for _, l := range s.Labels {
				require.Less(t, int(l), ds.NumClasses)
			}
		}
	})
}
