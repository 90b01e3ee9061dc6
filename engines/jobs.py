"""Jobs: one unit of engine work, its observable state, progress and cancellation.

The same code runs a job in the studio (on a Qt worker thread, see ``studio.jobs``) and
in the CLI (in the main thread). An engine never sees a job: it gets a
:class:`JobContext`, reports ``(step, total, preview)`` through it, and calls
:meth:`JobContext.report` or :meth:`JobContext.check` at every step, token or sentence,
which raises :class:`Cancelled` once a cancel was asked for. Whatever the engine has made
so far it hands to :meth:`JobContext.keep_partial`, so a cancelled job still has a usable
result (the tokens so far, the sentences spoken so far).

Modelled on diffusers' per-step callback and Krita AI Diffusion's job states.
"""

from __future__ import annotations

import enum
import itertools
import logging
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from engines import errorlog
from engines.errors import SozoError, describe_error
from engines.messages import Message

log = logging.getLogger(__name__)

T = TypeVar("T")


class JobState(enum.Enum):
    """Where a job is in its life. The last three are final."""

    queued = "queued"
    running = "running"
    finished = "finished"
    failed = "failed"
    cancelled = "cancelled"

    @property
    def is_final(self) -> bool:
        return self in (JobState.finished, JobState.failed, JobState.cancelled)


class Cancelled(Exception):
    """Raised inside an engine when the user cancelled its job."""


@dataclass(frozen=True)
class Progress:
    """One progress report from an engine.

    ``total`` is None when the amount of work is not known in advance (a streamed reply).
    ``preview`` is engine-specific: a PIL image for a sampling step, the text so far, an
    audio chunk. It may be large, so listeners must not keep every one.
    """

    step: int
    total: int | None = None
    message: str = ""
    preview: Any = None

    @property
    def fraction(self) -> float | None:
        if not self.total:
            return None
        return max(0.0, min(1.0, self.step / self.total))


class JobContext:
    """What an engine gets to report progress and to learn of a cancel.

    Thread-safe: ``cancel()`` may be called from any thread.
    """

    def __init__(
        self,
        on_progress: Callable[[Progress], None] | None = None,
        cancel_event: threading.Event | None = None,
    ) -> None:
        self._on_progress = on_progress
        self._cancel = cancel_event or threading.Event()
        self._partial: Any = None
        self.last_progress: Progress | None = None

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def check(self) -> None:
        """Raise :class:`Cancelled` if a cancel was asked for."""
        if self._cancel.is_set():
            raise Cancelled()

    def report(
        self, step: int, total: int | None = None, *, message: str = "", preview: Any = None
    ) -> None:
        """Report progress, then raise :class:`Cancelled` if a cancel was asked for."""
        progress = Progress(step=step, total=total, message=message, preview=preview)
        self.last_progress = progress
        if self._on_progress is not None:
            self._on_progress(progress)
        self.check()

    def child(self) -> JobContext:
        """A context that shares this one's cancel but reports nowhere: for work done as
        one part of a job whose own progress counts the parts (a batch's items)."""
        return JobContext(cancel_event=self._cancel)

    def keep_partial(self, result: Any) -> None:
        """Hand over the result made so far; a cancelled job keeps it as its result."""
        self._partial = result

    @property
    def partial(self) -> Any:
        return self._partial

    def wait(self, seconds: float) -> None:
        """Sleep that wakes at once on cancel (then raises :class:`Cancelled`)."""
        if self._cancel.wait(seconds):
            raise Cancelled()


_job_ids = itertools.count(1)


class Job(Generic[T]):
    """A titled piece of work with a state, progress, result and error text.

    ``work`` is called with a :class:`JobContext`. Listeners added with
    :meth:`add_listener` are called (from the thread running the job) after each change;
    the studio turns those calls into Qt signals.
    """

    def __init__(self, title: str, work: Callable[[JobContext], T], *, task: str = "system"):
        self.id: int = next(_job_ids)
        self.title = title
        self.task = task
        self._work = work
        self._lock = threading.Lock()
        self._listeners: list[Callable[[Job[T]], None]] = []
        self.state = JobState.queued
        self.progress: Progress | None = None
        self.result: T | None = None
        self.error: str | None = None
        # The same line with its message id, for the studio to show translated (None
        # when the error's text has no id: a plain SozoError string).
        self.error_message: Message | None = None
        self.error_details: str | None = None
        self.log_file: Path | None = None  # where an unexpected failure's traceback went
        self.created_at = time.monotonic()
        self.started_at: float | None = None
        self.finished_at: float | None = None
        self.context = JobContext(on_progress=self._on_progress)

    def __repr__(self) -> str:
        return f"Job(id={self.id}, title={self.title!r}, state={self.state.value})"

    # -- observation ---------------------------------------------------------------
    def add_listener(self, listener: Callable[[Job[T]], None]) -> None:
        self._listeners.append(listener)

    def _notify(self) -> None:
        for listener in list(self._listeners):
            try:
                listener(self)
            except Exception:  # a broken listener must not break the job
                errorlog.write_traceback("job listener failed", traceback.format_exc())

    def _on_progress(self, progress: Progress) -> None:
        self.progress = progress
        self._notify()

    @property
    def elapsed(self) -> float:
        """Seconds spent running (so far, or in all once final); 0 while queued."""
        if self.started_at is None:
            return 0.0
        end = self.finished_at if self.finished_at is not None else time.monotonic()
        return end - self.started_at

    # -- control -------------------------------------------------------------------
    def cancel(self) -> None:
        """Ask the job to stop. A queued job is cancelled at once; a running one at its
        next step. Cancelling a final job does nothing."""
        with self._lock:
            if self.state.is_final:
                return
            self.context.cancel()
            if self.state is JobState.queued:
                self.state = JobState.cancelled
                self.finished_at = self.started_at = time.monotonic()
            else:
                return
        self._notify()

    def run(self) -> None:
        """Run the work in the calling thread and record how it ended. Never raises."""
        with self._lock:
            if self.state is not JobState.queued:
                return
            self.state = JobState.running
            self.started_at = time.monotonic()
        self._notify()
        try:
            result = self._work(self.context)
        except Cancelled:
            self.result = self.context.partial
            self._finish(JobState.cancelled)
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                self.context.cancel()
                self.result = self.context.partial
                self._finish(JobState.cancelled)
                return
            self.error = describe_error(exc)
            self.error_message = self.error if isinstance(self.error, Message) else None
            self.error_details = "".join(traceback.format_exception(exc))
            self.result = self.context.partial
            if isinstance(exc, SozoError):
                # A message meant for a person (bad input, a missing model): the caller
                # shows it; a traceback of it on stderr would only bury it.
                log.info("job %s failed: %s", self.title, self.error)
            else:
                # An unexpected fault: its traceback goes to the log file, never to
                # stderr, and the one line shown names that file (self.log_file).
                what = f"job {self.title} failed: {self.error}"
                self.log_file = errorlog.write_traceback(what, self.error_details)
            self._finish(JobState.failed)
        else:
            self.result = result
            # Work that noticed the cancel itself and returned its partial result early
            # still counts as cancelled, so the user sees what happened.
            self._finish(JobState.cancelled if self.context.cancelled else JobState.finished)

    def _finish(self, state: JobState) -> None:
        with self._lock:
            self.state = state
            self.finished_at = time.monotonic()
        self._notify()
