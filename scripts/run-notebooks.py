"""Executes lessons in place through the "Go (centerloss, XLA CPU)" kernel, top to bottom as a learner runs them, so
that the committed notebooks carry the outputs of a real run. `make notebooks` runs it on every lesson, in order
(4 and 5 start from 2's model); it stops at the first notebook with a problem (the notebook test's checks) and
leaves that notebook unchanged. Each notebook's time is printed: the times its first cell and the index promise.

Usage: python scripts/run-notebooks.py notebooks/01_*.ipynb ...
"""
import os
import sys
import time

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "labtest", "notebooks"))
from nbtest import KERNEL, LESSONS, kernel_env, problems_in  # noqa: E402  the same checks as the notebook test


def main(paths) -> int:
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        start = time.time()
        NotebookClient(nb, kernel_name=KERNEL, timeout=3600, startup_timeout=120,
                       resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}}).execute(
            env=kernel_env(JPY_SESSION_NAME=os.path.relpath(os.path.abspath(path), LESSONS)))
        problems = problems_in(nb)
        if problems:
            print(f"{path}: not written:\n  " + "\n  ".join(problems), file=sys.stderr)
            return 1
        nbformat.write(nb, path)
        print(f"{path}: {time.time() - start:.0f} s, {os.path.getsize(path) / 1e6:.2f} MB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
