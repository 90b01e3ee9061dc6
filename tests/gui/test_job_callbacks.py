"""Per-job callbacks of the runner: each job's ``on_done`` and ``on_progress`` are called
on the GUI thread for that job only, once for ``on_done``, whatever its final state."""

from __future__ import annotations

import threading

import pytest
from pytestqt.qtbot import QtBot

from engines.jobs import Job, JobState
from studio.jobs import JobCallback, JobRunner
from tests.fakes import FakeEngine

pytestmark = pytest.mark.gui


def test_each_job_gets_its_own_done_and_progress_calls(qtbot: QtBot) -> None:
    runner = JobRunner()
    done: list[tuple[str, JobState, int]] = []
    progress: list[tuple[str, bool]] = []
    gui = threading.get_ident()

    def on_done(name: str) -> JobCallback:
        return lambda job: done.append((name, job.state, threading.get_ident()))

    def on_progress(name: str) -> JobCallback:
        return lambda job: progress.append((name, threading.get_ident() == gui))

    first = runner.run(
        "first",
        FakeEngine(steps=3, step_seconds=0.05).generate,
        on_done=on_done("first"),
        on_progress=on_progress("first"),
    )
    failing = runner.run(
        "failing",
        FakeEngine(steps=3, step_seconds=0.0, fail_at=1).generate,
        on_done=on_done("failing"),
    )
    plain = runner.run("plain", FakeEngine(steps=2, step_seconds=0.0).generate)
    cancelled: Job[list[int]] = Job("cancelled", FakeEngine(steps=2).generate)
    runner.submit(cancelled, on_done=on_done("cancelled"))
    cancelled.cancel()  # still queued behind the others
    qtbot.waitUntil(lambda: all(j.state.is_final for j in runner.jobs), timeout=5000)
    qtbot.waitUntil(lambda: len(done) == 3, timeout=2000)
    qtbot.wait(50)  # any late or doubled call would land here
    assert sorted((name, state) for name, state, _ in done) == [
        ("cancelled", JobState.cancelled),
        ("failing", JobState.failed),
        ("first", JobState.finished),
    ]
    assert all(thread == gui for _, _, thread in done)
    assert progress and {name for name, _ in progress} == {"first"}
    assert all(on_gui for _, on_gui in progress)
    assert first.result == [0, 1, 2] and failing.error and plain.state is JobState.finished
    assert not runner._on_done and not runner._on_progress  # nothing kept after the end
    runner.shutdown(2000)


def test_done_comes_before_the_global_signal(qtbot: QtBot) -> None:
    runner = JobRunner()
    order: list[str] = []
    runner.job_finished.connect(lambda job: order.append("job_finished"))
    runner.run(
        "quick",
        FakeEngine(steps=1, step_seconds=0.0).generate,
        on_done=lambda job: order.append("on_done"),
    )
    qtbot.waitUntil(lambda: len(order) == 2, timeout=3000)
    assert order == ["on_done", "job_finished"]
    runner.shutdown(2000)
