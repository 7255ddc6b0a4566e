"""Runs every notebooks/*.ipynb headless through the "Go (centerloss, XLA CPU)" kernel, and checks the compose file.

`make test-notebooks` runs it with the project's .venv (where `make lab-setup` installs nbclient and the kernels).
A notebook fails on any error output, on stderr that says `panic` or `exit status` (GoNB reports a cell program that
panics or exits non-zero there, and Jupyter itself does not count that as an error), and when a cell tagged `plot`
shows no PNG. The executed notebooks are kept in out/notebooks/ for a look.
"""
import glob
import os
import shutil
import subprocess

import nbformat
import pytest
import yaml
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

from nbtest import HERE, KERNEL, REPO, kernel_env, problems_in

NOTEBOOKS = sorted(glob.glob(os.path.join(HERE, "*.ipynb")))
CELL_TIMEOUT_S = 1200  # a notebook cell, with CENTERLOSS_QUICK=1, on a 2-core machine (the λ sweep takes ~5 min)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=os.path.basename)
def test_notebook_runs_clean(path):
    nb = nbformat.read(path, as_version=4)
    env = kernel_env(CENTERLOSS_QUICK="1")
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=CELL_TIMEOUT_S, startup_timeout=120,
                            resources={"metadata": {"path": HERE}})
    failure = None
    try:
        client.execute(env=env)  # env reaches the kernel; kernel.json's env is laid over it
    except Exception as err:  # a cell error, a timeout, a dead kernel: stop there, report with the outputs so far
        failure = f"{type(err).__name__}: {str(err).strip().splitlines()[-1] if str(err).strip() else ''}"
    finally:
        os.makedirs(os.path.join(REPO, "out", "notebooks"), exist_ok=True)
        nbformat.write(nb, os.path.join(REPO, "out", "notebooks", os.path.basename(path)))
    problems = problems_in(nb) + ([failure] if failure else [])
    assert not problems, f"{os.path.basename(path)}:\n  " + "\n  ".join(problems)


def test_there_are_notebooks():
    assert any(os.path.basename(p) == "00_smoke.ipynb" for p in NOTEBOOKS)


def test_kernels_are_installed_in_the_project():
    specs = KernelSpecManager().find_kernel_specs()
    for name in (KERNEL, "centerloss-xla-cuda"):
        assert name in specs, f"kernel {name} not found; run `make lab-setup`"
        spec = KernelSpecManager().get_kernel_spec(name)
        assert os.path.realpath(specs[name]).startswith(os.path.realpath(REPO)), specs[name]
        assert os.access(spec.argv[0], os.X_OK), spec.argv[0]
        assert spec.env["GOMLX_NO_AUTO_INSTALL"] == "1" and spec.env["CENTERLOSS_REPO"] == REPO
    cpu = KernelSpecManager().get_kernel_spec(KERNEL)
    assert cpu.env["GOMLX_BACKEND"] == "xla:cpu"
    assert os.path.exists(os.path.join(cpu.env["PJRT_PLUGIN_LIBRARY_PATH"], "pjrt_c_api_cpu_plugin.so"))


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


@pytest.mark.parametrize("profile", [[], ["--profile", "gpu"]], ids=["cpu", "gpu"])
def test_docker_compose_config_accepts_the_file(profile):
    command = compose_command() + ["-f", COMPOSE_FILE] + profile + ["config"]
    env = dict(os.environ, JUPYTER_TOKEN="a-test-token")
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO)
    assert done.returncode == 0, done.stderr
    config = yaml.safe_load(done.stdout)
    ports = published_ports(config)
    assert ports and all(host == "127.0.0.1" for _, host in ports), ports
    assert config["services"]["lab"]["environment"]["JUPYTER_TOKEN"] == "a-test-token"
    if profile:
        devices = config["services"]["lab-gpu"]["deploy"]["resources"]["reservations"]["devices"]
        assert devices[0]["driver"] == "nvidia" and "gpu" in devices[0]["capabilities"]

    # No token, no server: the compose file has no default for it.
    env.pop("JUPYTER_TOKEN")
    refused = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO)
    assert refused.returncode != 0 and "JUPYTER_TOKEN" in refused.stdout + refused.stderr
