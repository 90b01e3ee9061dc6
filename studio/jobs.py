"""Runs engine jobs off the GUI thread and turns their reports into Qt signals.

Engines know nothing of Qt: a job (``engines.jobs.Job``) calls its listeners from the
worker thread, and :class:`JobRunner` re-emits them as signals, which Qt delivers on the
GUI thread (queued connection across threads). Progress signals are thinned to one per
``PROGRESS_INTERVAL_S`` per job so that a fast engine cannot flood the event loop; state
changes are always delivered.

A job carries its own callbacks: ``runner.run(title, work, on_done=..., on_progress=...)``
calls them on the GUI thread for that job only, so a panel never filters the global
signals by job identity. The global signals stay for views of every job (the queue).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

from engines.jobs import Job, JobContext, JobState
from engines.native import preload_torch

PROGRESS_INTERVAL_S = 0.03
# Jobs of this task wait on the network, not the CPU: they run on their own threads, so a
# long download never holds up a generation (and the other way round).
NETWORK_TASK = "network"

JobCallback = Callable[[Job[Any]], None]


def _run_engine_job(job: Job[Any]) -> None:
    """On a worker thread: torch's libraries loaded without the GIL first (a no-op once
    done), so a job's ``import torch`` never freezes the window (engines.native)."""
    preload_torch()
    job.run()


class JobRunner(QObject):
    """A queue of jobs run one at a time on a worker thread.

    One at a time on purpose: engines share one device (and, on a CPU machine, a thread
    budget chosen for it), so two generations at once would each run slower than half.
    Jobs of the :data:`NETWORK_TASK` (model downloads, hub searches) are the exception:
    they run beside it, on two threads of their own.
    """

    job_added = Signal(object)  # Job
    job_changed = Signal(object)  # Job: its state or progress changed
    job_finished = Signal(object)  # Job: reached a final state
    job_removed = Signal(int)  # job id

    # (job, its new state's value or "" for progress only), from worker threads. Not None:
    # PySide6 6.12 miscounts references to None passed through queued `object` arguments.
    _relay = Signal(object, str)

    def __init__(self, parent: QObject | None = None, max_workers: int = 1) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_workers)
        self._network_pool = QThreadPool(self)
        self._network_pool.setMaxThreadCount(2)
        self._jobs: list[Job[Any]] = []
        self._last_emit: dict[int, float] = {}
        self._last_state: dict[int, JobState] = {}
        self._on_done: dict[int, JobCallback] = {}
        self._on_progress: dict[int, JobCallback] = {}
        self._relay.connect(self._on_relay)

    @property
    def jobs(self) -> list[Job[Any]]:
        return list(self._jobs)

    def get(self, job_id: int) -> Job[Any] | None:
        return next((j for j in self._jobs if j.id == job_id), None)

    def submit(
        self,
        job: Job[Any],
        *,
        on_done: JobCallback | None = None,
        on_progress: JobCallback | None = None,
    ) -> Job[Any]:
        """Queue a job; it starts when the worker is free.

        ``on_done(job)`` is called once, on the GUI thread, when the job reaches a final
        state (finished, failed or cancelled: it reads ``job.state``), before
        ``job_finished``. ``on_progress(job)`` is called on the GUI thread for each of its
        (thinned) progress and state changes, before ``job_changed``.
        """
        if on_done is not None:
            self._on_done[job.id] = on_done
        if on_progress is not None:
            self._on_progress[job.id] = on_progress
        self._jobs.append(job)
        self._last_state[job.id] = job.state
        job.add_listener(self._from_worker)
        self.job_added.emit(job)
        if job.task == NETWORK_TASK:
            self._network_pool.start(job.run)
        else:
            self._pool.start(lambda: _run_engine_job(job))
        return job

    def run(
        self,
        title: str,
        work: Callable[[JobContext], Any],
        *,
        task: str = "system",
        on_done: JobCallback | None = None,
        on_progress: JobCallback | None = None,
    ) -> Job[Any]:
        """Make a job of ``work`` and queue it (see :meth:`submit` for the callbacks)."""
        return self.submit(Job(title, work, task=task), on_done=on_done, on_progress=on_progress)

    def cancel(self, job_id: int) -> None:
        job = self.get(job_id)
        if job is not None:
            job.cancel()

    def cancel_all(self) -> None:
        for job in self._jobs:
            job.cancel()

    def clear_finished(self) -> None:
        for job in [j for j in self._jobs if j.state.is_final]:
            self._jobs.remove(job)
            self._last_emit.pop(job.id, None)
            self._last_state.pop(job.id, None)
            self.job_removed.emit(job.id)

    def active_jobs(self, task: str | None = None) -> list[Job[Any]]:
        return [j for j in self._jobs if not j.state.is_final and (task is None or j.task == task)]

    def wait_for_done(self, msecs: int = -1) -> bool:
        """Block until every job has finished (for shutdown and tests)."""
        if msecs < 0:
            return self._network_pool.waitForDone(-1) and self._pool.waitForDone(-1)
        started = time.monotonic()
        if not self._network_pool.waitForDone(msecs):
            return False
        left = max(0, msecs - int((time.monotonic() - started) * 1000))
        return self._pool.waitForDone(left)

    def shutdown(self, msecs: int = 3000) -> bool:
        self.cancel_all()
        return self.wait_for_done(msecs)

    # -- worker thread -> GUI thread ------------------------------------------------
    def _from_worker(self, job: Job[Any]) -> None:
        # Runs in the worker thread (or the GUI thread for a cancel of a queued job).
        state = job.state
        state_changed = self._last_state.get(job.id) is not state
        if not state_changed:
            now = time.monotonic()
            if now - self._last_emit.get(job.id, 0.0) < PROGRESS_INTERVAL_S:
                return
            self._last_emit[job.id] = now
        self._last_state[job.id] = state
        self._relay.emit(job, state.value if state_changed else "")

    def _on_relay(self, job: Job[Any], new_state: str) -> None:
        final = bool(new_state) and JobState(new_state).is_final
        on_progress = (
            self._on_progress.pop(job.id, None) if final else self._on_progress.get(job.id)
        )
        if on_progress is not None:
            on_progress(job)
        self.job_changed.emit(job)
        if final:
            on_done = self._on_done.pop(job.id, None)
            if on_done is not None:
                on_done(job)
            self.job_finished.emit(job)
