"""What the notebook tests share: where things are, our CPU kernel, and how to tell that executed cells went wrong.

pytest puts labtest/notebooks/ on sys.path for the test files here (they are not a package), so they `import nbtest`.
The lessons are in notebooks/ (LESSONS, the learner's folder, which holds nothing else); the smoke notebook is here.
"""
import html
import os
import re

import nbformat

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
LESSONS = os.path.join(REPO, "notebooks")
SMOKE = os.path.join(HERE, "smoke.ipynb")
KERNEL = "centerloss-xla-cpu"
# GoNB reports a cell program that panics or exits non-zero on stderr, and Jupyter does not count it as an error.
# A Go panic, a failed command, or Japanese pictures drawn in English for want of a font (language.PictureLanguage).
BAD_STDERR = ("panic", "exit status", "the pictures are in English")

# Our kernels are in .venv/share/jupyter: prefer them over same-named ones in the user's home.
os.environ["JUPYTER_PREFER_ENV_PATH"] = "1"


def kernel_env(**extra: str) -> dict[str, str]:
    """The environment for a kernel the tests start (kernel.json's env is laid over it)."""
    return dict(os.environ, GOMLX_NO_AUTO_INSTALL="1", **extra)


# What a test's own cells import, after the lesson's set-up cell (GoNB keeps a cell's imports for the next cells).
IMPORTS = """import (
	"fmt"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/notebook"
	"github.com/centerloss/centerloss/centerloss/training"
)
"""


def setup_cells(notebook: str = "02_softmax_baseline.ipynb") -> list[str]:
    """A lesson's set-up cell (it points the cell module at this repository), read from the notebook so that the
    tests run what users run, and the imports of the tests' own cells."""
    nb = nbformat.read(os.path.join(LESSONS, notebook), as_version=4)
    setup = next(cell.source for cell in nb.cells if cell.cell_type == "code")
    assert "scripts/notebook-setup.sh" in setup, setup
    return [setup, IMPORTS]


def problems_in(nb) -> list[str]:
    """What is wrong with an executed notebook, one line per fault."""
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        where = f"cell {index} ({cell.get('id', '?')})"
        pngs = 0
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                problems.append(f"{where}: {out.get('ename', '')}: {out.get('evalue', '')}".rstrip())
                problems += [f"{where}:   {line}" for line in gonb_error_text(cell)]
            elif out.output_type == "stream" and out.name == "stderr":
                for bad in BAD_STDERR:
                    if bad in out.text:
                        line = next(line for line in out.text.splitlines() if bad in line)
                        problems.append(f"{where}: stderr says {bad!r}: {line.strip()}")
            elif out.output_type in ("display_data", "execute_result") and "image/png" in out.get("data", {}):
                pngs += 1
        if "plot" in cell.get("metadata", {}).get("tags", []) and pngs == 0:
            problems.append(f"{where}: tagged 'plot' but shows no image/png")
    return problems


def gonb_error_text(cell) -> list[str]:
    """The lines of GoNB's HTML error display (compiler and `go get` messages), which the error output lacks."""
    lines = []
    for out in cell.get("outputs", []):
        page = out.get("data", {}).get("text/html", "") if out.output_type == "display_data" else ""
        if "gonb-err" in page:
            text = html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"(?s)<style>.*?</style>", "", page)))
            lines += [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-12:]


def stream_text(cell, name: str = "stdout") -> str:
    """All of a cell's output on one stream, as far as it has come."""
    return "".join(out.text for out in cell.get("outputs", []) if out.output_type == "stream" and out.name == name)
