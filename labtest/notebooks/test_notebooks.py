"""Runs every lesson (notebooks/*.ipynb, then notebooks/ja/*.ipynb when there is one) as a learner runs it, top to
bottom at full length, headless through the "Go (centerloss, XLA CPU)" kernel; then the smoke notebook, the exercise
cells with their solutions filled in, the lesson folder's contents and the compose file.

`make test-notebooks` runs it with the project's .venv (where `make lab-setup` installs nbclient and the kernels).
A notebook fails on any error output, on stderr that says `panic` or `exit status` (GoNB reports a cell program that
panics or exits non-zero there, and Jupyter itself does not count that as an error), and when a cell tagged `plot`
shows no PNG. The lessons run in their order, in one folder of models (runs/notebooks), since 4 and 5 start from
2's model. The executed notebooks are kept in out/notebooks/.

A lesson must keep the time it promises, on any machine: before the first lesson the test times the machine's
reference (notebook.Reference, in the lessons' kernel), and it checks each lesson's time against its promise scaled
by this machine's reference over the one recorded with the promise (notebooks/data/timings.json). Each check's
figures go to out/notebooks/timings.jsonl, and the end of the run prints them (conftest.py).
"""
import glob
import json
import os
import re
import shutil
import subprocess

import nbformat
import pytest
import yaml
from jupyter_client.kernelspec import KernelSpecManager

from nbtest import (ALLOWANCE, CELL_TIMEOUT_S, KERNEL, LESSONS, REPO, RESULTS, SMOKE, TIMINGS_FILE,
                    describe_reference, execute, load_timings, problems_in, promised_minutes, setup_cells,
                    stream_text, time_reference)

LESSON_FILES = [path for path in sorted(glob.glob(os.path.join(LESSONS, "[0-9][0-9]_*.ipynb"))) +
                sorted(glob.glob(os.path.join(LESSONS, "ja", "[0-9][0-9]_*.ipynb")))
                if os.path.basename(path) != "00_index.ipynb"]  # the index has no code
# A lesson promises "About N minutes" in its first cell: minutes on the machine that measured it, whose reference
# notebooks/data/timings.json records. Here its time is scaled to that machine by the two references.
LESSON_BUDGET_MIN, SERIES_BUDGET_MIN = 5, 25
# For the test of this test only: each lesson runs this many times in a row, all of them counted as its time (a
# lesson made that many times as slow, which the budget check must catch).
SLOWER = int(os.environ.get("CENTERLOSS_TEST_SLOWER", "1"))
OUT = os.path.dirname(RESULTS)
# What the library prints in English lessons (a widget run headless, the worked update, the checker), never in ja/.
ENGLISH_LINES = ("the sliders move in JupyterLab", "nobody chooses", "center c = ", "computed by centerloss",
                 "returns nil", "steps from step", "trains in its place", "side by side")


@pytest.fixture(scope="session")
def references() -> list[dict]:
    """This machine's reference, timed before the first lesson runs (one more is added if a lesson is over)."""
    os.makedirs(OUT, exist_ok=True)
    if os.path.exists(RESULTS):
        os.remove(RESULTS)
    return [time_reference()]


def recorded_reference(name: str) -> dict:
    """The reference of the machine that measured the lesson's promise, as notebooks/data/timings.json records it."""
    recorded = load_timings()["lessons"].get(name)
    assert recorded, f"{TIMINGS_FILE} has no measured time for {name}: run `make notebooks`"
    return recorded["reference"]


def budget_check(name: str, promised: int, seconds: float, here: dict, there: dict) -> dict:
    """A lesson's time here against its promise, scaled by this machine's reference (here) over the reference of the
    machine that measured the promise (there)."""
    speed = here["reference_s"] / there["reference_s"]  # > 1: this machine is slower than the one that measured
    return {"lesson": name, "seconds": round(seconds, 1), "scaled_s": round(seconds / speed, 1),
            "promised_min": promised, "allowed_s": round(promised * 60 * ALLOWANCE * speed, 1),
            "ok": seconds / speed <= promised * 60 * ALLOWANCE, "slower": SLOWER, "here": here, "there": there}


def test_budget_check_scales_the_promise_by_the_references():
    here, there = {"reference_s": 30.0}, {"reference_s": 20.0}  # this machine 1.5× slower: 2 min allow 2·60·1.3·1.5
    at_the_limit = budget_check("x", 2, 234.0, here, there)
    assert at_the_limit["ok"] and at_the_limit["allowed_s"] == 234
    assert not budget_check("x", 2, 235.0, here, there)["ok"]
    assert budget_check("x", 2, 235.0, here, there)["scaled_s"] == round(235 / 1.5, 1)
    assert not budget_check("x", 2, 100.0, there | {"reference_s": 10.0}, there)["ok"]  # 2× faster: 78 s allowed


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: os.path.relpath(p, LESSONS))
def test_lesson_runs_clean_within_its_time(path, references):
    promised = promised_minutes(nbformat.read(path, as_version=4))
    name = os.path.relpath(path, LESSONS)
    there = recorded_reference(name)
    speed = references[0]["reference_s"] / there["reference_s"]
    seconds = 0.0
    for _ in range(SLOWER):
        nb = nbformat.read(path, as_version=4)
        problems, took = execute(nb, os.path.dirname(path), name, timeout=round(CELL_TIMEOUT_S * max(1.0, speed)))
        seconds += took
        if problems:
            break
    os.makedirs(os.path.join(OUT, os.path.dirname(name)), exist_ok=True)
    nbformat.write(nb, os.path.join(OUT, name))
    assert not problems, f"{name}:\n  " + "\n  ".join(problems)
    assert promised <= LESSON_BUDGET_MIN, \
        f"{name} promises {promised} minutes, over the {LESSON_BUDGET_MIN}-minute lesson"
    check = budget_check(name, promised, seconds, references[0], there)
    if not check["ok"]:  # the machine may have slowed down since the first reference: time it again, beside
        references.append(time_reference())
        check = budget_check(name, promised, seconds, max(references, key=lambda r: r["reference_s"]), there)
    with open(RESULTS, "a", encoding="utf-8") as f:
        f.write(json.dumps(check, ensure_ascii=False) + "\n")
    assert check["ok"], (
        f"{name} took {seconds:.0f} s here, {check['scaled_s']:.0f} s on the machine of its promise "
        f"({describe_reference(check['there'])}; here {describe_reference(check['here'])}): it promises {promised} "
        f"minutes, {ALLOWANCE}× allowed")
    if name.startswith("ja/"):  # the library's own lines speak Japanese there too (language.Say)
        said = "".join(stream_text(cell) for cell in nb.cells if cell.cell_type == "code")
        for english in ENGLISH_LINES:
            assert english not in said, f"{name}: the library said {english!r} in English"
    exercises = tagged(nb, "exercise")
    for cell in exercises:  # committed as skeletons: the checker says what is missing, and the notebook goes on
        assert "✗" in stream_text(cell) and "nil" in stream_text(cell), stream_text(cell)
    for cell in tagged(nb, "trains-your-code"):  # … and the training cell trains with the library's functions
        said = stream_text(cell)
        assert "✗" in said and "nil" in said and "✓" not in said and "LeNet++" not in said, said


@pytest.mark.parametrize("edition", ["", "ja"], ids=["en", "ja"])
def test_the_series_fits_a_class(edition):
    lessons = [name for name in (os.path.relpath(p, LESSONS) for p in LESSON_FILES) if os.path.dirname(name) == edition]
    promised = sum(promised_minutes(nbformat.read(os.path.join(LESSONS, name), as_version=4)) for name in lessons)
    assert promised <= SERIES_BUDGET_MIN, f"the {edition or 'en'} lessons promise {promised} minutes in all"
    ran = {}
    if os.path.exists(RESULTS):
        with open(RESULTS, encoding="utf-8") as f:
            ran = {check["lesson"]: check for check in map(json.loads, f)}
    if not all(name in ran for name in lessons):
        pytest.skip("not every lesson of the series ran in this session")
    scaled = sum(ran[name]["scaled_s"] for name in lessons)
    assert scaled <= SERIES_BUDGET_MIN * 60 * ALLOWANCE, \
        f"the {edition or 'en'} series took {scaled:.0f} s scaled to the machine of its promises"


def solution(name: str) -> str:
    """The solution's Go source as exercise.Solution gives it: the function and its doc comment in solution.go."""
    with open(os.path.join(REPO, "centerloss", "lab", "exercise", "solution.go"), encoding="utf-8") as f:
        source = f.read()
    match = re.search(r"((?://[^\n]*\n)*)func " + name + r"\(.*?\n}\n", source, re.S)
    assert match, f"no func {name} in solution.go"
    return match.group(0)


def fill_in(cell_source: str) -> str:
    """An exercise cell with its skeleton function replaced by the solution of the same name."""
    match = re.search(r"(?:// Exercise[^\n]*\n(?://[^\n]*\n)*)?func (\w+)\(.*?\n}\n", cell_source, re.S)
    assert match, cell_source
    return cell_source[:match.start()] + solution(match.group(1)) + cell_source[match.end():]


def tagged(nb, tag: str) -> list:
    """The notebook's cells that carry tag."""
    return [cell for cell in nb.cells if tag in cell.get("metadata", {}).get("tags", [])]


@pytest.mark.parametrize("path", [p for p in LESSON_FILES if "exercise" in open(p, encoding="utf-8").read()],
                         ids=lambda p: os.path.relpath(p, LESSONS))
def test_exercises_filled_in_say_ok(path):
    """The exercise cells with the solutions filled in, then the cell that trains LeNet++ with them: each says ✓
    (the training cell: the learner's run has the library's losses at every step)."""
    nb = nbformat.read(path, as_version=4)
    exercises = tagged(nb, "exercise")
    assert exercises, "no cell tagged exercise"
    assert tagged(nb, "trains-your-code"), "no cell tagged trains-your-code"
    filled = nbformat.v4.new_notebook(metadata=nb.metadata, cells=[nbformat.v4.new_code_cell(setup_cells()[0])] + [
        nbformat.v4.new_code_cell(fill_in(cell.source)) for cell in exercises] + [
        nbformat.v4.new_code_cell(cell.source) for cell in tagged(nb, "trains-your-code")])
    problems, _ = execute(filled, os.path.dirname(path), os.path.relpath(path, LESSONS))
    assert not problems, problems
    for cell in filled.cells[1:]:
        assert "✓" in stream_text(cell), stream_text(cell)


def test_smoke_notebook_runs_clean():
    nb = nbformat.read(SMOKE, as_version=4)
    problems, _ = execute(nb, os.path.dirname(SMOKE))
    assert not problems, problems


def test_lesson_folder_holds_lessons_their_data_and_an_index():
    allowed = re.compile(r"^(\d\d_[a-z0-9_]+\.ipynb|data|ja)$")
    strays = [name for name in os.listdir(LESSONS) if not name.startswith(".") and not allowed.match(name)]
    assert not strays, f"notebooks/ is the learner's folder: move {strays} elsewhere"
    for folder in [LESSONS] + ([os.path.join(LESSONS, "ja")] if os.path.isdir(os.path.join(LESSONS, "ja")) else []):
        index = nbformat.read(os.path.join(folder, "00_index.ipynb"), as_version=4)
        text = "\n".join(cell.source for cell in index.cells)
        for path in LESSON_FILES:
            if os.path.dirname(path) == folder:
                name = os.path.basename(path)
                listed = re.search(re.escape(name) + r"\).*?(\d+) min", text)
                assert listed, f"{folder}/00_index.ipynb does not list {name} with its time"
                promised = promised_minutes(nbformat.read(path, as_version=4))
                assert int(listed.group(1)) == promised, \
                    f"{folder}/00_index.ipynb lists {name} at {listed.group(1)} min, its first cell promises {promised}"


def test_kernels_are_installed_in_the_project():
    specs = KernelSpecManager().find_kernel_specs()
    for name in (KERNEL, "centerloss-xla-cuda"):
        assert name in specs, f"kernel {name} not found; run `make lab-setup`"
        spec = KernelSpecManager().get_kernel_spec(name)
        assert os.path.realpath(specs[name]).startswith(os.path.realpath(REPO)), specs[name]
        assert os.access(spec.argv[0], os.X_OK) and os.access(spec.argv[1], os.X_OK), spec.argv[:2]
        assert spec.env["GOMLX_NO_AUTO_INSTALL"] == "1" and spec.env["CENTERLOSS_REPO"] == REPO
    cpu = KernelSpecManager().get_kernel_spec(KERNEL)
    assert cpu.env["GOMLX_BACKEND"] == "xla:cpu"
    assert os.path.exists(os.path.join(cpu.env["PJRT_PLUGIN_LIBRARY_PATH"], "pjrt_c_api_cpu_plugin.so"))


def test_lesson_kernel_speaks_the_folders_language():
    """The kernels start GoNB through kernels/lesson-kernel.sh, which turns a notebook's path in a ja folder (Jupyter's
    $JPY_SESSION_NAME) into CENTERLOSS_LANG=ja; the library itself never reads the path. Only the notebook's own
    folder counts (a checkout under /home/ja stays English). A language set is kept."""
    launcher = KernelSpecManager().get_kernel_spec(KERNEL).argv[0]
    assert os.path.basename(launcher) == "lesson-kernel.sh", launcher
    for session, preset, want in (("notebooks/ja/03_center_loss_theory.ipynb", None, "ja"),
                                  ("/home/teacher/centerloss/notebooks/ja/01.ipynb", None, "ja"),
                                  ("notebooks/03_center_loss_theory.ipynb", None, ""), ("jazz/01.ipynb", None, ""),
                                  ("/home/ja/centerloss/notebooks/01.ipynb", None, ""),
                                  ("", None, ""), ("notebooks/ja/01.ipynb", "en", "en")):
        env = {k: v for k, v in os.environ.items() if k not in ("CENTERLOSS_LANG", "JPY_SESSION_NAME")}
        env["JPY_SESSION_NAME"] = session
        if preset is not None:
            env["CENTERLOSS_LANG"] = preset
        got = subprocess.run([launcher, "sh", "-c", 'printf %s "${CENTERLOSS_LANG:-}"'], env=env, check=True,
                             capture_output=True, text=True).stdout
        assert got == want, f"JPY_SESSION_NAME={session!r}, CENTERLOSS_LANG={preset!r}: {got!r}, want {want!r}"


def test_problems_in_catches_each_fault():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output("error", ename="ERROR", evalue="boom")]),
        nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output("stream", name="stderr", text="panic: x\n")]),
        nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output("stream", name="stderr", text="exit status 2\n")]),
        nbformat.v4.new_code_cell(metadata={"tags": ["plot"]},
                                  outputs=[nbformat.v4.new_output("display_data", data={"text/plain": "x"})]),
        nbformat.v4.new_code_cell(metadata={"tags": ["plot"]},
                                  outputs=[nbformat.v4.new_output("display_data", data={"image/png": "iVBO"})]),
        nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output("stream", name="stdout", text="ok\n")]),
    ])
    problems = problems_in(nb)
    assert [p.split(":")[0] for p in problems] == ["cell 0 (%s)" % nb.cells[0].id, "cell 1 (%s)" % nb.cells[1].id,
                                                   "cell 2 (%s)" % nb.cells[2].id, "cell 3 (%s)" % nb.cells[3].id]


def test_fill_in_replaces_the_skeleton_with_the_solution():
    cell = 'import "x"\n\n// Exercise 1. comment\nfunc myCenterLoss(x, y, c *graph.Node) *graph.Node {\n\treturn nil\n}\n\n%%\ncheck()\n'
    filled = fill_in(cell)
    assert "return nil" not in filled and "graph.ReduceAllMean" in filled and filled.endswith("%%\ncheck()\n")


# ---- docker-compose.yml ----

COMPOSE_FILE = os.path.join(REPO, "docker-compose.yml")


def published_ports(config) -> list[tuple[str, str]]:
    """(service, host address) of every published port; short ("127.0.0.1:8888:8888") and long syntax."""
    found = []
    for name, service in config["services"].items():
        for port in service.get("ports", []):
            if isinstance(port, dict):
                found.append((name, port.get("host_ip", "")))
            else:
                parts = str(port).split(":")
                found.append((name, parts[0] if len(parts) == 3 else ""))
    return found


def test_compose_publishes_on_loopback_only():
    with open(COMPOSE_FILE, encoding="utf-8") as f:
        ports = published_ports(yaml.safe_load(f))
    assert ports and all(host == "127.0.0.1" for _, host in ports), ports


def compose_command():
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    pytest.skip("no docker-compose (Debian: apt-get install docker-compose)")


@pytest.mark.parametrize("profile", [[], ["--profile", "gpu"], ["--profile", "hub"]], ids=["cpu", "gpu", "hub"])
def test_docker_compose_config_accepts_the_file(profile):
    command = compose_command() + ["-f", COMPOSE_FILE] + profile + ["config"]
    env = dict(os.environ, JUPYTER_TOKEN="a-test-token")
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO)
    assert done.returncode == 0, done.stderr
    config = yaml.safe_load(done.stdout)
    ports = published_ports(config)
    assert ports and all(host == "127.0.0.1" for _, host in ports), ports
    assert config["services"]["lab"]["environment"]["JUPYTER_TOKEN"] == "a-test-token"
    if "gpu" in profile:
        devices = config["services"]["lab-gpu"]["deploy"]["resources"]["reservations"]["devices"]
        assert devices[0]["driver"] == "nvidia" and "gpu" in devices[0]["capabilities"]
    if "hub" in profile:  # the hub starts learners' containers of the lab image, limited, on its own network
        hub = config["services"]["hub"]
        assert hub["environment"]["CENTERLOSS_HUB_IMAGE"] == config["services"]["lab"]["image"]
        assert hub["environment"]["CENTERLOSS_HUB_MEM_LIMIT"] and hub["environment"]["CENTERLOSS_HUB_CPU_LIMIT"]
        assert hub["environment"]["CENTERLOSS_HUB_NETWORK"] in config["networks"]

    # No token, no server: the compose file has no default for it.
    env.pop("JUPYTER_TOKEN")
    refused = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO)
    assert refused.returncode != 0 and "JUPYTER_TOKEN" in refused.stdout + refused.stderr


# ---- the Japanese edition ----

JAPANESE = sorted(glob.glob(os.path.join(LESSONS, "ja", "*.ipynb")))


def japanese_share(text: str) -> float:
    """The share of kana and kanji among the letters of text, formulas, code and links left out."""
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$|`[^`]*`|\]\([^)]*\)|https?://\S+", " ", text, flags=re.S)
    letters = [ch for ch in text if ch.isalpha()]
    japanese = [ch for ch in letters if "\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" or ch == "々"]
    return len(japanese) / max(1, len(letters))


def test_every_lesson_has_its_japanese_edition():
    if not JAPANESE:
        pytest.skip("no notebooks/ja yet")
    english = sorted(os.path.basename(p) for p in glob.glob(os.path.join(LESSONS, "*.ipynb")))
    assert sorted(os.path.basename(p) for p in JAPANESE) == english


@pytest.mark.parametrize("path", JAPANESE, ids=os.path.basename)
def test_japanese_edition_runs_the_english_code_and_speaks_japanese(path):
    ja = nbformat.read(path, as_version=4)
    en = nbformat.read(os.path.join(LESSONS, os.path.basename(path)), as_version=4)
    code = lambda nb: [(cell.source, cell.get("metadata", {}).get("tags", [])) for cell in nb.cells
                       if cell.cell_type == "code"]
    assert code(ja) == code(en), "the Japanese code cells must be the English ones, cell by cell"
    for index, cell in enumerate(ja.cells):
        if cell.cell_type == "markdown":
            share = japanese_share(cell.source)
            assert share >= 0.6, f"markdown cell {index} is {100 * share:.0f} % kana and kanji: {cell.source[:120]!r}"


def test_japanese_share_tells_the_languages_apart():
    assert japanese_share("埋め込み空間では、同じクラスの特徴ベクトルが近くに集まります。") > 0.95
    assert japanese_share("In the embedding space, features of one class gather.") == 0
    assert japanese_share("損失 $L = L_S + \\lambda L_C$ と `centerloss.Lambda`") == 1
