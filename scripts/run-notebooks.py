"""Executes notebooks in place through the "Go (centerloss, XLA CPU)" kernel, full length (no CENTERLOSS_QUICK),
so that the committed notebooks carry the outputs of a real run. `make notebooks` runs it; it stops at the first
notebook with an error output and leaves that notebook unchanged.

Usage: python scripts/run-notebooks.py notebooks/01_*.ipynb ...
"""
import os
import sys
import time

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "notebooks"))
from test_notebooks import KERNEL, problems_in  # noqa: E402  the same checks as the notebook test

os.environ["JUPYTER_PREFER_ENV_PATH"] = "1"


def main(paths) -> int:
    env = dict(os.environ, GOMLX_NO_AUTO_INSTALL="1")
    env.pop("CENTERLOSS_QUICK", None)
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        start = time.time()
        NotebookClient(nb, kernel_name=KERNEL, timeout=3600, startup_timeout=120,
                       resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}}).execute(env=env)
        problems = problems_in(nb)
        if problems:
            print(f"{path}: not written:\n  " + "\n  ".join(problems), file=sys.stderr)
            return 1
        nbformat.write(nb, path)
        print(f"{path}: {time.time() - start:.0f} s, {os.path.getsize(path) / 1e6:.2f} MB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
