"""One way in to every engine: ``load(model_id, ctx) -> Engine``, then ``engine.generate``.

Each task package has an entry module (``engines/<task>/engine.py``) with a
``load(model_id, ctx)`` that returns an :class:`Engine`; this registry picks the entry
from the catalogue entry's ``engine_module`` field, so adding a model family means one
line in :data:`ENTRIES` and one ``load`` in its task's entry module. Nothing heavy is
imported here: an entry module is imported when a model it runs is loaded.

To add an engine, a newcomer reads this file, one ``engines/<task>/engine.py`` (the
thin adapters over each task's own API) and the catalogue entry of a model.
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path
from typing import Any, Protocol

from engines.catalogue import Catalogue, ModelEntry, Task
from engines.errors import BadInput, ModelUnavailable
from engines.jobs import JobContext
from engines.messages import message

# A catalogue entry's engine_module -> the entry module whose load() runs it.
ENTRIES: dict[str, str] = {
    "engines.text.llm": "engines.text.engine",
    "engines.image.emoji": "engines.image.engine",
    "engines.image.sd": "engines.image.engine",
    "engines.image.face_gan": "engines.image.engine",
    "engines.image.upscaler": "engines.image.engine",
    "engines.music.melody_vae": "engines.music.engine",
    "engines.music.melody_transformer": "engines.music.engine",
    "engines.music.render": "engines.music.engine",
    "engines.speech.piper": "engines.speech.engine",
    "engines.speech.kokoro": "engines.speech.engine",
}

# Where a task's entry module lives, for ids that are paths (``sozo text --model DIR``)
# and for the task's default model.
TASK_ENTRIES: dict[Task, str] = {
    Task.text: "engines.text.engine",
    Task.image: "engines.image.engine",
    Task.music: "engines.music.engine",
    Task.speech: "engines.speech.engine",
}


class Engine(Protocol):
    """A loaded model. ``generate`` does one request: it returns the task's result, or
    (speech) a stream of chunks the caller pulls, which is how it cancels and counts
    progress. Long work reports through ``ctx`` and checks its cancel at every step."""

    model_id: str

    def generate(self, request: Any, ctx: JobContext) -> Any: ...


class EntryModule(Protocol):
    """What every ``engines/<task>/engine.py`` offers."""

    DEFAULT_MODEL_ID: str

    def load(self, model_id: str, ctx: JobContext | None = None, **options: Any) -> Engine: ...


def _module(name: str) -> EntryModule:
    module: Any = importlib.import_module(name)
    return module


def resolve(
    model_id: str | None, task: Task | None = None, catalogue: Catalogue | None = None
) -> tuple[str, str]:
    """(model id, entry module name) for a catalogue id (None: ``task``'s default), or a
    model folder or file when ``task`` takes those (text). Unknown ids, models of another
    task and models no engine runs are a one-line :class:`BadInput`."""
    if model_id is None:
        if task is None:
            raise BadInput(message("registry.give_model"))
        return _module(TASK_ENTRIES[task]).DEFAULT_MODEL_ID, TASK_ENTRIES[task]
    catalogue = catalogue or Catalogue()
    try:
        entry: ModelEntry = catalogue.get(model_id)
    except ModelUnavailable:
        if task is Task.text and Path(model_id).expanduser().exists():
            return model_id, TASK_ENTRIES[task]
        known = ", ".join(m.id for m in catalogue.all() if task is None or m.task is task)
        raise BadInput(message("registry.unknown_model", model=model_id, known=known)) from None
    if task is not None and entry.task is not task:
        raise BadInput(
            message("registry.wrong_task", model=model_id, task=_a(entry.task), wanted=_a(task))
        )
    entry_module = ENTRIES.get(entry.engine_module or "")
    if entry_module is None:
        raise BadInput(message("registry.no_engine", model=model_id, module=entry.engine_module))
    return entry.id, entry_module


def _a(task: Task) -> str:
    """ "a text", "an image"... (a message: the Japanese has no article)."""
    return message(f"task.a.{task.value}")


def load(
    model_id: str | None,
    ctx: JobContext | None = None,
    *,
    task: Task | None = None,
    catalogue: Catalogue | None = None,
    **options: Any,
) -> Engine:
    """The engine for ``model_id`` (None: ``task``'s default), loaded (or reused).

    ``options`` go to the entry module's ``load`` as they are (the text entry takes
    ``device="cpu"``); one that ``load`` does not take is a one-line :class:`BadInput`.
    """
    resolved, entry_module = resolve(model_id, task, catalogue)
    module = _module(entry_module)
    if options:
        try:
            inspect.signature(module.load).bind(resolved, ctx, **options)
        except TypeError:
            names = ", ".join(sorted(options))
            raise BadInput(message("registry.no_option", model=resolved, names=names)) from None
    return module.load(resolved, ctx, **options)
