"""Every BadInput the engines raise carries a message id, so the studio and the Japanese
CLI can say it in Japanese (a static scan of engines/, issue #14).

A ``BadInput("...")`` or ``BadInput(f"...")`` with a plain English string is counted per
file. Every file is converted: :data:`NOT_YET_CONVERTED` is empty, so any plain string
fails (a file listed there may only see its count fall, and its entry must then be
lowered or removed).
"""

from __future__ import annotations

import ast
from pathlib import Path

ENGINES = Path(__file__).resolve().parents[1] / "engines"

# Plain English BadInput texts still to turn into message ids (issue #14): none left.
NOT_YET_CONVERTED: dict[str, int] = {}


def _plain_bad_inputs(source: str) -> int:
    """How many ``BadInput(...)`` calls take a string literal or an f-string."""
    count = 0
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "BadInput"
            and node.args
            and isinstance(node.args[0], ast.JoinedStr | ast.Constant)
            and (not isinstance(node.args[0], ast.Constant) or isinstance(node.args[0].value, str))
        ):
            count += 1
    return count


def test_the_scan_sees_plain_strings_and_passes_message_ids() -> None:
    assert _plain_bad_inputs('raise BadInput("Words.")') == 1
    assert _plain_bad_inputs('raise BadInput(f"{x} words.")') == 1
    assert _plain_bad_inputs('raise BadInput(message("history.not_a_file", name=n))') == 0


def test_every_bad_input_in_the_engines_uses_a_message_id() -> None:
    found = {
        str(path.relative_to(ENGINES)): _plain_bad_inputs(path.read_text(encoding="utf-8"))
        for path in sorted(ENGINES.rglob("*.py"))
    }
    found = {name: count for name, count in found.items() if count}
    grown = {n: c for n, c in found.items() if c > NOT_YET_CONVERTED.get(n, 0)}
    assert not grown, f"plain English BadInput texts: use a message id instead: {grown}"
    fell = {
        n: (NOT_YET_CONVERTED[n], found.get(n, 0))
        for n in NOT_YET_CONVERTED
        if found.get(n, 0) < NOT_YET_CONVERTED[n]
    }
    assert not fell, (
        f"fewer plain texts than listed: lower NOT_YET_CONVERTED (listed, found): {fell}"
    )
