"""Small real file systems for the tests of full disks and read-only places.

A tmpfs of a few kilobytes is a real full disk, and a tmpfs mounted read-only a real
read-only place: both need root. Without it, the tests
that need one skip, and the monkeypatched ones in ``tests/test_safe_write.py`` still
run everywhere.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


@contextlib.contextmanager
def tmpfs(where: Path, size_kb: int, *, read_only: bool = False) -> Iterator[Path]:
    """Mount a ``size_kb`` tmpfs at ``where`` for the block; skip the test if we cannot."""
    if not is_root() or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    where.mkdir(parents=True, exist_ok=True)
    options = f"size={size_kb}k" + (",ro" if read_only else "")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def leftovers(folder: Path) -> list[str]:
    """Temporary or lock files the safe writer left in ``folder``."""
    return sorted(
        p.name for p in folder.iterdir() if ".sozo-partial" in p.name or ".sozo-lock" in p.name
    )
