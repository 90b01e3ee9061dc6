"""Speech test fixtures: the tiny Piper-like voices made by ``make_tiny_voice.py``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def tiny_voice(tmp_path: Path) -> Path:
    """A copy of the tiny single-speaker voice (its .onnx.json beside it)."""
    for suffix in (".onnx", ".onnx.json"):
        shutil.copy(DATA / f"tiny{suffix}", tmp_path / f"tiny{suffix}")
    return tmp_path / "tiny.onnx"


@pytest.fixture
def tiny_multi_voice(tmp_path: Path) -> Path:
    for suffix in (".onnx", ".onnx.json"):
        shutil.copy(DATA / f"tiny_multi{suffix}", tmp_path / f"tiny_multi{suffix}")
    return tmp_path / "tiny_multi.onnx"
