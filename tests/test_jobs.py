"""The engine contract: progress order, cancel within 0.5 s with partial results kept,
engine exceptions become failed jobs with readable messages."""

from __future__ import annotations

import logging
import threading
import time

import pytest

from engines.jobs import Job, JobContext, JobState, Progress
from tests.fakes import FakeEngine


def test_progress_arrives_in_order_and_job_finishes() -> None:
    seen: list[Progress] = []
    job = Job("fake", FakeEngine(steps=5, step_seconds=0.0).generate)
    job.add_listener(lambda j: seen.append(j.progress) if j.progress else None)
    job.run()
    assert job.state is JobState.finished
    assert job.result == [0, 1, 2, 3, 4]
    steps = [p.step for p in dict.fromkeys(seen)]
    assert steps == [1, 2, 3, 4, 5]
    assert all(p.total == 5 for p in seen)
    assert job.progress is not None and job.progress.fraction == 1.0


def test_states_go_queued_running_finished() -> None:
    states: list[JobState] = []
    job = Job("fake", FakeEngine(steps=2, step_seconds=0.0).generate)
    job.add_listener(lambda j: states.append(j.state))
    assert job.state is JobState.queued
    job.run()
    distinct = list(dict.fromkeys(states))
    assert distinct == [JobState.running, JobState.finished]


def test_cancel_takes_effect_within_half_a_second_and_keeps_partial_result() -> None:
    engine = FakeEngine(steps=1000, step_seconds=0.05, burn_cpu=True)
    job = Job("slow", engine.generate)
    thread = threading.Thread(target=job.run)
    thread.start()
    while job.progress is None or job.progress.step < 3:
        time.sleep(0.005)
    asked = time.monotonic()
    job.cancel()
    thread.join(timeout=5)
    stopped = time.monotonic() - asked
    assert not thread.is_alive()
    assert job.state is JobState.cancelled
    assert stopped < 0.5, f"cancel took {stopped:.3f} s"
    assert isinstance(job.result, list) and len(job.result) >= 3
    assert job.result == list(range(len(job.result)))  # usable: the steps made so far


def test_cancel_of_a_queued_job_never_runs_it() -> None:
    ran = []
    job = Job("never", lambda ctx: ran.append(1))
    job.cancel()
    job.run()
    assert job.state is JobState.cancelled
    assert ran == []


def test_engine_exception_becomes_failed_job_with_readable_message() -> None:
    job = Job("broken", FakeEngine(steps=5, step_seconds=0.0, fail_at=2).generate)
    job.run()
    assert job.state is JobState.failed
    assert job.error == "Internal error (ValueError): tensor shapes do not match (3 vs 4)"
    assert job.error_details and "Traceback" in job.error_details
    assert job.result == [0, 1]  # what was made before the failure is kept


def test_user_error_message_is_shown_as_written() -> None:
    engine = FakeEngine(steps=3, step_seconds=0.0, fail_at=0, fail_with_user_error=True)
    job = Job("bad input", engine.generate)
    job.run()
    assert job.state is JobState.failed
    assert job.error == "The prompt is empty: type something to generate."


def test_context_wait_wakes_on_cancel() -> None:
    ctx = JobContext()
    threading.Timer(0.05, ctx.cancel).start()
    started = time.monotonic()
    try:
        ctx.wait(10)
    except Exception as exc:
        assert type(exc).__name__ == "Cancelled"
    assert time.monotonic() - started < 1.0


def test_work_that_returns_early_after_cancel_counts_as_cancelled() -> None:
    def work(ctx: JobContext) -> str:
        ctx.cancel()
        return "partial text"

    job = Job("early", work)
    job.run()
    assert job.state is JobState.cancelled
    assert job.result == "partial text"


def test_an_expected_error_is_logged_as_one_line_and_a_crash_with_its_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from engines.errors import BadInput

    def bad_input(ctx: JobContext) -> None:
        raise BadInput("The prompt is empty.")

    def crash(ctx: JobContext) -> None:
        raise ZeroDivisionError("oops")

    with caplog.at_level(logging.INFO, logger="engines.jobs"):
        for work in (bad_input, crash):
            job = Job("t", work)
            job.run()
            assert job.state is JobState.failed and "Traceback" in job.error_details
    expected, crashed = caplog.records
    assert "The prompt is empty." in expected.getMessage()
    assert "Traceback" not in expected.getMessage()
    assert "Traceback" in crashed.getMessage() and crashed.levelno == logging.ERROR
