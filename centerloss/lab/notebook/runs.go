package notebook

import (
	"os"
	"path/filepath"
)

// RepoEnvVar is set by our Jupyter kernels to the repository's folder.
const RepoEnvVar = "CENTERLOSS_REPO"

// RunsEnvVar, when set, is the folder where the lessons keep their models instead of the repository's
// runs/notebooks: the class hub sets it to each learner's own (the checkout is shared there, and read-only).
const RunsEnvVar = "CENTERLOSS_RUNS"

// RunDir is the folder where the notebooks keep the model named name: $CENTERLOSS_RUNS/<name>, or
// runs/notebooks/<name> in the repository (under the working folder when the kernel does not say where that is).
func RunDir(name string) string {
	if dir := os.Getenv(RunsEnvVar); dir != "" {
		return filepath.Join(dir, name)
	}
	return filepath.Join(repoDir(), "runs", "notebooks", name)
}

// repoDir is $CENTERLOSS_REPO, or the working folder when the kernel does not say where the repository is.
func repoDir() string {
	if dir := os.Getenv(RepoEnvVar); dir != "" {
		return dir
	}
	dir, _ := os.Getwd()
	return dir
}

// FreshRunDir is RunDir emptied first, so that running a notebook again trains from scratch instead of resuming.
func FreshRunDir(name string) (string, error) {
	dir := RunDir(name)
	if err := os.RemoveAll(dir); err != nil {
		return "", err
	}
	return dir, os.MkdirAll(dir, 0o755)
}
