"""The Go build cache that every learner's own starts from (`make hub-setup`; hub/learners.py links it in).

A learner's first lesson compiles GoMLX, XLA's bindings, gonum and our packages: about a minute of both cores alone,
and thirty learners starting a class at once would compile it thirty times. So this builds, once, what the lessons'
cells import, exactly as GoNB builds a cell (a module whose go.mod scripts/notebook-setup.sh wrote, `go build`), in
the learners' environment (the shared module cache, which its set-up completes from the module proxy), into a
cache of its own. Each learner's cache
($HOME/.cache/go-build) then starts as hard links to its files: no copy, and since the files stay root's, a learner
can read them but not change what another reads; whatever they compile anew goes into their own cache beside.

Usage: python hub/seed_gocache.py REPO SEED_DIR MODCACHE
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import learners  # noqa: E402


def lesson_imports(notebooks: str) -> list[str]:
    """Every package a lesson's code cell imports (both editions run the same code)."""
    found = {"flag"}  # GoNB's main() calls flag.Parse
    for path in glob.glob(os.path.join(notebooks, "*.ipynb")):
        with open(path, encoding="utf-8") as f:
            cells = json.load(f)["cells"]
        for cell in cells:
            if cell["cell_type"] == "code":
                source = "".join(cell["source"])
                for block in re.findall(r"^import \((.*?)^\)", source, re.S | re.M):
                    found.update(re.findall(r'"([^"]+)"', block))
                found.update(re.findall(r'^import (?:\w+ )?"([^"]+)"', source, re.M))
    return sorted(found)


def main() -> int:
    repo, seed, modcache = (os.path.abspath(p) for p in sys.argv[1:4])
    learner = learners.environment(repo, "", modcache, shutil.which("go"))
    learner = {k: v for k, v in learner.items() if isinstance(v, str)}  # not the per-learner ones
    env = dict(os.environ, **learner,
               CENTERLOSS_REPO=repo, GOCACHE=seed)
    with tempfile.TemporaryDirectory(prefix="gonb_seed_") as work:
        subprocess.run(["go", "mod", "init", "gonb_seed"], cwd=work, env=env, check=True, capture_output=True)
        # The set-up as a lesson's first cell runs it, but with go's own GOPROXY and GOSUMDB (the module proxy, not
        # off): what `go get` needs beyond the modules' build lists lands in the shared cache, checked.
        online = {k: v for k, v in env.items() if k not in ("GOPROXY", "GOSUMDB")}
        subprocess.run(["bash", os.path.join(repo, "scripts", "notebook-setup.sh")], cwd=work, env=online, check=True)
        with open(os.path.join(work, "main.go"), "w", encoding="utf-8") as f:
            f.write("package main\n\nimport (\n" + "".join(f'\t_ "{p}"\n' for p in lesson_imports(
                os.path.join(repo, "notebooks"))) + ")\n\nfunc main() {}\n")
        # GoNB adds the modules of a cell's imports to go.mod itself; tidy does it here, at the same versions.
        subprocess.run(["go", "mod", "tidy"], cwd=work, env=online, check=True)
        subprocess.run(["go", "build", "-o", os.path.join(work, "seed"), "."], cwd=work, env=env, check=True)
    for root, dirs, files in os.walk(seed):  # readable by every learner; written by none
        os.chmod(root, 0o755)
        for name in files:
            os.chmod(os.path.join(root, name), 0o644)
    print(f"seed-gocache: {sum(len(f) for _, _, f in os.walk(seed))} files in {seed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
