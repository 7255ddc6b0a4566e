"""The class server (`make hub`): JupyterHub for a room of learners, each a Unix account of their own.

A learner signs up on the hub's own page (/hub/signup) and the teacher approves them (/hub/authorize), or the
teacher gives a class list whose names are approved at sign-up; at the first login the hub creates the learner's
Unix account, with a private home (0700). Their server runs as them, through scripts/reaper.py (nothing of it is left
once it stops); it opens JupyterLab on ~/centerloss, where both editions of the lessons are copied at first start, so
that a learner's edits reach nobody else. Their Go build cache is in their home; the Go module cache (MNIST
included) and this checkout are shared, read-only.

The teacher's settings, read from the environment (README, "Teaching a class"):
  CENTERLOSS_HUB_TEACHER     the teacher's (the hub admin's) user name; default "teacher". There is no default
                             password: the teacher signs up under this name, before giving the address to the class.
  CENTERLOSS_HUB_IP, _PORT   where the hub listens; default 127.0.0.1:8000 (loopback only). Its API and its proxy's
                             listen on loopback, always: CENTERLOSS_HUB_API_PORT (8081), _PROXY_API_PORT (8001).
  CENTERLOSS_HUB_SSL_CERT, CENTERLOSS_HUB_SSL_KEY
                             a TLS certificate and its key: needed before listening on any other address.
  CENTERLOSS_HUB_CLASS_LIST  a file of user names, one per line: these need no approval after signing up.
  CENTERLOSS_HUB_HOMES       where learners' homes are made; default /home.
  CENTERLOSS_HUB_MEM_LIMIT   memory per learner, e.g. 2G; CENTERLOSS_HUB_CPU_LIMIT: cores per learner, e.g. 1.
                             The local spawner enforces them with cgroups where /sys/fs/cgroup lets it (hub/limits.py).
  CENTERLOSS_HUB_IDLE_TIMEOUT
                             seconds without activity after which a learner's server is stopped; default 3600.
  CENTERLOSS_HUB_SPAWNER     "local" (default): learners as Unix accounts of this machine; "docker": a container each
                             (docker-compose.yml's hub service sets it, and the settings below it marks).
  CENTERLOSS_HUB_STATE       the hub's own files: private/ (database, cookie secret), and what `make hub-setup`
                             fills: gomodcache/ (the shared Go module cache) and gocache-seed/ (the build cache each
                             learner's starts from); default .hub in this checkout.
"""
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(__file__))
import learners  # noqa: E402 (hub/learners.py, beside this file)
import limits  # noqa: E402
from classauth import ClassAuthenticator, NativeClassAuthenticator, templates  # noqa: E402

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(REPO, ".venv-hub")  # make hub-setup's: a Python every learner can run
STATE = os.path.abspath(os.environ.get("CENTERLOSS_HUB_STATE", os.path.join(REPO, ".hub")))
env = os.environ.get
DOCKER = env("CENTERLOSS_HUB_SPAWNER", "local") == "docker"
if env("CENTERLOSS_HUB_SPAWNER", "local") not in ("local", "docker"):
    raise SystemExit(f"CENTERLOSS_HUB_SPAWNER={env('CENTERLOSS_HUB_SPAWNER')}: say local or docker")


# ---- Who may come in ----
c.JupyterHub.authenticator_class = NativeClassAuthenticator if DOCKER else ClassAuthenticator
teacher = env("CENTERLOSS_HUB_TEACHER", "teacher").strip()
c.Authenticator.admin_users = {teacher}
# JupyterHub's own allow-list lets everyone through to NativeAuthenticator, which lets in only those approved (or on
# the class list), with their password.
c.Authenticator.allow_all = True
class_list = env("CENTERLOSS_HUB_CLASS_LIST")
if class_list:
    try:
        with open(class_list, encoding="utf-8") as f:
            names = {line.strip().lower() for line in f if line.strip() and not line.startswith("#")}
    except OSError as e:
        raise SystemExit(f"CENTERLOSS_HUB_CLASS_LIST: cannot read {class_list}: {e.strerror}")
    c.Authenticator.allowed_users = names
c.NativeAuthenticator.minimum_password_length = 8
c.NativeAuthenticator.check_common_password = True
c.NativeAuthenticator.allow_2fa = False
# Learner names become Unix account names.
c.Authenticator.username_pattern = r"^[a-z][a-z0-9_-]{0,30}$"
c.LocalAuthenticator.create_system_users = True
homes = os.path.abspath(env("CENTERLOSS_HUB_HOMES", "/home"))
# A private home (UMASK 077 makes it 0700), a group of its own, no password (the hub's login is the only way in).
c.LocalAuthenticator.add_user_cmd = [
    "useradd", "--create-home", "--base-dir", homes, "--key", "UMASK=077", "--user-group", "--shell", "/bin/bash"]
c.JupyterHub.template_paths = [templates()]

# ---- Where it listens ----
c.JupyterHub.ip = env("CENTERLOSS_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(env("CENTERLOSS_HUB_PORT", "8000"))
cert, key = env("CENTERLOSS_HUB_SSL_CERT"), env("CENTERLOSS_HUB_SSL_KEY")
if cert or key:
    c.JupyterHub.ssl_cert, c.JupyterHub.ssl_key = cert, key
elif c.JupyterHub.ip not in ("127.0.0.1", "localhost", "::1") and not DOCKER:  # Docker: published on loopback
    raise SystemExit(f"CENTERLOSS_HUB_IP={c.JupyterHub.ip}: a hub on another address than loopback needs "
                     "CENTERLOSS_HUB_SSL_CERT and CENTERLOSS_HUB_SSL_KEY (passwords must not cross a network in clear)")
c.JupyterHub.hub_ip = "0.0.0.0" if DOCKER else "127.0.0.1"  # its API, for the proxy and the learners' servers
c.JupyterHub.hub_port = int(env("CENTERLOSS_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:" + env("CENTERLOSS_HUB_PROXY_API_PORT", "8001")
c.ConfigurableHTTPProxy.command = [os.path.join(REPO, "hub", "node_modules", ".bin", "configurable-http-proxy")]
# The database (password hashes, tokens) and the cookie secret in a folder only root can read: learners run code.
PRIVATE = os.path.join(STATE, "private")
os.makedirs(PRIVATE, mode=0o700, exist_ok=True)
os.chmod(PRIVATE, 0o700)
c.JupyterHub.db_url = "sqlite:///" + os.path.join(PRIVATE, "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(PRIVATE, "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = os.path.join(PRIVATE, "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = os.path.join(PRIVATE, "jupyterhub-proxy.pid")
# Stopping the hub stops every learner's server (and, through the reaper, all that they started).
c.JupyterHub.cleanup_servers = True

# ---- Each learner's server ----
c.Spawner.default_url = "/lab"
c.Spawner.http_timeout = 60
c.Spawner.mem_limit = env("CENTERLOSS_HUB_MEM_LIMIT") or None
c.Spawner.cpu_limit = float(env("CENTERLOSS_HUB_CPU_LIMIT")) if env("CENTERLOSS_HUB_CPU_LIMIT") else None
if DOCKER:
    # A container of the lessons' image per learner (docker/Dockerfile), on the compose file's network, started by
    # scripts/container-singleuser.sh: the learner's lessons in a volume of their own. DockerSpawner enforces
    # mem_limit and cpu_limit.
    c.JupyterHub.spawner_class = "dockerspawner.DockerSpawner"
    c.JupyterHub.hub_connect_ip = "hub"
    c.DockerSpawner.image = env("CENTERLOSS_HUB_IMAGE", "centerloss-lab:cpu")
    c.DockerSpawner.network_name = env("CENTERLOSS_HUB_NETWORK", "centerloss-hub")
    c.DockerSpawner.remove = True
    c.DockerSpawner.cmd = ["scripts/container-singleuser.sh"]
    c.DockerSpawner.volumes = {"centerloss-{username}": "/home/lab/work"}
else:
    c.JupyterHub.spawner_class = limits.LimitedLocalProcessSpawner
    c.Spawner.ip = "127.0.0.1"
    c.Spawner.cmd = [os.path.join(VENV, "bin", "python"), os.path.join(REPO, "scripts", "reaper.py"),
                     os.path.join(VENV, "bin", "jupyterhub-singleuser")]
    c.Spawner.notebook_dir = "~/" + learners.LESSONS
    c.Spawner.args = ["--ServerApp.allow_remote_access=False"]
    # The real path: Go keys its build cache by source paths, and the seed was built with this one.
    c.Spawner.environment = learners.environment(REPO, VENV, os.path.realpath(os.path.join(STATE, "gomodcache")),
                                                 shutil.which("go"))
    c.Spawner.pre_spawn_hook = lambda spawner: learners.prepare_home(spawner.user.name, REPO,
                                                                     os.path.join(STATE, "gocache-seed"))

# ---- Idle servers stopped ----
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", "--timeout=" + env("CENTERLOSS_HUB_IDLE_TIMEOUT", "3600")],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
