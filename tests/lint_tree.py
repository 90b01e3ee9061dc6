"""Run this project's import-linter contracts on a copy of its code, with lines added on
purpose (a circle, a forbidden import), to show that a contract breaks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def lint_copy(tree: Path, additions: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Copy ``engines`` and ``studio`` (their Python files) and ``pyproject.toml`` into
    ``tree``, append each ``additions`` line to its module, and run ``lint-imports`` there.
    The whole of both: the panel contracts name studio's modules."""
    for package in ("engines", "studio"):
        shutil.copytree(
            ROOT / package,
            tree / package,
            ignore=lambda folder, names: [
                n for n in names if not n.endswith(".py") and not (Path(folder) / n).is_dir()
            ],
        )
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    for module, line in additions.items():
        path = tree / (module.replace(".", "/") + ".py")
        path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    return subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--config", "pyproject.toml"],
        cwd=tree,
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(tree)),
        timeout=300,
    )
