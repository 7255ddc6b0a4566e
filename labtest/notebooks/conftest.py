"""At the end of a notebook test run: each lesson's time beside its promise, scaled by the machines' references."""
import json
import os
import time

from nbtest import ALLOWANCE, RESULTS, describe_reference

STARTED = time.time()


def pytest_terminal_summary(terminalreporter):
    if not os.path.exists(RESULTS) or os.path.getmtime(RESULTS) < STARTED:  # none, or an earlier run's
        return
    with open(RESULTS, encoding="utf-8") as f:
        checks = [json.loads(line) for line in f]
    if not checks:
        return
    write = terminalreporter.write_line
    terminalreporter.section("lesson times, scaled by the machine's reference")
    references = {describe_reference(check["here"]): None for check in checks}
    write("reference here: " + "; ".join(references) + "   (promises measured at: " +
          "; ".join({describe_reference(check["there"]): None for check in checks}) + ")")
    if checks[0]["slower"] > 1:
        write(f"each lesson ran {checks[0]['slower']} times in a row (CENTERLOSS_TEST_SLOWER), counted as one")
    write(f"{'lesson':44} {'here':>7} {'scaled':>7} {'promise':>8} {'allowed here':>13}")
    for check in checks:
        write(f"{check['lesson']:44} {check['seconds']:6.0f}s {check['scaled_s']:6.0f}s {check['promised_min']:5d} min "
              f"{check['allowed_s']:11.0f}s  {'ok' if check['ok'] else 'OVER'}")
    write(f"allowed: the promise × {ALLOWANCE}, scaled by the reference here over the promise's")
