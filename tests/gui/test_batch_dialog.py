"""Tools → Batch…: the dialog says what a batch file makes or what is wrong with it, and
runs it as one job in the queue."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from engines.jobs import JobState
from studio.main_window import MainWindow

pytestmark = [pytest.mark.gui, pytest.mark.integration]


def test_the_dialog_reads_and_runs_a_batch(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    dialog = window.show_batch()
    bad = tmp_path / "bad.toml"
    bad.write_text('kind = "image-grid"\nprompts = ["x"]\nseeds = [1]\nstep = 2\n')
    dialog.set_file(bad)
    assert dialog.summary.text() == "Unknown key in the batch file: step."
    assert not dialog.start_button.isEnabled()

    good = tmp_path / "hearts.toml"
    good.write_text(
        'kind = "image-grid"\nprompts = ["red heart"]\nseeds = [1, 2]\nsteps = 2\nsize = 64\n'
    )
    dialog.set_file(good)
    assert dialog.summary.text() == f"Makes 2 files (image-grid) in {tmp_path / 'hearts'}."
    assert dialog.start_button.isEnabled()
    dialog.start_button.click()
    job = dialog.job
    assert job is not None and job in window.context.runner.jobs
    qtbot.waitUntil(lambda: job.state.is_final, timeout=180_000)
    assert job.state is JobState.finished, job.error
    assert sorted(p.name for p in (tmp_path / "hearts").glob("*.png")) == [
        "0000-p1-red-heart-s1.png",
        "0001-p1-red-heart-s2.png",
    ]
    assert dialog.summary.text().startswith("Done: 2 written in ")
    assert not dialog.start_button.isEnabled()  # nothing is left to make
    assert window.show_batch() is dialog  # one dialog, reopened
