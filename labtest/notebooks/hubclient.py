"""The class hub as the tests meet it: started on free loopback ports, used through its own pages and REST API, and
notebooks run through its proxy over the kernel websocket, as JupyterLab in a browser runs them.

Hub starts `make hub`'s JupyterHub (hub/jupyterhub_config.py) with its state and the learners' homes in a folder of
the test's; Person signs up, logs in, asks for a token and starts their server; run_notebook executes a notebook's
code cells one by one through that server and saves it there with its outputs.
"""
import datetime
import json
import os
import re
import signal
import socket
import subprocess
import time
import uuid

import nbformat
import requests
import websocket

from nbtest import REPO

VENV = os.path.join(REPO, ".venv-hub")
CONFIG = os.path.join(REPO, "hub", "jupyterhub_config.py")
KERNEL = "centerloss-xla-cpu"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Hub:
    """A running hub: url, its process, the folder with its state (state/) and homes (homes/)."""

    def __init__(self, folder: str, teacher: str, log_path: str, extra_env: dict | None = None):
        self.folder, self.teacher = folder, teacher
        self.homes = os.path.join(folder, "homes")
        os.makedirs(self.homes, exist_ok=True)
        os.chmod(folder, 0o755)
        os.chmod(self.homes, 0o755)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, CENTERLOSS_HUB_STATE=os.path.join(folder, "state"), CENTERLOSS_HUB_HOMES=self.homes,
                   CENTERLOSS_HUB_PORT=str(self.port), CENTERLOSS_HUB_API_PORT=str(free_port()),
                   CENTERLOSS_HUB_PROXY_API_PORT=str(free_port()), CENTERLOSS_HUB_TEACHER=teacher,
                   **(extra_env or {}))
        env.pop("JUPYTERHUB_API_TOKEN", None)
        # The shared module cache and the build cache's seed are the checkout's (make hub-setup made them).
        os.makedirs(os.path.join(folder, "state"), exist_ok=True)
        for shared in ("gomodcache", "gocache-seed"):
            os.symlink(os.path.join(REPO, ".hub", shared), os.path.join(folder, "state", shared))
        self.log = open(log_path, "w", encoding="utf-8")
        self.proc = subprocess.Popen([os.path.join(VENV, "bin", "jupyterhub"), "-f", CONFIG], cwd=folder, env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"the hub exited with {self.proc.returncode}: see {log_path}"
            try:
                if requests.get(self.url + "/hub/login", timeout=5).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.5)
        raise AssertionError(f"the hub did not answer on {self.url} within 60 s: see {log_path}")

    def stop(self, sig=signal.SIGINT, timeout: float = 60) -> int:
        """Stops the hub as Ctrl-C in its terminal would (SIGINT); its exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
                raise AssertionError(f"the hub did not stop within {timeout} s of signal {sig}")
        self.log.close()
        return self.proc.returncode


class Person:
    """Somebody in the class, through the hub's pages (a browser's cookies) and its REST API (a token)."""

    def __init__(self, hub: Hub, name: str, password: str):
        self.hub, self.name, self.password = hub, name, password
        self.web = requests.Session()
        self.token = ""

    def form(self, path: str, fields: dict) -> requests.Response:
        """GETs a page of the hub, then POSTs its form with the page's xsrf token, as a browser does."""
        page = self.web.get(self.hub.url + path, timeout=30)
        page.raise_for_status()
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
        assert xsrf, f"{path}: no _xsrf field in the hub's form"
        return self.web.post(self.hub.url + path, data=dict(fields, _xsrf=xsrf.group(1)), timeout=60)

    def sign_up(self) -> str:
        """The hub's sign-up page; the message it answers with."""
        r = self.form("/hub/signup", {"username": self.name, "signup_password": self.password,
                                      "signup_password_confirmation": self.password})
        r.raise_for_status()
        message = re.search(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', r.text, re.S)
        return re.sub(r"<[^>]+>|\s+", " ", message.group(1)).strip() if message else ""

    def log_in(self) -> bool:
        r = self.form("/hub/login", {"username": self.name, "password": self.password})
        return r.ok and "jupyterhub-session-id" in self.web.cookies and "/hub/login" not in r.url

    def api(self, method: str, path: str, token: str | None = None, **kwargs) -> requests.Response:
        """The hub's REST API (or a server's, for /user/…), with this person's token or the one given."""
        headers = {"Authorization": f"token {token if token is not None else self.token}"}
        return requests.request(method, self.hub.url + path, headers=headers, timeout=60, **kwargs)

    def make_token(self) -> None:
        """A token of their own, asked for with their login cookie (the hub's token page does the same)."""
        xsrf = self.web.cookies.get("_xsrf", path="/hub/")
        r = self.web.post(f"{self.hub.url}/hub/api/users/{self.name}/tokens", json={"note": "test"},
                          headers={"X-XSRFToken": xsrf}, timeout=30)
        assert r.status_code == 201, f"{self.name}: token: {r.status_code} {r.text[:200]}"
        self.token = r.json()["token"]

    def start_server(self, timeout: float = 120) -> None:
        """Starts their server through the REST API (their login, like a browser's, may have started it already)."""
        r = self.api("POST", f"/hub/api/users/{self.name}/server")
        started = r.status_code in (201, 202) or (r.status_code == 400 and "already running" in r.text)
        assert started, f"{self.name}: start: {r.status_code} {r.text[:200]}"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            server = self.api("GET", f"/hub/api/users/{self.name}").json().get("servers", {}).get("", {})
            if server.get("ready"):
                return
            time.sleep(1)
        raise AssertionError(f"{self.name}'s server was not ready within {timeout} s")

    def server(self, path: str) -> str:
        return f"/user/{self.name}/{path.lstrip('/')}"


def message(session: str, msg_type: str, content: dict) -> dict:
    return {"header": {"msg_id": uuid.uuid4().hex, "username": "test", "session": session, "msg_type": msg_type,
                       "version": "5.3", "date": datetime.datetime.now(datetime.timezone.utc).isoformat()},
            "parent_header": {}, "metadata": {}, "content": content, "channel": "shell", "buffers": []}


class Kernel:
    """A kernel on a learner's server, reached through the hub's proxy over its websocket."""

    def __init__(self, person: Person, notebook_path: str):
        self.person = person
        r = person.api("POST", person.server("api/sessions"),
                       json={"path": notebook_path, "name": os.path.basename(notebook_path), "type": "notebook",
                             "kernel": {"name": KERNEL}})
        assert r.status_code == 201, f"{person.name}: session: {r.status_code} {r.text[:200]}"
        self.session_id, self.kernel_id = r.json()["id"], r.json()["kernel"]["id"]
        self.client_session = uuid.uuid4().hex
        url = person.hub.url.replace("http://", "ws://") + person.server(
            f"api/kernels/{self.kernel_id}/channels?session_id={self.client_session}")
        self.ws = websocket.create_connection(url, header=[f"Authorization: token {person.token}"], timeout=900)

    def send(self, code: str) -> dict:
        """Sends one cell to run, as JupyterLab does; the request (its header's msg_id marks the replies)."""
        request = message(self.client_session, "execute_request", {
            "code": code, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False,
            "stop_on_error": True})
        self.ws.send(json.dumps(request))
        return request

    def execute(self, code: str, timeout: float = 900) -> list:
        """Runs one cell; its outputs as nbformat outputs, once the kernel is idle again."""
        request = self.send(code)
        outputs, replied, idle = [], False, False
        deadline = time.monotonic() + timeout
        while not (replied and idle):
            self.ws.settimeout(max(1.0, deadline - time.monotonic()))
            msg = json.loads(self.ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != request["header"]["msg_id"]:
                continue
            kind = msg["msg_type"]
            if kind == "execute_reply":
                replied = True
            elif kind == "status" and msg["content"].get("execution_state") == "idle":
                idle = True
            elif kind == "clear_output":
                outputs = []
            elif kind in ("stream", "display_data", "execute_result", "error"):
                outputs.append(nbformat.v4.output_from_msg(msg))
        return outputs

    def close(self) -> None:
        self.ws.close()
        self.person.api("DELETE", self.person.server(f"api/sessions/{self.session_id}"))


def run_notebook(person: Person, path: str, extra_cells: tuple[str, ...] = ()) -> tuple[object, float]:
    """Runs the notebook at path (under the learner's lessons) on their server, cell by cell, adds extra_cells at
    its end, and saves it there with its outputs; the notebook and the seconds it took."""
    r = person.api("GET", person.server(f"api/contents/{path}"), params={"content": "1"})
    assert r.status_code == 200, f"{person.name}: {path}: {r.status_code}"
    nb = nbformat.from_dict(r.json()["content"])
    nb.cells += [nbformat.v4.new_code_cell(source) for source in extra_cells]
    start = time.monotonic()
    kernel = Kernel(person, path)
    try:
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = kernel.execute(cell.source)
    finally:
        kernel.close()
    seconds = time.monotonic() - start
    r = person.api("PUT", person.server(f"api/contents/{path}"),
                   json={"type": "notebook", "format": "json", "content": nb})
    assert r.status_code == 200, f"{person.name}: saving {path}: {r.status_code} {r.text[:200]}"
    return nb, seconds


def enroll(hub: Hub, teacher: Person, name: str) -> Person:
    """A learner signed up, approved by the teacher (logged in already), logged in, with a token and their server
    running: what test_hub.py checks step by step, for the tests that only need a learner."""
    person = Person(hub, name, uuid.uuid4().hex[:16])
    person.sign_up()
    assert teacher.web.get(f"{hub.url}/hub/authorize/{name}", timeout=30).ok, f"approving {name}"
    assert person.log_in(), f"{name} could not log in once approved"
    person.make_token()
    person.start_server()
    return person
