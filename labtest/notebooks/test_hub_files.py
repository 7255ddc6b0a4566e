"""The class hub's files that no test here can run: the Kubernetes values (no cluster here) and the containers'
start (no Docker engine), checked for what can be checked without them; and the cgroup limits' arithmetic.
docker-compose.yml's hub service is checked by `docker-compose config` in test_notebooks.py.
"""
import os
import re
import sys

import yaml

from nbtest import REPO

sys.path.insert(0, os.path.join(REPO, "hub"))
import limits  # noqa: E402 (hub/limits.py)

VALUES = os.path.join(REPO, "hub", "values.yaml")
CONTAINER_START = os.path.join(REPO, "scripts", "container-singleuser.sh")


def test_kubernetes_values_start_our_image_as_the_hub_expects():
    with open(VALUES, encoding="utf-8") as f:
        values = yaml.safe_load(f)
    single = values["singleuser"]
    # The command is the image's script (the image's WORKDIR is the checkout), executable, and the learner's
    # volume is mounted where that script copies the lessons.
    assert os.access(os.path.join(REPO, single["cmd"]), os.X_OK), single["cmd"]
    with open(CONTAINER_START, encoding="utf-8") as f:
        start = f.read()
    assert single["storage"]["homeMountPath"] in start
    assert single["storage"]["type"] == "dynamic" and single["storage"]["capacity"]
    assert single["cpu"]["limit"] and single["memory"]["limit"]
    assert values["cull"]["enabled"] and values["cull"]["timeout"] > 0
    assert values["hub"]["config"]["JupyterHub"]["authenticator_class"] == "native"
    assert values["proxy"]["https"]["enabled"]
    with open(os.path.join(REPO, "docker", "Dockerfile"), encoding="utf-8") as f:
        dockerfile = f.read()
    assert re.search(r"useradd -m -u 1000 lab", dockerfile) and single["uid"] == 1000
    assert "requirements-hub.txt" in dockerfile, "the image must have jupyterhub-singleuser"


def test_the_values_login_shim_is_the_hubs():
    """The extraConfig's NativeAuthenticator shim compiles and does what hub/classauth.py does."""
    snippet = yaml.safe_load(open(VALUES, encoding="utf-8"))["hub"]["extraConfig"]["centerloss-native"]
    compile(snippet, "values.yaml:hub.extraConfig", "exec")
    for piece in ("class LoginHandler(handlers.LoginHandler)", "statsd = _NoStatsd()", 'p == r"/login"'):
        assert piece in snippet, piece


def test_cgroup_limits_v1_and_v2():
    v2 = {"memory": "/sys/fs/cgroup/x/centerloss-amy", "cpu": "/sys/fs/cgroup/x/centerloss-amy"}
    assert limits.limit_files(3 * 1024**3, 1.5, v2) == {
        "/sys/fs/cgroup/x/centerloss-amy/memory.max": str(3 * 1024**3),
        "/sys/fs/cgroup/x/centerloss-amy/cpu.max": "150000 100000"}
    v1 = {"memory": "/sys/fs/cgroup/memory/centerloss-amy", "cpu": "/sys/fs/cgroup/cpu/centerloss-amy"}
    assert limits.limit_files(None, 0.5, v1) == {
        "/sys/fs/cgroup/cpu/centerloss-amy/cpu.cfs_period_us": "100000",
        "/sys/fs/cgroup/cpu/centerloss-amy/cpu.cfs_quota_us": "50000"}
    assert limits.limit_files(None, None, v1) == {}
