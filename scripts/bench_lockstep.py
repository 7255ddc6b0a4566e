#!/usr/bin/env python3
"""Runs centerloss-bench -serve and bench_torch.py --serve side by side in lockstep (make bench).

Both processes build their model, compile, take their first and warm-up steps, and then wait; this script then asks
each in turn for one timed training step, alternating which goes first, so that every step of ours has a PyTorch
step next to it, timed under the same load of the machine. The same for the training loop (in chunks) and for the
passes over the test images. Each pair gives a ratio; their median and spread are the comparison, robust to other
work on the machine.

    python3 scripts/bench_lockstep.py --ours "CMD ..." --torch "CMD ..." [--reps 30] [--loop-steps 60]
        [--loop-chunks 6] [--infer-reps 5] --out DIR

The other side can be any program that speaks the same protocol, another centerloss-bench -serve included (two
builds of ours, e.g. before and after a change): --theirs is --torch's other name, and --names names both sides
(in the output and the files), e.g.

    python3 scripts/bench_lockstep.py --ours ".bin/centerloss-bench -serve ..." \
        --theirs ".bin/centerloss-bench-old -serve ..." --names new,old --out out/bench-old

It writes DIR/NAME-lockstep.json for each side (by default centerloss-lockstep.json and pytorch-lockstep.json) and
DIR/pairs.json (each pair as [ours, theirs]), and prints a summary of the paired ratios ours / theirs.
"""
import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import time

from bench_compare import stats


class Peer:
    def __init__(self, name, command):
        self.name = name
        self.proc = subprocess.Popen(shlex.split(command), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, bufsize=1)

    def read(self):
        line = self.proc.stdout.readline()
        if not line:
            code = self.proc.wait()
            raise SystemExit(f"bench_lockstep: {self.name} ended (exit status {code}) without an answer")
        return json.loads(line)

    def ask(self, command):
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return self.read()


def quantiles(values):
    """The median, first and third quartiles (bench_compare.stats: numpy's linear interpolation)."""
    st = stats(values)
    return st["median"], st["q1"], st["q3"]


def load():
    try:
        return open("/proc/loadavg").read().split()[0]
    except OSError:
        return "?"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ours", required=True)
    p.add_argument("--torch", "--theirs", dest="theirs", required=True)
    p.add_argument("--names", default="centerloss,PyTorch",
                   help="the two sides' names, ours first: labels, and DIR/NAME-lockstep.json in lower case")
    p.add_argument("--reps", type=int, default=30)
    p.add_argument("--loop-steps", type=int, default=60)
    p.add_argument("--loop-chunks", type=int, default=6)
    p.add_argument("--epoch-steps", type=int, default=0, help="also one run of this many loop steps on each side")
    p.add_argument("--infer-reps", type=int, default=5)
    p.add_argument("--out", required=True)
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)

    name_ours, name_theirs = args.names.split(",")
    # One after the other, so that neither compiles while the other is timed.
    peers = []
    for name, command in ((name_ours, args.ours), (name_theirs, args.theirs)):
        peers.append(Peer(name, command))
        ready = peers[-1].read()
        print(f"{name}: ready, first step {ready['first_step_seconds']:.2f} s (load {load()})", flush=True)
    ours, theirs = peers

    pairs = {"names": [name_ours, name_theirs], "step": [], "loop": [], "inference": [], "loadavg": [load()]}

    def alternate(i, command, key):
        order = [(ours, 0), (theirs, 1)] if i % 2 == 0 else [(theirs, 1), (ours, 0)]
        times = [0.0, 0.0]
        for peer, index in order:
            times[index] = peer.ask(command)[key]
        return times

    for i in range(args.reps):
        a, b = alternate(i, "step", "step_seconds")
        pairs["step"].append([a, b])
        print(f"step {i + 1}/{args.reps}: {name_ours} {1e3 * a:.0f} ms, {name_theirs} {1e3 * b:.0f} ms, ratio {a / b:.2f} "
              f"(load {load()})", flush=True)
    if args.loop_steps > 0:
        chunk = max(1, args.loop_steps // args.loop_chunks)
        for i in range(args.loop_chunks):
            a, b = alternate(i, f"loop {chunk}", "loop_seconds")
            pairs["loop"].append([a / chunk, b / chunk])
            print(f"training loop, {chunk} steps: {name_ours} {1e3 * a / chunk:.0f} ms a step, {name_theirs} "
                  f"{1e3 * b / chunk:.0f} ms, ratio {a / b:.2f}", flush=True)
    if args.epoch_steps > 0:
        a, b = alternate(0, f"loop {args.epoch_steps}", "loop_seconds")
        pairs["epoch"] = [a, b]
        print(f"training loop, {args.epoch_steps} steps: {name_ours} {a:.1f} s, {name_theirs} {b:.1f} s, "
              f"ratio {a / b:.2f}", flush=True)
    if args.infer_reps > 0:
        first = alternate(0, "infer", "inference_seconds")
        pairs["inference_first"] = first
        for i in range(args.infer_reps):
            a, b = alternate(i + 1, "infer", "inference_seconds")
            pairs["inference"].append([a, b])
            print(f"test pass: {name_ours} {a:.2f} s, {name_theirs} {b:.2f} s, ratio {a / b:.2f} (load {load()})",
                  flush=True)
    pairs["loadavg"].append(load())

    for i, (peer, name) in enumerate(((ours, name_ours), (theirs, name_theirs))):
        result = peer.ask("result")
        peer.proc.stdin.close()
        peer.proc.wait()
        if "epoch" in pairs:
            result.update(epoch_steps_measured=args.epoch_steps, epoch_seconds_measured=pairs["epoch"][i])
        with open(os.path.join(args.out, f"{name.lower()}-lockstep.json"), "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")
    with open(os.path.join(args.out, "pairs.json"), "w") as f:
        json.dump(pairs, f, indent=2)
        f.write("\n")

    print(f"\nlockstep summary, {name_ours} / {name_theirs} (load {pairs['loadavg'][0]} at the start, "
          f"{pairs['loadavg'][-1]} at the end):", flush=True)
    for key, what, fmt in (("step", "training step", lambda t: f"{1e3 * t:.0f} ms"),
                           ("loop", "training loop, a step", lambda t: f"{1e3 * t:.0f} ms"),
                           ("inference", "test pass", lambda t: f"{t:.2f} s")):
        if pairs[key]:
            ours_median, theirs_median = (quantiles([pair[i] for pair in pairs[key]])[0] for i in (0, 1))
            ratio, q1, q3 = quantiles([a / b for a, b in pairs[key]])
            print(f"  {what}: median {name_ours} {fmt(ours_median)}, {name_theirs} {fmt(theirs_median)}; paired ratio "
                  f"median {ratio:.3f} (IQR {q1:.3f}–{q3:.3f}; {len(pairs[key])} pairs)", flush=True)

if __name__ == "__main__":
    sys.exit(main())
