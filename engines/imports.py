"""Importing a model or voice the user has: one door, the same checks, for the CLI
(``sozo import``), the Models dialog and the panels' own Import buttons and drops.

A file the engine could not load is refused now, in one line, not at its first use:
a language model's GGUF header or folder config is read
(:func:`engines.text.sources.check_importable`), a Stable Diffusion checkpoint's tensor
names (:func:`engines.image.sd.detect_family`), and a Piper voice is loaded
(:func:`engines.speech.import_piper_voice`). The catalogue gives every import its own id.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engines.catalogue import Catalogue, ModelEntry, Task
from engines.errors import BadInput
from engines.messages import message


@dataclass(frozen=True)
class ImportKind:
    """What the user says a file is, and how the catalogue files it."""

    task: Task
    family: str
    engine_module: str
    what: str  # for the one line of a refusal


KINDS: dict[str, ImportKind] = {
    "text": ImportKind(Task.text, "transformer", "engines.text.llm", "language model"),
    "image": ImportKind(Task.image, "diffusion", "engines.image.sd", "Stable Diffusion model"),
    "voice": ImportKind(Task.speech, "tts (VITS)", "engines.speech.piper", "Piper voice"),
}


def kind_for_module(engine_module: str) -> str:
    """The :data:`KINDS` key of an engine module (the Models dialog lists modules)."""
    for name, kind in KINDS.items():
        if kind.engine_module == engine_module:
            return name
    raise BadInput(message("import.no_engine", module=engine_module))


def _check_image_model(path: Path) -> None:
    if path.is_dir():
        if not (path / "model_index.json").is_file():
            raise BadInput(message("import.not_diffusers", name=path.name))
        return
    if path.suffix.lower() != ".safetensors":
        raise BadInput(message("import.not_checkpoint", name=path.name))
    from engines.image.sd import detect_family

    detect_family(path)  # reads the header: a damaged or foreign file is refused here


def import_user_model(
    path: str | Path,
    kind: str,
    catalogue: Catalogue | None = None,
    *,
    name: str | None = None,
    licence: str | None = None,
) -> ModelEntry:
    """Check ``path`` as a ``kind`` (a :data:`KINDS` key) and add it to the catalogue;
    raises :class:`BadInput` with one line when the engine could not load it. ``name``
    and ``licence`` (a download's repository and its licence) replace the defaults."""
    if kind not in KINDS:
        raise BadInput(message("import.kind", kinds=", ".join(KINDS), kind=repr(kind)))
    found = KINDS[kind]
    p = Path(path).expanduser()
    if not p.exists():
        raise BadInput(message("import.missing", path=str(p)))
    cat = catalogue or Catalogue()
    if kind == "voice":
        from engines import speech

        speech.import_piper_voice(p, cat)  # loads it: a broken voice stops here
        return _entry_for(cat, p)
    if kind == "text":
        from engines.text.sources import check_importable

        check_importable(p.resolve())
    else:
        _check_image_model(p.resolve())
    extra: dict[str, str] = {}
    if name:
        extra["name"] = name
    if licence:
        extra["licence"] = licence
    return cat.import_model(p, found.task, found.family, engine_module=found.engine_module, **extra)


def _entry_for(catalogue: Catalogue, path: Path) -> ModelEntry:
    """The catalogue's entry for an imported voice file (an .onnx or its .onnx.json)."""
    onnx = path.with_name(path.name.removesuffix(".json")).resolve()
    for entry in catalogue.all():
        if entry.files and Path(entry.files[0].relpath) == onnx:
            return entry
    raise BadInput(message("import.not_added", name=path.name))
