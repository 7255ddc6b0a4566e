#!/usr/bin/env bash
# The first cell of every lesson runs this in GoNB's module for the notebook (`!*`): it points that module's
# github.com/centerloss/centerloss (the library) and …/centerloss/lab (the lessons' helpers) at this checkout, and
# go-xla at the patched copy in it as centerloss/lab/go.mod does (a replace holds only in the module that says it),
# and pins GoNB's gonbui to the kernel's own version (read from kernels/gonb/go.mod, the module the kernel is built
# from), so that GoNB's automatic `go get` asks no proxy for versions. It prints one line when it works and one sentence when it does not, never go's list of modules.
set -uo pipefail
repo=${CENTERLOSS_REPO:?this notebook needs a centerloss kernel: Kernel → Change Kernel… → Go (centerloss, XLA CPU)}
gonb=$(awk '$1 == "github.com/janpfeifer/gonb" { print $2 }' "$repo/kernels/gonb/go.mod")
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if go mod edit -replace=github.com/centerloss/centerloss="$repo" \
  -replace=github.com/centerloss/centerloss/centerloss/lab="$repo/centerloss/lab" \
  -replace=github.com/gomlx/go-xla="$repo/third_party/go-xla" > "$log" 2>&1 &&
  go get github.com/centerloss/centerloss@v0.0.0-00010101000000-000000000000 \
    github.com/centerloss/centerloss/centerloss/lab@v0.0.0-00010101000000-000000000000 \
    "github.com/janpfeifer/gonb@$gonb" >> "$log" 2>&1; then
  echo "Ready: centerloss from $repo, GoNB $gonb, XLA backend ${GOMLX_BACKEND:-xla:cpu}."
elif [[ "${CENTERLOSS_LANG:-}" == ja* ]]; then # a lesson in notebooks/ja/ (kernels/lesson-kernel.sh sets it)
  echo "準備に失敗しました: go がこのノートブックのモジュールに centerloss を追加できませんでした（$(tail -n 1 "$log")）。" >&2
  exit 1
else
  echo "The set-up failed: go could not add centerloss to this notebook's module ($(tail -n 1 "$log"))." >&2
  exit 1
fi
