"""What each learner gets on the class hub: their environment, and their own copy of the lessons.

Also a command, for a learner's container (scripts/container-singleuser.sh):
  python hub/learners.py copy NOTEBOOKS_DIR DEST   copies both editions of the lessons to DEST, once.
"""
import json
import os
import pwd
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checked import checked  # noqa: E402

LESSONS = "centerloss"  # the folder in each home that JupyterLab opens: both editions of the lessons


def environment(repo: str, venv: str, modcache: str, go: str | None) -> dict:
    """A learner server's environment: the checkout's tools first, Go's module cache shared and read-only."""
    if not go:
        raise SystemExit("make hub: no go on PATH (the lessons compile Go; install Go 1.26)")
    goroot = os.path.dirname(os.path.dirname(os.path.realpath(go)))
    return {
        "PATH": os.pathsep.join([os.path.join(repo, ".bin"), os.path.join(goroot, "bin"), os.path.join(venv, "bin"),
                                 "/usr/local/bin", "/usr/bin", "/bin"]),
        # Filled by `make hub-setup` from this checkout's modules: a learner's `go` only reads it, never downloads
        # (GOPROXY=off), and GOSUMDB is off because every module in it was checked against go.sum when it was filled.
        "GOMODCACHE": modcache,
        "GOPROXY": "off",
        "GOSUMDB": "off",
        "GOTOOLCHAIN": "local",
        "GOMLX_NO_AUTO_INSTALL": "1",
        "JUPYTER_PREFER_ENV_PATH": "1",  # our kernels, in the hub's venv, over any in the learner's home
        # The lessons' models (notebook.RunDir) in the learner's lessons folder, not the shared checkout's runs/.
        "CENTERLOSS_RUNS": lambda spawner: os.path.join(pwd.getpwnam(spawner.user.name).pw_dir, LESSONS, "runs"),
    }


def copy_lesson(source: str, dest: str) -> None:
    """A lesson as committed (its pictures and results shown), less the checker's verdicts: the learner's own come
    when they run their exercises, and the class report (hub/class-report.py) reads only those."""
    with open(source, encoding="utf-8") as f:
        nb = json.load(f)
    for cell in nb.get("cells", []):
        if checked(cell):
            cell["outputs"], cell["execution_count"] = [], None
    with open(dest, "w", encoding="utf-8") as f:
        json.dump(nb, f, ensure_ascii=False, indent=1)
        f.write("\n")


def copy_lessons(notebooks: str, dest: str, owner: pwd.struct_passwd | None = None) -> bool:
    """Both editions (notebooks/*.ipynb, notebooks/ja/*.ipynb) into dest, unless it is there already (the learner's
    own, never overwritten); made beside it first and renamed, so that a failed copy leaves no half a folder."""
    if os.path.exists(dest):
        return False
    staging = dest + ".new"
    shutil.rmtree(staging, ignore_errors=True)
    for sub in ("", "ja"):
        os.makedirs(os.path.join(staging, sub), exist_ok=True)
        for entry in sorted(os.listdir(os.path.join(notebooks, sub))):
            if entry.endswith(".ipynb"):
                copy_lesson(os.path.join(notebooks, sub, entry), os.path.join(staging, sub, entry))
    if owner:
        for root, dirs, files in os.walk(staging):
            for entry in [root] + [os.path.join(root, f) for f in dirs + files]:
                os.chown(entry, owner.pw_uid, owner.pw_gid)
    os.rename(staging, dest)
    return True


def link_build_cache(seed: str, dest: str, owner: pwd.struct_passwd) -> bool:
    """The learner's Go build cache, started as hard links to the seed's entries (hub/seed_gocache.py), unless they
    have one already. Its folders are theirs, the seed's files stay root's (readable, not writable): what they
    compile anew lands beside them. Go's own bookkeeping files (README, trim.txt) are left for it to write."""
    if os.path.exists(dest) or not os.path.isdir(seed):
        return False
    staging = dest + ".new"
    shutil.rmtree(staging, ignore_errors=True)
    for root, _, files in os.walk(seed):
        rel = os.path.relpath(root, seed)
        if rel == ".":
            os.makedirs(staging)
        else:
            os.mkdir(os.path.join(staging, rel))
            for name in files:
                try:
                    os.link(os.path.join(root, name), os.path.join(staging, rel, name))
                except OSError:  # homes on another file system than the seed: a copy, theirs
                    shutil.copy2(os.path.join(root, name), os.path.join(staging, rel, name))
                    os.chown(os.path.join(staging, rel, name), owner.pw_uid, owner.pw_gid)
        os.chown(os.path.join(staging, rel), owner.pw_uid, owner.pw_gid)
    for parent in (os.path.dirname(dest), os.path.dirname(os.path.dirname(dest))):  # ~/.cache
        if parent.startswith(owner.pw_dir + os.sep):
            os.makedirs(parent, exist_ok=True)
            os.chown(parent, owner.pw_uid, owner.pw_gid)
    os.rename(staging, dest)
    return True


def prepare_home(name: str, repo: str, seed: str) -> None:
    """Makes the learner's home private and, at their first start, copies the lessons into it and starts their Go
    build cache from the seed."""
    user = pwd.getpwnam(name)
    os.chmod(user.pw_dir, 0o700)
    copy_lessons(os.path.join(repo, "notebooks"), os.path.join(user.pw_dir, LESSONS), user)
    link_build_cache(seed, os.path.join(user.pw_dir, ".cache", "go-build"), user)


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] != "copy":
        sys.exit("usage: python hub/learners.py copy NOTEBOOKS_DIR DEST")
    copy_lessons(sys.argv[2], sys.argv[3])
