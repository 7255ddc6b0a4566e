"""The browser test once through the class hub (`make test-browser-hub`): a learner logs in on the hub's own page in
headless Chromium, opens lesson 3, runs all, moves a slider and sees its picture change (centerloss/lab/browser,
TestLessonThroughHub); screenshots in out/browser/hub_*.png. Like `make test-browser`, not part of `make test`.
"""
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile

import pytest

import hubclient
from nbtest import REPO
from test_hub import remove_account

LESSON = os.environ.get("CENTERLOSS_BROWSER_HUB_LESSON", "03_center_loss_theory.ipynb")

pytestmark = [
    pytest.mark.skipif(os.environ.get("CENTERLOSS_BROWSER_TEST") != "1", reason="make test-browser-hub sets it"),
    pytest.mark.skipif(os.geteuid() != 0, reason="the hub makes Unix accounts: run as root, as make hub does"),
]


def test_a_lesson_in_the_browser_through_the_hub():
    out = os.path.join(REPO, "out", "browser")
    os.makedirs(out, exist_ok=True)
    folder = tempfile.mkdtemp(prefix="centerloss-hub-browser-", dir="/tmp")
    tag = secrets.token_hex(2)
    teacher_name, name = f"t{tag}-teacher", f"t{tag}-eve"
    hub = hubclient.Hub(folder, teacher_name, os.path.join(out, "hub.log"))
    try:
        teacher = hubclient.Person(hub, teacher_name, secrets.token_urlsafe(12))
        teacher.sign_up()
        assert teacher.log_in()
        learner = hubclient.enroll(hub, teacher, name)
        lessons = os.path.join(pwd.getpwnam(name).pw_dir, "centerloss")
        env = dict(os.environ, CENTERLOSS_BROWSER_HUB=hub.url, CENTERLOSS_BROWSER_HUB_USER=name,
                   CENTERLOSS_BROWSER_HUB_PASSWORD=learner.password, CENTERLOSS_BROWSER_HUB_TOKEN=learner.token,
                   CENTERLOSS_BROWSER_HUB_LESSON=LESSON, CENTERLOSS_BROWSER_HUB_LESSONS=lessons)
        with open(os.path.join(out, "hub_go_test.log"), "w", encoding="utf-8") as log:
            done = subprocess.run(["go", "test", "-count=1", "-v", "-timeout", "60m", "-run", "TestLessonThroughHub",
                                   "./browser/"], cwd=os.path.join(REPO, "centerloss", "lab"), env=env,
                                  stdout=log, stderr=subprocess.STDOUT)
        with open(os.path.join(out, "hub_go_test.log"), encoding="utf-8") as f:
            tail = f.read()[-3000:]
        assert done.returncode == 0, "the browser test through the hub failed:\n" + tail
        assert "--- PASS: TestLessonThroughHub" in tail or "ok  " in tail, tail
        assert os.path.exists(os.path.join(out, "hub_" + LESSON.replace(".ipynb", "") + ".png"))
    finally:
        hub.stop()
        for account in (name, teacher_name):
            remove_account(account)
        shutil.rmtree(folder, ignore_errors=True)
