"""While an engine burns CPU on the worker thread, the GUI thread never stalls > 50 ms.

An event-loop latency probe: a 5 ms timer on the GUI thread records the gap between its
ticks while a CPU-burning fake engine runs; the longest gap minus the interval is the
longest stall.
"""

from __future__ import annotations

import itertools
import time

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from engines.jobs import Job, JobState
from studio.main_window import MainWindow
from tests.fakes import FakeEngine

pytestmark = pytest.mark.gui

INTERVAL_MS = 5
STALL_LIMIT_S = 0.050


def test_gui_thread_stays_responsive_while_an_engine_burns_cpu(
    qtbot: QtBot, window: MainWindow
) -> None:
    ticks: list[float] = []
    probe = QTimer()
    probe.setInterval(INTERVAL_MS)
    probe.timeout.connect(lambda: ticks.append(time.perf_counter()))

    engine = FakeEngine(steps=60, step_seconds=0.025, burn_cpu=True)  # ~1.5 s of CPU
    job: Job[list[int]] = Job("CPU burner", engine.generate, task="image")
    probe.start()
    window.context.runner.submit(job)
    qtbot.waitUntil(lambda: job.state.is_final, timeout=30000)
    probe.stop()

    assert job.state is JobState.finished
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert len(gaps) > 100, "the probe timer hardly ran"
    worst_stall = max(gaps) - INTERVAL_MS / 1000
    assert worst_stall <= STALL_LIMIT_S, f"GUI thread stalled {worst_stall * 1000:.0f} ms"
