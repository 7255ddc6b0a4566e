#!/usr/bin/env python3
"""Sets centerloss-bench's and bench_torch.py's JSON results side by side (make bench).

    python3 scripts/bench_compare.py OURS.json[,OURS2.json...] TORCH.json[,TORCH2.json...] [--markdown out.md]

Several files per side (the rounds of BENCH_ROUNDS) are pooled: the timed repetitions of every round together.
Ratios are ours / PyTorch's: below 1 is faster than PyTorch.
"""
import argparse
import json
import statistics
import sys


def pooled(paths):
    runs = [json.load(open(p)) for p in paths]
    r = dict(runs[0])
    for key in ("step", "inference"):
        samples = [s for run in runs for s in run.get(key, {}).get("all", [])]
        if samples:
            r[key] = stats(samples)
    for key in ("first_step_seconds", "inference_first_seconds", "loop_step_seconds", "epoch_seconds_measured"):
        values = [run[key] for run in runs if run.get(key)]
        if values:
            r[key] = statistics.median(values)
            r[key + "_all"] = values
    r["peak_rss_mib"] = max(run.get("peak_rss_mib", 0) for run in runs)
    r["rounds"] = len(runs)
    r["loadavg"] = [run.get("loadavg") for run in runs if run.get("loadavg")]
    return r


def stats(samples):
    s = sorted(samples)

    def q(p):
        pos = p * (len(s) - 1)
        lo = int(pos)
        hi = min(lo + 1, len(s) - 1)
        return s[lo] + (pos - lo) * (s[hi] - s[lo])

    return {"n": len(s), "median": q(0.5), "min": s[0], "max": s[-1], "q1": q(0.25), "q3": q(0.75), "all": samples}


def ms(x):
    return f"{1e3 * x:.0f} ms"


def spread(st, unit=1e3, fmt="{:.0f}"):
    f = lambda v: fmt.format(unit * v)
    return f"{f(st['median'])} (min {f(st['min'])}, IQR {f(st['q1'])}–{f(st['q3'])}, max {f(st['max'])}; n={st['n']})"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("ours")
    p.add_argument("torch")
    p.add_argument("--markdown", default="")
    p.add_argument("--pairs", default="", help="pairs.json of scripts/bench_lockstep.py: adds the paired ratios")
    args = p.parse_args()
    a = pooled(args.ours.split(","))
    b = pooled(args.torch.split(","))
    pairs = json.load(open(args.pairs)) if args.pairs else {}

    rows = []

    def paired(key, unit=1e3, fmt="{:.0f}"):
        ratios = [x / y for x, y in pairs.get(key, [])]
        if not ratios:
            return None
        st = stats(ratios)
        return f"**{st['median']:.2f}** (IQR {st['q1']:.2f}–{st['q3']:.2f}, min {st['min']:.2f}, max {st['max']:.2f}; {st['n']} pairs)"

    def row(name, x, y, ratio=None, note=""):
        rows.append((name, x, y, ratio, note))

    def ratio(x, y):
        return f"{x / y:.2f}" if x and y else ""

    row("training step, median (ms)", spread(a["step"]), spread(b["step"]), ratio(a["step"]["median"], b["step"]["median"]))
    if paired("step"):
        row("training step, ratio of each pair of steps taken one after the other", "", "", paired("step"))
    row("training step, fastest (ms)", ms(a["step"]["min"]), ms(b["step"]["min"]), ratio(a["step"]["min"], b["step"]["min"]))
    row("images per second (training)", f"{a['batch'] / a['step']['median']:.0f}", f"{b['batch'] / b['step']['median']:.0f}",
        ratio(b["step"]["median"], a["step"]["median"]) + " (PyTorch / ours)")
    row(f"epoch, projected ({a['steps_per_epoch']} steps × median step)", f"{a['steps_per_epoch'] * a['step']['median']:.0f} s",
        f"{b['steps_per_epoch'] * b['step']['median']:.0f} s", ratio(a["step"]["median"], b["step"]["median"]))
    if a.get("feed_seconds") is not None and b.get("feed_seconds") is not None:
        row("making a batch (outside the step)", f"{1e3 * a['feed_seconds']:.2f} ms", f"{1e3 * b['feed_seconds']:.2f} ms")
    if a.get("metrics_to_host_seconds") is not None:
        row(f"reading the step's {a.get('train_step_metrics_on_host')} metrics to the host (inside the step)",
            f"{1e3 * a['metrics_to_host_seconds']:.2f} ms", "(3 .item() calls, inside the step)")
    if a.get("loop_step_seconds") and b.get("loop_step_seconds"):
        row(f"training loop, per step ({a.get('loop_steps')} steps, data feeding and metrics included)",
            ms(a["loop_step_seconds"]), ms(b["loop_step_seconds"]), ratio(a["loop_step_seconds"], b["loop_step_seconds"]))
        if paired("loop"):
            row("training loop, ratio of each pair of chunks", "", "", paired("loop"))
        row("epoch, from the training loop", f"{a['loop_step_seconds'] * a['steps_per_epoch']:.0f} s",
            f"{b['loop_step_seconds'] * b['steps_per_epoch']:.0f} s", ratio(a["loop_step_seconds"], b["loop_step_seconds"]))
    if a.get("epoch_seconds_measured") and b.get("epoch_seconds_measured"):
        row(f"training loop, {a.get('epoch_steps_measured')} steps measured", f"{a['epoch_seconds_measured']:.0f} s",
            f"{b['epoch_seconds_measured']:.0f} s", ratio(a["epoch_seconds_measured"], b["epoch_seconds_measured"]))
    row("first training step (ours: XLA compilation)", f"{a['first_step_seconds']:.1f} s", f"{b['first_step_seconds']:.2f} s")
    if a.get("inference", {}).get("n") and b.get("inference", {}).get("n"):
        row(f"test pass, {a['inference_images']} images, median (s)", spread(a["inference"], 1, "{:.2f}"),
            spread(b["inference"], 1, "{:.2f}"), ratio(a["inference"]["median"], b["inference"]["median"]))
        if paired("inference"):
            row("test pass, ratio of each pair of passes", "", "", paired("inference"))
        row("images per second (test pass)", f"{a['inference_images'] / a['inference']['median']:.0f}",
            f"{b['inference_images'] / b['inference']['median']:.0f}",
            ratio(b["inference"]["median"], a["inference"]["median"]) + " (PyTorch / ours)")
        row("first test pass (ours: compilation)", f"{a['inference_first_seconds']:.1f} s", f"{b['inference_first_seconds']:.1f} s")
    row("peak resident memory (VmHWM)", f"{a['peak_rss_mib']:.0f} MiB", f"{b['peak_rss_mib']:.0f} MiB",
        ratio(a["peak_rss_mib"], b["peak_rss_mib"]))

    versions = lambda r: ", ".join(f"{k} {v}" for k, v in sorted(r.get("versions", {}).items()))
    lines = [
        f"LeNet++ + center loss, batch {a['batch']}, {a['host']}; {a['date'][:10]}",
        f"ours: {a['backend']}; {versions(a)}; XLA_FLAGS={a.get('xla_flags') or '(none)'}; layout {a['layout']}",
        f"PyTorch: {b['backend']}; {versions(b)}; layout {b['layout']}",
        (f"lockstep: each timed step (loop chunk, test pass) of ours next to one of PyTorch's, alternating which went "
         f"first; 1-minute load average at the start and at the end: {pairs.get('loadavg')}") if pairs else
        (f"rounds: {a['rounds']} (each side's repetitions pooled over them); load average while ours ran: "
         f"{a['loadavg']}, while PyTorch ran: {b['loadavg']}"),
        "",
        "| | centerloss (GoMLX + XLA) | PyTorch | ratio ours / PyTorch |",
        "| --- | --- | --- | --- |",
    ]
    for name, x, y, r, note in rows:
        lines.append(f"| {name} | {x} | {y} | {r or ''} |")
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    sys.exit(main())
