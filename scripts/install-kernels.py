"""Install the centerloss GoNB kernels into the project's own Jupyter environment (never the user's home).

kernels/<name>/kernel.json are templates: paths differ per machine (and in the container), so they say @REPO@ (the
repository root: gonb, goimports and gopls in .bin, the PJRT plugins in .venv/pjrt, the checkout that notebooks
`replace` our module with) and @GOROOT@ (the Go that built them, on PATH even when Jupyter is started without it).
This writes them, filled in, to <venv>/share/jupyter/kernels/<name>/, which the venv's jupyter searches.

Usage: python install-kernels.py REPO_DIR VENV_DIR
"""
import json
import os
import subprocess
import sys


def main() -> int:
    repo, venv = (os.path.abspath(p) for p in sys.argv[1:3])
    goroot = subprocess.run(["go", "env", "GOROOT"], check=True, capture_output=True, text=True).stdout.strip()
    templates = os.path.join(repo, "kernels")
    names = sorted(n for n in os.listdir(templates) if os.path.isfile(os.path.join(templates, n, "kernel.json")))
    if not names:
        print(f"install-kernels: no kernels/*/kernel.json under {repo}", file=sys.stderr)
        return 1
    for name in names:
        with open(os.path.join(templates, name, "kernel.json"), encoding="utf-8") as f:
            text = f.read()
        # JSON-escape the paths before substituting, and parse the result: a broken spec fails here, not in Jupyter.
        for key, value in (("@REPO@", repo), ("@GOROOT@", goroot)):
            text = text.replace(key, json.dumps(value)[1:-1])
        spec = json.loads(text)
        spec.pop("metadata", None)
        dest = os.path.join(venv, "share", "jupyter", "kernels", name)
        os.makedirs(dest, exist_ok=True)
        tmp = os.path.join(dest, "kernel.json.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(spec, f, indent=2)
            f.write("\n")
        os.replace(tmp, os.path.join(dest, "kernel.json"))
        print(f"kernel {name} ({spec['display_name']}) -> {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
