"""Where the server's jobs run.

The window runs one job at a time on its :class:`~studio.jobs.JobRunner` (engines share
one device and one thread budget); the server gives each request a
:class:`~engines.jobs.Job` and hands it to a :class:`JobQueue`. ``sozo serve`` has no
window, so :class:`SerialJobQueue` runs the jobs one at a time on a thread of its own;
inside the window, :mod:`studio.qt_server` hands them to the window's runner instead.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any, Protocol

from engines.jobs import Job


class JobQueue(Protocol):
    """Something that runs submitted jobs (in order, on threads of its own)."""

    def submit(self, job: Job[Any]) -> None: ...


class SerialJobQueue:
    """Runs jobs one at a time, in the order given, on one worker thread.

    ``on_job(job)`` is called (on the submitting thread) for every job submitted, so the
    terminal can log the requests it serves."""

    def __init__(self, on_job: Callable[[Job[Any]], None] | None = None) -> None:
        self._jobs: queue.Queue[Job[Any] | None] = queue.Queue()
        self._on_job = on_job
        self._thread = threading.Thread(target=self._work, name="sozo-serve-jobs", daemon=True)
        self._thread.start()

    def submit(self, job: Job[Any]) -> None:
        if self._on_job is not None:
            self._on_job(job)
        self._jobs.put(job)

    def close(self, timeout: float = 5.0) -> None:
        """Cancel what is left and stop the worker once the running job has stopped."""
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                job.cancel()
        self._jobs.put(None)
        self._thread.join(timeout)

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            job.run()  # never raises; a cancelled queued job returns at once
