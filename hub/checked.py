"""The lesson cells whose output is the exercise checker's verdict: what the class report reads, and what a
learner's copy of the lessons starts without (hub/learners.py), so that every verdict in it is their own run's."""
import re

CHECKED_TAGS = ("exercise", "trains-your-code")
VERDICT = re.compile(r"^[✓✗] ")


def checked(cell: dict) -> bool:
    return cell.get("cell_type") == "code" and any(t in cell.get("metadata", {}).get("tags", []) for t in CHECKED_TAGS)


def item(cell: dict) -> str:
    """What the cell checks: the exercise's function (myCenterLoss, ...), or the training with the learner's code."""
    source = "".join(cell.get("source", ""))
    match = re.search(r"^func (my\w+)\(", source, re.M)
    return match.group(1) if match else "training with your functions"


def verdicts(cell: dict) -> list[str]:
    """The checker's lines (✓ … or ✗ …) in the cell's standard output, in order."""
    text = "".join("".join(o.get("text", "")) for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stdout")
    return [line for line in text.splitlines() if VERDICT.match(line)]
