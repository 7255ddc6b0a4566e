#!/usr/bin/env bash
# make bench-gpu: the benchmark of make bench on an NVIDIA GPU of your own (a workstation with Go and PyPI):
# centerloss with -backend xla:cuda beside PyTorch on the same GPU, lockstep, one whole epoch (468 steps) timed
# through each training loop. It is the bench part of scripts/gpu-run.sh, with what this machine installs:
#
#   - make setup-cuda: JAX's CUDA 13 PJRT plugin (jax-cuda13-pjrt) and the NVIDIA CUDA 13 libraries
#     (requirements-cuda.txt) into .venv, laid out by scripts/link-pjrt-plugin.py --nvidia;
#   - torch==$BENCH_TORCH_GPU_VERSION (PyPI's CUDA build) into .venv-bench-gpu;
#   - the binaries, built by scripts/gpu-run.sh --build into .bin/gpu-run.
#
#   scripts/bench-gpu.sh             on a machine with an NVIDIA GPU and its driver
#   scripts/bench-gpu.sh --dry-run   anywhere: checks what it can and prints what it would run
#
# Settings as scripts/gpu-run.sh (BENCH_REPS, BENCH_EPOCH_STEPS, ...); the results go to $BENCH_OUT (out/bench-gpu):
# summary.json, bench-table.md, gpu-run.log, results.tar.gz.
set -euo pipefail
cd "$(dirname "$0")/.."

DRY_RUN=()
[ "${1:-}" = "--dry-run" ] && DRY_RUN=(--dry-run)
TORCH_GPU_VERSION=${BENCH_TORCH_GPU_VERSION:-2.15.0}

run() { # prints the command; runs it unless --dry-run
  echo "+ $*" >&2
  [ "${#DRY_RUN[@]}" -gt 0 ] || "$@"
}

if ! scripts/gpu-run.sh --check-gpu && [ "${#DRY_RUN[@]}" = 0 ]; then
  echo "bench-gpu: nothing measured; run it on a machine with an NVIDIA GPU, or --dry-run to see the steps." >&2
  exit 2
fi
run make --no-print-directory setup-cuda
if [ "${#DRY_RUN[@]}" -gt 0 ] || ! .venv-bench-gpu/bin/python -c 'import torch; assert torch.cuda.is_available()' 2>/dev/null; then
  run python3 -m venv .venv-bench-gpu
  run .venv-bench-gpu/bin/pip install --disable-pip-version-check -q "torch==$TORCH_GPU_VERSION" numpy
fi
run scripts/gpu-run.sh --build
# No device machine's 10-minute limit here: an hour for the bench part.
GPU_RUN_WILL_BUILD=1 GPU_RUN_PYTHON=.venv/bin/python GPU_RUN_TORCH=.venv-bench-gpu/bin/python \
  GPU_RUN_OUT=${BENCH_OUT:-out/bench-gpu} GPU_RUN_BUDGET=${GPU_RUN_BUDGET:-3600} GPU_RUN_BENCH_S=${GPU_RUN_BENCH_S:-3500} \
  exec scripts/gpu-run.sh --parts bench "${DRY_RUN[@]}"
