"""The gui marker's checks (tests/gui_marker.py) stop a run whose Qt tests lack the
marker, and let a marked one through: run on made-up test files in a fresh pytest."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CONFTEST = (
    "from tests.gui_marker import (  # noqa: F401\n"
    "    _gui_marker_covers_qt_applications,\n"
    "    pytest_collection_modifyitems,\n"
    ")\n"
)


def _pytest(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    (folder / "conftest.py").write_text(CONFTEST)
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "markers=gui",
            "--rootdir",
            str(folder),
            str(folder),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=folder,
    )


@pytest.mark.parametrize("fixture", ["qtbot", "qapp"])
def test_a_qt_fixture_without_the_marker_stops_the_run(tmp_path: Path, fixture: str) -> None:
    (tmp_path / "test_made_up.py").write_text(
        f"import pytest\n\n\n@pytest.fixture\ndef panel({fixture}):\n    return 1\n\n\n"
        "def test_unmarked(panel):\n    pass\n\n\n"
        f"@pytest.mark.gui\ndef test_marked({fixture}):\n    pass\n"
    )
    done = _pytest(tmp_path, "--collect-only")
    assert done.returncode != 0
    out = done.stdout + done.stderr
    assert "lack the gui marker" in out and "test_unmarked" in out
    assert "test_marked" not in out.split("lack the gui marker")[1]


def test_marked_qt_tests_run(tmp_path: Path) -> None:
    (tmp_path / "test_made_up.py").write_text(
        "import pytest\n\npytestmark = pytest.mark.gui\n\n\ndef test_with_qtbot(qtbot):\n    pass\n"
    )
    done = _pytest(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout


def test_a_qt_application_made_without_the_marker_fails(tmp_path: Path) -> None:
    (tmp_path / "test_made_up.py").write_text(
        "from PySide6.QtWidgets import QApplication\n\n\n"
        "def test_headless_in_name_only():\n    QApplication.instance() or QApplication([])\n"
    )
    done = _pytest(tmp_path)
    assert done.returncode != 0
    assert "test_headless_in_name_only created a Qt application but lacks the gui marker" in (
        done.stdout
    )
