#!/usr/bin/env python3
"""Runs centerloss-bench -serve and bench_torch.py --serve side by side in lockstep (make bench).

Both processes build their model, compile, take their first and warm-up steps, and then wait; this script then asks
each in turn for one timed training step, alternating which goes first, so that every step of ours has a PyTorch
step next to it, timed under the same load of the machine. The same for the training loop (in chunks) and for the
passes over the test images. Each pair gives a ratio; their median and spread are the comparison, robust to other
work on the machine.

    python3 scripts/bench_lockstep.py --ours "CMD ..." --torch "CMD ..." [--reps 30] [--loop-steps 60]
        [--loop-chunks 6] [--infer-reps 5] --out DIR

It writes DIR/centerloss-lockstep.json, DIR/pytorch-lockstep.json (each side's own result) and DIR/pairs.json.
"""
import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import time


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


def load():
    try:
        return open("/proc/loadavg").read().split()[0]
    except OSError:
        return "?"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ours", required=True)
    p.add_argument("--torch", required=True)
    p.add_argument("--reps", type=int, default=30)
    p.add_argument("--loop-steps", type=int, default=60)
    p.add_argument("--loop-chunks", type=int, default=6)
    p.add_argument("--epoch-steps", type=int, default=0, help="also one run of this many loop steps on each side")
    p.add_argument("--infer-reps", type=int, default=5)
    p.add_argument("--out", required=True)
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)

    # One after the other, so that neither compiles while the other is timed.
    ours = Peer("centerloss-bench", args.ours)
    ready_ours = ours.read()
    print(f"centerloss: ready, first step {ready_ours['first_step_seconds']:.2f} s (load {load()})", flush=True)
    theirs = Peer("bench_torch.py", args.torch)
    ready_theirs = theirs.read()
    print(f"PyTorch: ready, first step {ready_theirs['first_step_seconds']:.2f} s (load {load()})", flush=True)

    pairs = {"step": [], "loop": [], "inference": [], "loadavg": [load()]}

    def alternate(i, command, key):
        order = [(ours, 0), (theirs, 1)] if i % 2 == 0 else [(theirs, 1), (ours, 0)]
        times = [0.0, 0.0]
        for peer, index in order:
            times[index] = peer.ask(command)[key]
        return times

    for i in range(args.reps):
        a, b = alternate(i, "step", "step_seconds")
        pairs["step"].append([a, b])
        print(f"step {i + 1}/{args.reps}: centerloss {1e3 * a:.0f} ms, PyTorch {1e3 * b:.0f} ms, ratio {a / b:.2f} "
              f"(load {load()})", flush=True)
    if args.loop_steps > 0:
        chunk = max(1, args.loop_steps // args.loop_chunks)
        for i in range(args.loop_chunks):
            a, b = alternate(i, f"loop {chunk}", "loop_seconds")
            pairs["loop"].append([a / chunk, b / chunk])
            print(f"training loop, {chunk} steps: centerloss {1e3 * a / chunk:.0f} ms a step, PyTorch "
                  f"{1e3 * b / chunk:.0f} ms, ratio {a / b:.2f}", flush=True)
    if args.epoch_steps > 0:
        a, b = alternate(0, f"loop {args.epoch_steps}", "loop_seconds")
        pairs["epoch"] = [a, b]
        print(f"training loop, {args.epoch_steps} steps: centerloss {a:.1f} s, PyTorch {b:.1f} s, ratio {a / b:.2f}",
              flush=True)
    if args.infer_reps > 0:
        first = alternate(0, "infer", "inference_seconds")
        pairs["inference_first"] = first
        for i in range(args.infer_reps):
            a, b = alternate(i + 1, "infer", "inference_seconds")
            pairs["inference"].append([a, b])
            print(f"test pass: centerloss {a:.2f} s, PyTorch {b:.2f} s, ratio {a / b:.2f} (load {load()})", flush=True)
    pairs["loadavg"].append(load())

    results = {}
    for peer, name in ((ours, "centerloss"), (theirs, "pytorch")):
        results[name] = peer.ask("result")
        peer.proc.stdin.close()
        peer.proc.wait()
        with open(os.path.join(args.out, f"{name}-lockstep.json"), "w") as f:
            json.dump(results[name], f, indent=2)
            f.write("\n")
    if "epoch" in pairs:
        for name, i in (("centerloss", 0), ("pytorch", 1)):
            results[name].update(epoch_steps_measured=args.epoch_steps, epoch_seconds_measured=pairs["epoch"][i])
            with open(os.path.join(args.out, f"{name}-lockstep.json"), "w") as f:
                json.dump(results[name], f, indent=2)
                f.write("\n")
    with open(os.path.join(args.out, "pairs.json"), "w") as f:
        json.dump(pairs, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    sys.exit(main())
