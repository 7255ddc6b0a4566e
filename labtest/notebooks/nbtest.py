"""What the notebook tests share: where things are, our CPU kernel, and how to tell that executed cells went wrong.

pytest puts labtest/notebooks/ on sys.path for the test files here (they are not a package), so they `import nbtest`.
The lessons are in notebooks/ (LESSONS, the learner's folder, which holds nothing else); the smoke notebook is here.
"""
import datetime
import html
import json
import os
import platform
import re
import time

import nbformat
from nbclient import NotebookClient

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
LESSONS = os.path.join(REPO, "notebooks")
SMOKE = os.path.join(HERE, "smoke.ipynb")
KERNEL = "centerloss-xla-cpu"
# GoNB reports a cell program that panics or exits non-zero on stderr, and Jupyter does not count it as an error.
# A Go panic, a failed command, or Japanese pictures drawn in English for want of a font (language.PictureLanguage).
BAD_STDERR = ("panic", "exit status", "the pictures are in English")

CELL_TIMEOUT_S = 900
# The lessons' measured times, each with the reference of the machine that measured it (notebook.Reference):
# scripts/run-notebooks.py writes it beside the committed outputs; the notebook test and `make reference` read it.
TIMINGS_FILE = os.path.join(LESSONS, "data", "timings.json")
# One line of JSON per lesson the notebook test ran in this session: its time here, scaled, what it was checked against.
RESULTS = os.path.join(REPO, "out", "notebooks", "timings.jsonl")
# A lesson may take this much more than its promise, once its promise is scaled to this machine by the reference.
ALLOWANCE = 1.3

# Our kernels are in .venv/share/jupyter: prefer them over same-named ones in the user's home.
os.environ["JUPYTER_PREFER_ENV_PATH"] = "1"


def kernel_env(**extra: str) -> dict[str, str]:
    """The environment for a kernel the tests start (kernel.json's env is laid over it)."""
    return dict(os.environ, GOMLX_NO_AUTO_INSTALL="1", **extra)


# What a test's own cells import, after the lesson's set-up cell (GoNB keeps a cell's imports for the next cells).
IMPORTS = """import (
	"fmt"

	"github.com/centerloss/centerloss/centerloss"
	"github.com/centerloss/centerloss/centerloss/lab/notebook"
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


def execute(nb, cwd: str, session: str = "", timeout: int = CELL_TIMEOUT_S,
            kernel_log=None) -> tuple[list[str], float]:
    """Runs nb through our CPU kernel, in place; returns the problems found and the seconds it took. session is the
    notebook's path under notebooks/, which Jupyter's server gives the kernel as $JPY_SESSION_NAME (a lesson in ja/
    speaks Japanese by it). kernel_log, an open file, takes the kernel's own log (GoNB's), else it goes to stderr."""
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=timeout, startup_timeout=120,
                            resources={"metadata": {"path": cwd}})
    failure = None
    start = time.monotonic()
    try:  # env reaches the kernel, kernel.json's env laid over it; stderr is the kernel process's
        client.execute(env=kernel_env(JPY_SESSION_NAME=session), **({"stderr": kernel_log} if kernel_log else {}))
    except Exception as err:  # a cell error, a timeout, a dead kernel: stop there, report with the outputs so far
        failure = f"{type(err).__name__}: {str(err).strip().splitlines()[-1] if str(err).strip() else ''}"
    seconds = time.monotonic() - start
    return problems_in(nb) + ([failure] if failure else []), seconds


# ---- the machine's reference: how fast this machine runs the lessons' work (notebook.Reference) ----

REFERENCE_PREFIX = "centerloss reference: "  # notebook.ReferencePrefix


def machine() -> dict:
    """The processor and the cores this process may use (taskset and cgroups' cpusets narrow them)."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cpu": cpu, "cores": cores}


def time_reference(kernel_log=None) -> dict:
    """Times notebook.Reference in a cell of its own, after a lesson's set-up cell, through the lessons' kernel; the
    figures (reference_s and its parts) with this machine's processor, cores and the date."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in (
        setup_cells()[0], 'import "github.com/centerloss/centerloss/centerloss/lab/notebook"\n\n%%\n'
                          "notebook.Check(notebook.ShowReference())\n")])
    problems, _ = execute(nb, LESSONS, kernel_log=kernel_log)
    assert not problems, "the reference did not run:\n  " + "\n  ".join(problems)
    line = next((line for line in stream_text(nb.cells[-1]).splitlines() if line.startswith(REFERENCE_PREFIX)), None)
    assert line, "the reference printed no figures: " + stream_text(nb.cells[-1])
    figures = json.loads(line[len(REFERENCE_PREFIX):])
    return dict(figures, **machine(), date=datetime.date.today().isoformat())


def describe_reference(ref: dict) -> str:
    return f"{ref['reference_s']:.1f} s on {ref['cpu']}, {ref['cores']} cores, {ref['date']}"


def load_timings() -> dict:
    """notebooks/data/timings.json: {"lessons": {name: {"seconds": …, "reference": {…}}}}, or no lessons if none."""
    if not os.path.exists(TIMINGS_FILE):
        return {"lessons": {}}
    with open(TIMINGS_FILE, encoding="utf-8") as f:
        return json.load(f)


def promised_minutes(nb) -> int:
    """The minutes a lesson's first cell promises ("About N minutes", 「約N分」)."""
    match = re.search(r"About (\d+) minutes?|約 ?(\d+) ?分", nb.cells[0].source) if nb.cells else None
    assert match, "the first cell must say how long the notebook takes (\"About N minutes\", 「約N分」)"
    return int(match.group(1) or match.group(2))


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
