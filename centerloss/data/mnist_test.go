package data

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// writeSplit writes a tiny MNIST-style split of n images of rows x cols into dir.
func writeSplit(t *testing.T, dir, prefix string, n, rows, cols int, gz bool) {
	t.Helper()
	suffix := ""
	if gz {
		suffix = ".gz"
	}
	labels := make([]byte, n)
	for i := range labels {
		labels[i] = byte(i % 10)
	}
	writeFile(t, dir, prefix+"-images-idx3-ubyte"+suffix,
		idxBytes(imagesMagic, []uint32{uint32(n), uint32(rows), uint32(cols)}, sequence(n*rows*cols)), gz)
	writeFile(t, dir, prefix+"-labels-idx1-ubyte"+suffix, idxBytes(labelsMagic, []uint32{uint32(n)}, labels), gz)
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	writeSplit(t, dir, "train", 12, 2, 3, true)
	writeSplit(t, dir, "t10k", 5, 2, 3, false)
	ds, err := Load(dir)
	require.NoError(t, err)
	require.Equal(t, dir, ds.Dir)
	require.Equal(t, 10, ds.NumClasses)
	require.Equal(t, 12, ds.Train.Len())
	require.Equal(t, 5, ds.Test.Len())
	require.Equal(t, &Images{N: 5, Rows: 2, Cols: 3, Pixels: sequence(30)}, ds.Test.Images)
	require.Equal(t, []byte{0, 1, 2, 3, 4}, ds.Test.Labels)
}

func TestLoadFaults(t *testing.T) {
	t.Run("missing", func(t *testing.T) {
		dir := t.TempDir()
		writeSplit(t, dir, "train", 3, 2, 2, true)
		_, err := Load(dir)
		gz := filepath.Join(dir, "t10k-images-idx3-ubyte.gz")
		require.ErrorIs(t, err, os.ErrNotExist)
		require.EqualError(t, err, "data: "+gz+": file does not exist (nor "+filepath.Join(dir, "t10k-images-idx3-ubyte")+")")
	})
	t.Run("count mismatch", func(t *testing.T) {
		dir := t.TempDir()
		writeSplit(t, dir, "train", 3, 2, 2, false)
		writeSplit(t, dir, "t10k", 3, 2, 2, false)
		labels := writeFile(t, dir, "t10k-labels-idx1-ubyte", idxBytes(labelsMagic, []uint32{2}, []byte{1, 2}), false)
		_, err := Load(dir)
		require.EqualError(t, err, "data: "+labels+": 2 labels but "+filepath.Join(dir, "t10k-images-idx3-ubyte")+" has 3 images")
	})
	t.Run("shape mismatch", func(t *testing.T) {
		dir := t.TempDir()
		writeSplit(t, dir, "train", 3, 2, 2, false)
		writeSplit(t, dir, "t10k", 3, 2, 3, false)
		_, err := Load(dir)
		require.EqualError(t, err, "data: "+dir+": test images are 2x3 but train images are 2x2")
	})
	t.Run("file fault", func(t *testing.T) {
		dir := t.TempDir()
		writeSplit(t, dir, "train", 3, 2, 2, false)
		writeSplit(t, dir, "t10k", 3, 2, 2, false)
		labels := writeFile(t, dir, "train-labels-idx1-ubyte", idxBytes(labelsMagic, []uint32{3}, []byte{1, 2, 10}), false)
		_, err := Load(dir)
		require.EqualError(t, err, "data: "+labels+": label at index 2 is 10, want < 10 classes")
	})
	t.Run("directory", func(t *testing.T) {
		dir := t.TempDir()
		writeSplit(t, dir, "t10k", 3, 2, 2, false)
		images := filepath.Join(dir, "train-images-idx3-ubyte.gz")
		require.NoError(t, os.Mkdir(images, 0o755))
		writeFile(t, dir, "train-labels-idx1-ubyte", idxBytes(labelsMagic, []uint32{1}, []byte{1}), false)
		_, err := Load(dir)
		require.EqualError(t, err, "data: "+images+": is a directory, not an IDX file")
	})
}

func TestLoadMNIST(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the 55 MB of real MNIST")
	}
	start := time.Now()
	ds, err := LoadMNIST()
	require.NoError(t, err)
	t.Logf("loaded MNIST from %s in %s", ds.Dir, time.Since(start))

	for _, tc := range []struct {
		name  string
		split Split
		n     int
		first uint8
	}{{"train", ds.Train, 60000, 5}, {"test", ds.Test, 10000, 7}} {
		img := tc.split.Images
		require.Equal(t, tc.n, tc.split.Len(), tc.name)
		require.Equal(t, [3]int{tc.n, 28, 28}, [3]int{img.N, img.Rows, img.Cols}, tc.name)
		require.Len(t, img.Pixels, tc.n*28*28, tc.name)
		require.Equal(t, tc.first, tc.split.Labels[0], tc.name)

		counts := make([]int, ds.NumClasses)
		for _, l := range tc.split.Labels {
			counts[l]++
		}
		sum := 0
		for c, k := range counts {
			require.Positive(t, k, "%s: class %d has no examples", tc.name, c)
			sum += k
		}
		require.Equal(t, tc.n, sum, tc.name)
	}
	// The well-known class counts of MNIST, as a check that nothing was shuffled or misread.
	require.Equal(t, 5923, count(ds.Train.Labels, 0))
	require.Equal(t, 1135, count(ds.Test.Labels, 1))
}

func count(labels []uint8, class uint8) int {
	n := 0
	for _, l := range labels {
		if l == class {
			n++
		}
	}
	return n
}
