"""Runs a Jupyter server and leaves no process of it behind: kernels, gopls and a running cell's program included.

Usage: python reaper.py COMMAND [ARG ...]

`make lab` and every learner's server on the class hub (hub/jupyterhub_config.py) start through this. A Jupyter
server shuts its kernels down when it is stopped cleanly, but not always: without a terminal, SIGINT (Ctrl-C, or
what a script sends) ends Python with KeyboardInterrupt before the kernels are shut down, and a kernel that outlives
its server keeps GoNB's two gopls processes and a cell's program running, parented to init. On a shared server
that is CPU taken from the next learner.

So this process marks itself a child subreaper (Linux's PR_SET_CHILD_SUBREAPER): whatever the server starts, in
whatever session, is reparented here rather than to init when its parent dies. It forwards SIGINT and SIGTERM to the
server as SIGTERM (Jupyter's clean stop: kernels shut down, connection files removed), waits for the server, then
sends SIGTERM to every process still under it, and SIGKILL to those still there after a grace period.
"""
import ctypes
import os
import signal
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36
GRACE_S = 5.0  # what a kernel gets to exit on SIGTERM before SIGKILL


def descendants(root: int) -> list[int]:
    """The pids under root (children, theirs, ...), read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue  # gone meanwhile
        # The command name (field 2) may hold spaces and parentheses: the parent pid is the 2nd field after its ")".
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def reap_all() -> None:
    """Collects the exit status of every child that has ended (orphans reparented here included)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def end_leftovers() -> None:
    me = os.getpid()
    for sig in (signal.SIGTERM, signal.SIGKILL):
        left = descendants(me)
        if not left:
            return
        for pid in left:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + GRACE_S
        while time.monotonic() < deadline:
            reap_all()
            if not descendants(me):
                return
            time.sleep(0.1)


def main() -> int:
    if len(sys.argv) < 2:
        print("usage: reaper.py COMMAND [ARG ...]", file=sys.stderr)
        return 2
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        print(f"reaper: prctl(PR_SET_CHILD_SUBREAPER) failed: {os.strerror(ctypes.get_errno())}", file=sys.stderr)
        return 1
    server = subprocess.Popen(sys.argv[1:])

    def stop(signum, frame):  # noqa: ARG001 (the signal module's signature)
        try:
            server.send_signal(signal.SIGTERM)
        except ProcessLookupError:
            pass

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    code = server.wait()
    end_leftovers()
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main())
