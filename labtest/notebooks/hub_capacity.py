"""How many learners this machine serves at a lesson's budget (`make hub-capacity`): a hub of its own on a free
loopback port, N learners signed up and approved, then the lesson run by 1, 2, ... N of them at once through the
hub's proxy, as in class; each round's times beside the lesson's promise and the memory each learner held.

Usage (as root): .venv-hub/bin/python labtest/notebooks/hub_capacity.py [--lesson 04_….ipynb] [--learners 1,2,4]
                [--before 02_softmax_baseline.ipynb]
Writes out/hub/capacity-<lesson>.json; prints a table.
"""
import argparse
import concurrent.futures
import json
import os
import pwd
import secrets
import shutil
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hubclient  # noqa: E402
from nbtest import REPO, problems_in, promised_minutes  # noqa: E402
from test_hub import peak_memory, remove_account  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", default="01_embedding_spaces.ipynb", help="a lesson under notebooks/")
    parser.add_argument("--learners", default="1,2,4", help="how many at once, each round: 1,2,4")
    parser.add_argument("--before", default="", help="lessons each learner runs first, untimed (comma-separated): "
                        "lessons 4 to 7 load the models of earlier ones (02_softmax_baseline.ipynb)")
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("hub_capacity: run as root (the hub makes Unix accounts)", file=sys.stderr)
        return 2
    if not os.path.exists(os.path.join(REPO, "notebooks", args.lesson)):
        print(f"hub_capacity: --lesson {args.lesson}: no such lesson in notebooks/", file=sys.stderr)
        return 2
    try:
        rounds = [int(n) for n in args.learners.split(",")]
    except ValueError:
        rounds = []
    if not rounds or min(rounds) < 1:
        print(f"hub_capacity: --learners {args.learners}: say counts like 1,2,4", file=sys.stderr)
        return 2
    out = os.path.join(REPO, "out", "hub")
    os.makedirs(out, exist_ok=True)
    folder = tempfile.mkdtemp(prefix="centerloss-hub-capacity-", dir="/tmp")
    tag = secrets.token_hex(2)
    names = [f"c{tag}-{i}" for i in range(max(rounds))]
    hub = hubclient.Hub(folder, f"c{tag}-teacher", os.path.join(out, "capacity-hub.log"))
    results = {"lesson": args.lesson, "cores": len(os.sched_getaffinity(0)), "rounds": []}
    try:
        teacher = hubclient.Person(hub, f"c{tag}-teacher", secrets.token_urlsafe(12))
        teacher.sign_up()
        assert teacher.log_in()
        learners = [hubclient.enroll(hub, teacher, name) for name in names]
        uids = {pwd.getpwnam(name).pw_uid: name for name in names}
        for before in filter(None, args.before.split(",")):
            with concurrent.futures.ThreadPoolExecutor(len(learners)) as pool:
                list(pool.map(lambda p: hubclient.run_notebook(p, before), learners))
        for n in rounds:
            with concurrent.futures.ThreadPoolExecutor(n + 1) as pool:
                done = threading.Event()
                peak = pool.submit(peak_memory, uids, done)
                runs = list(pool.map(lambda p: hubclient.run_notebook(p, args.lesson), learners[:n]))
                done.set()
            problems = [pr for nb, _ in runs for pr in problems_in(nb)]
            seconds = sorted(round(s, 1) for _, s in runs)
            results["rounds"].append({"learners": n, "seconds": seconds, "problems": problems[:5],
                                      "peak_memory_mib": max(peak.result().values())})
            print(f"{n} at once: {seconds} s{'  PROBLEMS: ' + '; '.join(problems[:2]) if problems else ''}", flush=True)
        promise = promised_minutes(runs[0][0]) * 60
        results["promise_s"] = promise
    finally:
        hub.stop()
        for name in names + [f"c{tag}-teacher"]:
            remove_account(name)
        shutil.rmtree(folder, ignore_errors=True)
    with open(os.path.join(out, f"capacity-{args.lesson.replace('.ipynb', '')}.json"), "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1)
    print(f"\n{args.lesson} (promise {promise // 60} min) on {results['cores']} cores, through the hub:")
    print(f"{'at once':>8} {'slowest':>9} {'median':>8} {'× promise':>10} {'memory/learner':>15}")
    for r in results["rounds"]:
        s = r["seconds"]
        print(f"{r['learners']:8d} {s[-1]:8.1f}s {s[len(s) // 2]:7.1f}s {s[-1] / promise:10.2f} "
              f"{r['peak_memory_mib']:11d} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
