"""The class report: the exercise checker's verdicts of every learner on the hub, read from their saved lessons.

Usage (as root, who can read the learners' homes): .venv/bin/python hub/class-report.py [--homes /home] [--json]

For each learner (a home holding the lessons' folder, centerloss/), each checked cell of each lesson (lesson 3's two
exercises and its training cell, in either edition) that they have run and saved: its ✓/✗ lines. A learner who has
run none is listed as such. Why not nbgrader: its autograde re-executes every submission in a kernel of the
grader's (a GoNB compile and a training per learner, on the class's own cores), and needs a course folder and an
exchange set up beside the hub, while our checker has already said ✓ or ✗ in the learner's own run.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checked import checked, item, verdicts  # noqa: E402
from learners import LESSONS  # noqa: E402


def learner_rows(home: str) -> list[dict]:
    rows = []
    folder = os.path.join(home, LESSONS)
    for sub in ("", "ja"):
        if not os.path.isdir(os.path.join(folder, sub)):
            continue
        for name in sorted(os.listdir(os.path.join(folder, sub))):
            if not name.endswith(".ipynb"):
                continue
            path = os.path.join(folder, sub, name)
            try:
                with open(path, encoding="utf-8") as f:
                    nb = json.load(f)
            except (OSError, ValueError) as e:
                rows.append({"lesson": os.path.join(sub, name), "item": "-", "verdict": "?", "message": str(e)})
                continue
            for cell in nb.get("cells", []):
                if checked(cell):
                    for line in verdicts(cell):
                        rows.append({"lesson": os.path.join(sub, name), "item": item(cell), "verdict": line[0],
                                     "message": line[2:]})
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--homes", default=os.environ.get("CENTERLOSS_HUB_HOMES", "/home"),
                        help="the folder of the learners' homes (CENTERLOSS_HUB_HOMES)")
    parser.add_argument("--json", action="store_true", help="one JSON list, for scripts")
    args = parser.parse_args()
    if not os.path.isdir(args.homes):
        print(f"class-report: --homes {args.homes}: no such folder", file=sys.stderr)
        return 2
    report = []
    for learner in sorted(os.listdir(args.homes)):
        home = os.path.join(args.homes, learner)
        if os.path.isdir(os.path.join(home, LESSONS)):
            report.append({"learner": learner, "verdicts": learner_rows(home)})
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    for row in report:
        if not row["verdicts"]:
            print(f"{row['learner']:20} (no checked cell run yet)")
        for v in row["verdicts"]:
            print(f"{row['learner']:20} {v['lesson']:36} {v['item']:30} {v['verdict']} {v['message']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
