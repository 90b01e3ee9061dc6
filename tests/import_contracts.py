"""The project's import-linter configuration for the partial trees some tests lint.

Those trees hold a copy of ``engines/`` (or a few modules of it) and an empty
``studio`` package; a contract whose source modules are in ``studio/`` (the Music
panel's) names modules the tree lacks, which import-linter reports as an error before
checking anything. Such contracts are left out of the copy; the others stay as written.
"""

from __future__ import annotations

import re
import tomllib

MARK = "[[tool.importlinter.contracts]]"


def _about_studio(block: str) -> bool:
    contract = tomllib.loads(MARK + block)["tool"]["importlinter"]["contracts"][0]
    return any(str(m).startswith("studio") for m in contract.get("source_modules", []))


def without_studio_contracts(pyproject: str) -> str:
    """``pyproject`` with the contracts about modules in ``studio/`` removed."""
    head, *blocks = pyproject.split(MARK)
    out = [head]
    for block in blocks:
        if not _about_studio(block):
            out.append(MARK + block)
            continue
        # Keep what follows the contract: the next table, if any, and the comments above it.
        rest = re.search(r"^(#.*\n)*\[", block, flags=re.MULTILINE)
        if rest is not None:
            out.append(block[rest.start() :])
    return "".join(out)
