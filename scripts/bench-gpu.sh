#!/usr/bin/env bash
# make bench-gpu: the benchmark of scripts/bench.sh on an NVIDIA GPU: centerloss with -backend xla:cuda (XLA's CUDA 13
# PJRT plugin from PyPI) beside PyTorch on the same GPU (a pinned PyPI torch, CUDA build, in .venv-bench-gpu), with one
# whole epoch (468 steps) timed through each training loop, then the same table as make bench.
#
#   scripts/bench-gpu.sh             on a machine with an NVIDIA GPU and its driver
#   scripts/bench-gpu.sh --dry-run   anywhere: checks what it can and prints what it would run
#
# It installs, into the project's .venv: the xla-cuda13-pjrt wheel (make setup-cuda) and the CUDA 13 libraries that
# plugin loads (cuBLAS, cuDNN, ... the NVIDIA wheels jax-cuda13-plugin[with-cuda] 0.10.2 pins, listed below); and
# torch==$BENCH_TORCH_GPU_VERSION into .venv-bench-gpu. Everything comes from PyPI. Settings as scripts/bench.sh
# (BENCH_REPS, BENCH_ROUNDS, ...); BENCH_EPOCH_STEPS defaults to 468 here.
set -euo pipefail
cd "$(dirname "$0")/.."

DRY_RUN=0
[ "${1:-}" = "--dry-run" ] && DRY_RUN=1
TORCH_GPU_VERSION=${BENCH_TORCH_GPU_VERSION:-2.15.0}
# The CUDA 13 libraries the XLA CUDA plugin needs (the versions jax-cuda13-plugin[with-cuda]==0.10.2 resolves to).
NVIDIA_LIBS=(
  nvidia-cublas==13.10.0.20 nvidia-cuda-cupti==13.5.25 nvidia-cuda-nvcc==13.5.37 nvidia-cuda-nvrtc==13.5.37
  nvidia-cuda-runtime==13.5.37 nvidia-cudnn-cu13==9.28.1.4 nvidia-cufft==12.5.0.14 nvidia-cusolver==12.4.1.2
  nvidia-cusparse==12.9.4.2 nvidia-nccl-cu13==2.32.3 nvidia-nvjitlink==13.5.37 nvidia-nvshmem-cu13==3.8.0
  nvidia-nvvm==13.5.37 nvidia-cuda-cccl==13.3.5.0.6 nvidia-cuda-crt==13.5.37
)

run() { # prints the command; runs it unless --dry-run
  echo "+ $*" >&2
  [ "$DRY_RUN" = 1 ] || "$@"
}

# --- Is there a GPU? ---
if command -v nvidia-smi >/dev/null && nvidia-smi -L >/dev/null 2>&1; then
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
else
  echo "bench-gpu: no NVIDIA GPU here (nvidia-smi missing or finds no device)." >&2
  if [ "$DRY_RUN" = 0 ]; then
    echo "bench-gpu: nothing measured; run it on a machine with an NVIDIA GPU, or --dry-run to see the steps." >&2
    exit 2
  fi
fi

# --- Our side: the CUDA PJRT plugin and the CUDA libraries it loads ---
run make --no-print-directory setup-cuda
run .venv/bin/pip install --disable-pip-version-check -q "${NVIDIA_LIBS[@]}"
SITE=$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
PLUGIN="$SITE/xla_plugins/xla_cuda13_pjrt/xla_gpu_pjrt.so"
# The plugin finds the libraries through its RPATH ($ORIGIN/../../nvidia/...) when it is loaded from its real path,
# hence the absolute path as the backend; LD_LIBRARY_PATH and the CUDA data folder (ptxas, libdevice) as a fallback.
if [ -d "$SITE/nvidia" ]; then
  LD_LIBRARY_PATH=$(find "$SITE/nvidia" -maxdepth 3 -type d -name lib | paste -sd:)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  export LD_LIBRARY_PATH
  CUDA_DIR=$(dirname "$(find "$SITE/nvidia" -maxdepth 4 -type f -name ptxas | head -1)" 2>/dev/null)/..
  [ -d "$CUDA_DIR" ] && export XLA_FLAGS="${XLA_FLAGS:-} --xla_gpu_cuda_data_dir=$(cd "$CUDA_DIR" && pwd)"
fi
# go-xla v0.1.4 points XLA at a hard-coded CUDA folder when it finds an nvidia/ folder beside the plugin: not ours.
export GOPJRT_CUDA_CHECKS=0

# --- PyTorch's side: the CUDA build of a pinned PyPI torch, in an environment of its own ---
if [ "$DRY_RUN" = 1 ] || ! .venv-bench-gpu/bin/python -c 'import torch; assert torch.cuda.is_available()' 2>/dev/null; then
  run python3 -m venv .venv-bench-gpu
  run .venv-bench-gpu/bin/pip install --disable-pip-version-check -q "torch==$TORCH_GPU_VERSION" numpy
fi

# --- Both, back to back (scripts/bench.sh), one epoch timed through each training loop ---
export BENCH_BACKEND="xla:$PLUGIN" BENCH_DEVICE=cuda BENCH_TORCH=.venv-bench-gpu/bin/python
export BENCH_EPOCH_STEPS=${BENCH_EPOCH_STEPS:-468} BENCH_OUT=${BENCH_OUT:-out/bench-gpu}
echo "bench-gpu: BENCH_BACKEND=$BENCH_BACKEND XLA_FLAGS=${XLA_FLAGS:-}" >&2
run scripts/bench.sh
