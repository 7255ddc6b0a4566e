"""Prints the table of the four losses (docs/results.md) from two `centerloss rivals` runs: one on all ten digits (test,
kNN and nearest-mean accuracy, intra/inter ratio) and one with a digit held out (the open-set AUROC). Each figure is
the last record of <dir>/<rival>/metrics.jsonl, as the runs wrote it. `make rivals` runs both and then this.

Usage: python3 scripts/rivals-table.py runs/rivals runs/rivals-holdout9
"""
import json
import os
import sys

RIVALS = [("softmax", "softmax"), ("center", "softmax + center loss"), ("contrastive", "contrastive"),
          ("triplet", "triplet")]


def last_record(folder, name):
    path = os.path.join(folder, name, "metrics.jsonl")
    try:
        with open(path) as f:
            lines = [line for line in f if line.strip()]
    except OSError as e:
        sys.exit(f"rivals-table: {path}: {e.strerror}; run `make rivals` first")
    if not lines:
        sys.exit(f"rivals-table: {path}: no record")
    return json.loads(lines[-1])


def main(all_digits, held_out):
    runs = [(label, last_record(all_digits, name), last_record(held_out, name)) for name, label in RIVALS]
    for label, r, h in runs:  # checked before any line is printed: no half table
        # One budget in epochs: with a digit held out an epoch has a tenth fewer images, hence fewer steps.
        if r["epoch"] != h["epoch"]:
            sys.exit(f"rivals-table: {label}: {r['epoch']} epochs on all digits, {h['epoch']} with one held out")
    print("| loss | test accuracy | by | 1-NN accuracy | nearest-mean accuracy | intra/inter ratio | "
          "open-set AUROC | epochs | median step |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, r, h in runs:
        ratio = r.get("intra_inter_ratio")
        auroc = h.get("open_set_auroc")
        print(f"| {label} | {100 * r['test_accuracy']:.2f} % | {r.get('accuracy_by', 'softmax')} | "
              f"{100 * r['knn_accuracy']:.2f} % | {100 * r['nearest_mean_accuracy']:.2f} % | "
              f"{'—' if ratio is None else f'{ratio:.3f}'} | "
              f"{'—' if auroc is None else f'{auroc:.3f}'} (digit {h.get('holdout_digit')} out) | "
              f"{r['epoch']:g} | {r['median_step_ms']:.0f} ms |")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip())
    main(sys.argv[1], sys.argv[2])
