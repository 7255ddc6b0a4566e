"""`make reference`: how long the lessons will take on this machine, in about a minute.

It times the machine's reference (notebook.Reference: 30 training steps of LeNet++ at batch 128 and one pass over
the 10,000 test images, in the lessons' own kernel, as a lesson's cell runs them) and prints each lesson's time
scaled from the run recorded beside the committed notebooks (notebooks/data/timings.json), with the series' totals.
"""
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "labtest", "notebooks"))
from nbtest import REPO, describe_reference, load_timings, time_reference  # noqa: E402  the notebook test's own

KERNEL_LOG = os.path.join(REPO, "out", "reference-kernel.log")  # GoNB's log, kept off the teacher's terminal


def main() -> int:
    lessons = load_timings()["lessons"]
    if not lessons:
        print("notebooks/data/timings.json has no lesson times: run `make notebooks` first", file=sys.stderr)
        return 1
    os.makedirs(os.path.dirname(KERNEL_LOG), exist_ok=True)
    with open(KERNEL_LOG, "w", encoding="utf-8") as log:
        here = time_reference(kernel_log=log)
    print(f"This machine's reference: {describe_reference(here)}.")
    print(f"\n{'lesson':44} {'measured':>9} {'scale':>6} {'here':>10}")
    totals: dict[str, float] = {}
    for name, lesson in sorted(lessons.items()):
        speed = here["reference_s"] / lesson["reference"]["reference_s"]
        seconds = lesson["seconds"] * speed
        edition = os.path.dirname(name) or "en"
        totals[edition] = totals.get(edition, 0) + seconds
        print(f"{name:44} {lesson['seconds']:7.0f} s  ×{speed:4.2f}  about {math.ceil(seconds / 60):2d} min "
              f"({seconds:.0f} s)")
    measured_on = {describe_reference(lesson["reference"]) for lesson in lessons.values()}
    print(f"\nscale: this machine's reference over that of the machine that measured the lesson, "
          f"{'; '.join(sorted(measured_on))}")
    for edition, seconds in totals.items():
        print(f"the {edition} series here: about {math.ceil(seconds / 60)} minutes, plus the time spent at sliders")
    return 0


if __name__ == "__main__":
    sys.exit(main())
