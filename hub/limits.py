"""A learner's memory and CPU limits (Spawner.mem_limit, .cpu_limit), enforced for local processes by cgroups.

JupyterHub's LocalProcessSpawner only passes the limits on, as MEM_LIMIT and CPU_LIMIT; DockerSpawner and KubeSpawner
enforce them (docker-compose.yml, hub/values.yaml). On one school server this does it with the kernel's cgroups:
the learner's server is put, before it starts (in the forked child, still root), into a cgroup of its own whose
memory limit and CPU quota are the teacher's, and every process it starts (kernel, gopls, a cell's program) inherits
it. cgroup v2 (one hierarchy) and v1 (a memory and a cpu hierarchy) both work; where /sys/fs/cgroup cannot be written
(a container without the privilege) the hub says so once at start and the limits stay unenforced.
"""
import os

from jupyterhub.spawner import LocalProcessSpawner
from jupyterhub.spawner import set_user_setuid

ROOT = "/sys/fs/cgroup"
PERIOD_US = 100_000


def own_cgroup(controller: str) -> str:
    """This process's cgroup folder for a v1 controller ("" for v2), from /proc/self/cgroup."""
    with open("/proc/self/cgroup", encoding="utf-8") as f:
        for line in f:
            _, names, path = line.rstrip("\n").split(":", 2)
            if (controller and controller in names.split(",")) or (not controller and names == ""):
                return path
    return ""


def cgroup_dirs(name: str) -> dict[str, str]:
    """Where the learner's cgroups go: {"memory": dir, "cpu": dir}, the same dir twice on cgroup v2."""
    if os.path.exists(os.path.join(ROOT, "cgroup.controllers")):  # v2
        d = os.path.join(ROOT + own_cgroup(""), "centerloss-" + name)
        return {"memory": d, "cpu": d}
    return {c: os.path.join(ROOT, c) + os.path.join(own_cgroup(c), "centerloss-" + name) for c in ("memory", "cpu")}


def limit_files(mem_bytes: int | None, cpus: float | None, dirs: dict[str, str]) -> dict[str, str]:
    """The files to write and their values: v2's memory.max and cpu.max, or v1's limit_in_bytes and cfs quota."""
    v2 = dirs["memory"] == dirs["cpu"]
    files = {}
    if mem_bytes:
        files[os.path.join(dirs["memory"], "memory.max" if v2 else "memory.limit_in_bytes")] = str(mem_bytes)
    if cpus:
        quota = int(cpus * PERIOD_US)
        if v2:
            files[os.path.join(dirs["cpu"], "cpu.max")] = f"{quota} {PERIOD_US}"
        else:
            files[os.path.join(dirs["cpu"], "cpu.cfs_period_us")] = str(PERIOD_US)
            files[os.path.join(dirs["cpu"], "cpu.cfs_quota_us")] = str(quota)
    return files


class LimitedLocalProcessSpawner(LocalProcessSpawner):
    """LocalProcessSpawner whose server runs inside the learner's cgroups when a limit is set."""

    def limited_dirs(self) -> list[str]:
        dirs = cgroup_dirs(self.user.name)
        wanted = {"memory": bool(self.mem_limit), "cpu": bool(self.cpu_limit)}
        return sorted({d for c, d in dirs.items() if wanted[c]})

    def make_preexec_fn(self, name):
        become_user = set_user_setuid(name)
        if not (self.mem_limit or self.cpu_limit):
            return become_user
        dirs = cgroup_dirs(name)
        files = limit_files(self.mem_limit, self.cpu_limit, dirs)
        try:
            for d in self.limited_dirs():
                os.makedirs(d, exist_ok=True)
            for path, value in files.items():
                with open(path, "w", encoding="ascii") as f:
                    f.write(value)
        except OSError as e:
            self.log.warning("limits for %s not enforced: cannot write %s (%s)", name, e.filename, e.strerror)
            return become_user
        procs = [os.path.join(d, "cgroup.procs") for d in self.limited_dirs()]

        def preexec():
            for path in procs:  # "0": the writing process itself, the child about to become the server
                with open(path, "w", encoding="ascii") as f:
                    f.write("0")
            become_user()

        return preexec

    async def stop(self, now=False):
        await super().stop(now=now)
        for d in self.limited_dirs():
            try:
                os.rmdir(d)  # empty once every process in it has ended
            except OSError:
                pass
