"""Recording every finished job into the history (``engines.history``).

:class:`HistoryRecorder` hears every job's end (``JobRunner.job_finished``). What a job's
result holds by itself becomes an item by its type (a sampled melody's
:class:`~engines.music.types.MusicResult`, a :class:`~engines.text.types.TextResult`).
What only the panel knows (the files an image was saved to, the conversation a reply
belongs to, the script a clip speaks) the panel hands over with :meth:`describe`, at
submit time or in its own ``on_done``, which runs before ``job_finished``; the recorder
then fills in what the job knows (its result's model and seed, how long it ran, the
device) and writes one item per output. Files written outside a job (a speech export)
are recorded at once with :meth:`record`.

The hooks panels call are the functions at the end of this module, so that a panel
needs one line per output and nothing if the studio runs without a history.

A write is one SQLite transaction on the GUI thread: about 0.2 ms on a laptop disk
(tests/history/test_store.py holds it under 5 ms), short enough not to need a thread.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from engines.catalogue import Catalogue
from engines.errors import SozoError
from engines.history import History, HistoryItem
from engines.image.types import ImageResult
from engines.jobs import Job, JobState
from engines.music.types import MusicResult
from engines.text.types import TextResult

if TYPE_CHECKING:
    from engines.imagefile import Recipe
    from engines.speech.audio import ClipTags
    from engines.speech.types import SpeechRequest
    from engines.text.types import TextRequest
    from studio.context import StudioContext

log = logging.getLogger(__name__)


class HistoryRecorder(QObject):
    """Writes each finished job's outputs to the history; ``recorded`` after each item."""

    recorded = Signal(object)  # HistoryItem, as written (with its id)
    failed = Signal(str)  # one line: the history could not be written

    def __init__(
        self,
        store: History,
        *,
        catalogue: Catalogue | None = None,
        device: Callable[[], str] = lambda: "",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self._catalogue = catalogue
        self._device = device
        self._pending: dict[int, list[HistoryItem]] = {}
        self._items_of_job: dict[int, list[int]] = {}
        self.error = ""

    def attach(self, runner: Any) -> None:
        """Hear every job of ``runner`` (a :class:`studio.jobs.JobRunner`)."""
        runner.job_finished.connect(self._on_job_finished)

    # -- what panels hand over ---------------------------------------------------------
    def describe(self, job: Job[Any], *drafts: HistoryItem) -> None:
        """What ``job`` makes, as the panel knows it; written when the job ends. May be
        called just after the job was submitted: its end reaches this (GUI) thread through
        the event loop, so never before the caller returns."""
        self._pending.setdefault(job.id, []).extend(drafts)

    def record(self, draft: HistoryItem, job: Job[Any] | None = None) -> HistoryItem | None:
        """Write one item now (filled in from ``job`` when given). Returns it, or None when
        the database could not be written (``failed`` says why, once per failure)."""
        item = self._filled(draft, job)
        try:
            written = self.store.record(item)
        except (sqlite3.Error, OSError, SozoError) as exc:
            self.error = self.tr("The history could not be written: %1").replace("%1", str(exc))
            log.exception("recording a history item")
            self.failed.emit(self.error)
            return None
        if job is not None:
            self._items_of_job.setdefault(job.id, []).append(written.id)
        self.recorded.emit(written)
        return written

    def add_file(self, job: Job[Any], path: Path, fallback: HistoryItem) -> HistoryItem | None:
        """A file written later from ``job``'s output (an exported clip): added to the item
        recorded for that job, or recorded as ``fallback`` if there is none."""
        for item_id in self._items_of_job.get(job.id, []):
            try:
                item = self.store.add_file(item_id, path)
            except (sqlite3.Error, OSError, SozoError):
                continue  # removed from the history meanwhile: record it anew
            self.recorded.emit(item)
            return item
        return self.record(replace(fallback, files=(path,)), job)

    # -- the end of every job ----------------------------------------------------------
    def _on_job_finished(self, job: Job[Any]) -> None:
        drafts = self._pending.pop(job.id, None)
        if drafts is None:
            drafts = self._from_result(job)
        keep = job.state is JobState.finished or (
            job.state is JobState.cancelled and job.result is not None
        )
        for draft in drafts if keep else []:
            if draft.kind == "text" and not (draft.body or _result_text(job)):
                continue  # stopped before its first word: nothing was made
            if draft.kind == "speech" and getattr(job.result, "frames", 1) == 0:
                continue  # a clip stopped before its first sound
            self.record(draft, job)

    @staticmethod
    def _from_result(job: Job[Any]) -> list[HistoryItem]:
        """Items from a result that holds its whole output (no panel described it)."""
        result = job.result
        if isinstance(result, MusicResult):
            from engines.music.data import STEPS_PER_BAR

            recipe = {"tokens": list(result.tokens), "tempo_bpm": result.tempo_bpm}
            bars = len(result.tokens) / STEPS_PER_BAR
            title = (
                QCoreApplication.translate("HistoryRecorder", "%1: %2 bars at %3 BPM")
                .replace("%1", job.title)
                .replace("%2", f"{bars:g}")
                .replace("%3", f"{result.tempo_bpm:g}")
            )
            return [HistoryItem(kind="melody", prompt=title, recipe=recipe)]
        if isinstance(result, TextResult):
            return [HistoryItem(kind="text", body=result.text)]
        return []  # model loads, renders for playback, the device probe...

    def _filled(self, draft: HistoryItem, job: Job[Any] | None) -> HistoryItem:
        item = draft
        result = job.result if job is not None else None
        if isinstance(result, TextResult):
            item = replace(
                item,
                body=item.body or result.text,
                model_id=item.model_id or result.model_id,
                seed=item.seed if item.seed is not None else result.seed,
            )
        elif isinstance(result, ImageResult | MusicResult):
            item = replace(
                item,
                model_id=item.model_id or result.model_id,
                seed=item.seed if item.seed is not None else result.seed,
            )
        if job is not None and item.duration is None:
            item = replace(item, duration=round(job.elapsed, 3))
        if not item.device:
            item = replace(item, device=self._device())
        if item.model_id and not item.licence and self._catalogue is not None:
            # A model no longer in the catalogue: its licence is unknown.
            with contextlib.suppress(SozoError):
                item = replace(item, licence=self._catalogue.get(item.model_id).licence)
        return item


def _result_text(job: Job[Any]) -> str:
    return job.result.text if isinstance(job.result, TextResult) else ""


# -- the hooks panels call (each does nothing when the studio has no history) ----------
def _recorder(context: StudioContext) -> HistoryRecorder | None:
    recorder = getattr(context, "history", None)
    return recorder if isinstance(recorder, HistoryRecorder) else None


def images_saved(
    context: StudioContext, job: Job[Any], saved: Iterable[tuple[Path, Recipe]]
) -> None:
    """The image panel saved a generation's pictures: one item each, with its recipe."""
    recorder = _recorder(context)
    if recorder is None:
        return
    drafts = [
        HistoryItem(
            kind="image",
            files=(path,),
            prompt=recipe.prompt,  # the negative prompt is in the parameters
            model_id=recipe.model or "",
            recipe={"parameters": recipe.to_parameters()},
            seed=recipe.seed,
        )
        for path, recipe in saved
    ]
    recorder.describe(job, *drafts)


def walk_exporting(context: StudioContext, job: Job[Any], path: Path, model_id: str) -> None:
    """The image panel started writing a walk between two results to ``path``."""
    recorder = _recorder(context)
    if recorder is not None:
        recorder.describe(
            job, HistoryItem(kind="walk", files=(path,), prompt=job.title, model_id=model_id)
        )


def text_reply_started(
    context: StudioContext, job: Job[Any], request: TextRequest, conversation_file: Path
) -> None:
    """The text panel asked for a reply; it is saved in ``conversation_file``."""
    recorder = _recorder(context)
    if recorder is None:
        return
    users = [m.content for m in request.messages if m.role == "user"]
    recipe = {
        "messages": [{"role": m.role, "content": m.content} for m in request.messages],
        "max_new_tokens": request.max_new_tokens,
        "temperature": request.temperature,
        "top_p": request.top_p,
        "top_k": request.top_k,
        "repetition_penalty": request.repetition_penalty,
        "steering": dict(request.steering),
    }
    recorder.describe(
        job,
        HistoryItem(
            kind="text",
            files=(conversation_file,),
            prompt=users[-1] if users else "",
            model_id=request.model_id or "",
            recipe=recipe,
        ),
    )


def _speech_recipe(request: SpeechRequest) -> dict[str, Any]:
    return {
        "voice_id": request.voice_id,
        "blend": dict(request.blend),
        "speed": request.speed,
        "noise_scale": request.noise_scale,
        "noise_w": request.noise_w,
    }


def speech_started(context: StudioContext, job: Job[Any], request: SpeechRequest) -> None:
    """The speech panel started speaking ``request``; its clip has no file until export."""
    recorder = _recorder(context)
    if recorder is None:
        return
    from engines.speech.engine import model_for

    try:
        model_id = model_for(request)
    except SozoError:
        model_id = request.voice_id or ""
    recorder.describe(
        job,
        HistoryItem(
            kind="speech", body=request.text, model_id=model_id, recipe=_speech_recipe(request)
        ),
    )


def speech_exported(
    context: StudioContext, job: Job[Any] | None, path: Path, tags: ClipTags | None
) -> None:
    """The speech panel wrote its clip (made by ``job``) to ``path``."""
    recorder = _recorder(context)
    if recorder is None or tags is None:
        return  # no history, or an opened audio file (nothing the studio made)
    fallback = HistoryItem(
        kind="speech", body=tags.text, recipe={"voice": tags.voice, "settings": tags.settings}
    )
    if job is None:
        recorder.record(replace(fallback, files=(path,)))
    else:
        recorder.add_file(job, path, fallback)


def melody_exporting(
    context: StudioContext,
    job: Job[Any],
    files: Iterable[Path],
    tokens: Any,
    tempo_bpm: float,
    settings: str,
) -> None:
    """The music panel started writing the melody to ``files`` (audio, then MIDI)."""
    recorder = _recorder(context)
    if recorder is None:
        return
    recipe = {"tokens": [int(t) for t in tokens], "tempo_bpm": tempo_bpm, "settings": settings}
    recorder.describe(
        job, HistoryItem(kind="melody", files=tuple(files), prompt=job.title, recipe=recipe)
    )
