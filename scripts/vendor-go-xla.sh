#!/usr/bin/env bash
# Rebuilds third_party/go-xla (or DEST): go-xla at the version the library's go.mod requires, from the Go module proxy (checked
# against go.sum), less what no build reads (docs, examples, tests and their data, CI and lint files), with
# third_party/go-xla.patch applied: the one change, that the parameters of a compiled program are buffer donors, so
# that XLA updates a donated variable (the centers, the weights) in place. The lessons' module's replace
# (centerloss/lab/go.mod) points at the result; the library's module has none.
#
#   scripts/vendor-go-xla.sh [DEST]
#
# The test TestVendoredGoXLAIsUpstreamPlusPatch (centerloss/lab/bench) runs this into a temporary folder and
# compares: third_party/go-xla must be exactly what it makes.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
dest=${1:-third_party/go-xla}
version=$(awk '$1 == "github.com/gomlx/go-xla" && $2 ~ /^v/ { print $2 }' go.mod)
if [[ -z $version ]]; then
  echo "vendor-go-xla.sh: go.mod requires no version of github.com/gomlx/go-xla" >&2
  exit 1
fi
# The replace in go.mod does not apply to a download named by its version: this is upstream's own module.
upstream=$(go mod download -json "github.com/gomlx/go-xla@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
if [[ ! -d $upstream ]]; then
  echo "vendor-go-xla.sh: go mod download gave no folder for github.com/gomlx/go-xla@$version" >&2
  exit 1
fi
rm -rf "$dest"
mkdir -p "$dest"
cp -r "$upstream"/. "$dest"
chmod -R u+w "$dest"
(
  cd "$dest"
  rm -rf docs examples .github .gitignore .golangci.yml .sccignore
  find . -name '*_test.go' -delete
  find . -name 'testdata' -type d -prune -exec rm -rf {} +
  find . -name 'test_*.pb' -delete
  patch --quiet -p1 < "$repo/third_party/go-xla.patch"
)
echo "go-xla $version with third_party/go-xla.patch in $dest"
