"""Issue 21: a job that fails unexpectedly shows one line in the queue, and its row names
the log file that holds the traceback (nothing goes to stderr)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from engines.jobs import Job, JobState
from studio.main_window import MainWindow
from tests.fakes import FakeEngine

pytestmark = pytest.mark.gui


def test_an_unexpected_failure_names_the_log_file(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    engine = FakeEngine(steps=3, step_seconds=0.0, fail_at=1)
    job: Job[object] = Job("Broken", engine.generate, task="image")
    window.context.runner.submit(job)
    qtbot.waitUntil(lambda: job.state is JobState.failed, timeout=3000)
    row = window.queue.rows[job.id]
    qtbot.waitUntil(lambda: row.error.isVisible(), timeout=2000)
    assert "\n" not in row.error.text()
    log = tmp_path / "sozo.log"
    assert str(log) in row.error.toolTip()
    assert "Traceback" in log.read_text(encoding="utf-8")
    assert "Traceback" not in capfd.readouterr().err
