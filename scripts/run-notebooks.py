"""Executes lessons in place through the "Go (centerloss, XLA CPU)" kernel, top to bottom as a learner runs them, so
that the committed notebooks carry the outputs of a real run. `make notebooks` runs it on every lesson, in order
(4 and 5 start from 2's model); it stops at the first notebook with a problem (the notebook test's checks) and
leaves that notebook unchanged.

It times the machine's reference first (notebook.Reference), and records each lesson's time with that reference in
notebooks/data/timings.json: a lesson's promise is minutes on the machine recorded there, and the notebook test
scales it to the machine it runs on. Each notebook's time is printed beside the minutes its first cell promises.

Usage: python scripts/run-notebooks.py notebooks/01_*.ipynb ...
"""
import json
import math
import os
import sys

import nbformat

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "labtest", "notebooks"))
from nbtest import (LESSONS, TIMINGS_FILE, describe_reference, execute, load_timings,  # noqa: E402  the test's own
                    promised_minutes, time_reference)


def main(paths) -> int:
    reference = time_reference()
    print(f"reference: {describe_reference(reference)}", flush=True)
    timings = load_timings()
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        name = os.path.relpath(os.path.abspath(path), LESSONS)
        problems, seconds = execute(nb, os.path.dirname(os.path.abspath(path)), name, timeout=3600)
        if problems:
            print(f"{path}: not written:\n  " + "\n  ".join(problems), file=sys.stderr)
            return 1
        nbformat.write(nb, path)
        timings["lessons"][name] = {"seconds": round(seconds, 1), "reference": reference}
        with open(TIMINGS_FILE, "w", encoding="utf-8") as f:
            json.dump(timings, f, indent=1, sort_keys=True, ensure_ascii=False)
            f.write("\n")
        print(f"{path}: {seconds:.0f} s (⌈{math.ceil(seconds / 60)}⌉ min; its first cell promises "
              f"{promised_minutes(nb)}), {os.path.getsize(path) / 1e6:.2f} MB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
