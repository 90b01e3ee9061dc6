"""Where a text model comes from: a catalogue id or a path, and its files' headers.

Read without importing torch or transformers (the ``gguf`` reader only), so the memory
estimate and the panel's import check stay quick.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from engines.errors import BadInput
from engines.messages import message

DEFAULT_MODEL_ID = "smollm2-135m-instruct"


def open_gguf(path: Path) -> Any:
    """A ``gguf.GGUFReader`` for ``path``, or :class:`BadInput` naming the file. The
    header is checked first (:func:`engines.text.gguf_header.read_header`), so the reader
    never sees a count or length the file cannot hold."""
    from engines.text.gguf_header import read_header

    read_header(path)
    try:
        import gguf

        return gguf.GGUFReader(path)
    except Exception as exc:  # the reader raises ValueError, IndexError... on damage
        raise BadInput(
            message(
                "text.gguf_damaged",
                path=str(path),
                reason=f"{type(exc).__name__}: {str(exc)[:160]}",
            )
        ) from None


def gguf_field(reader: Any, key: str) -> Any:
    fieldinfo = reader.fields.get(key)
    if fieldinfo is None:
        return None
    try:
        return fieldinfo.contents()
    except Exception:
        return None


def read_config(folder: Path) -> dict[str, Any]:
    config_file = folder / "config.json"
    if not config_file.exists():
        raise BadInput(message("text.no_config", folder=str(folder)))
    try:
        data = json.loads(config_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadInput(
            message("text.config_unreadable", path=str(config_file), reason=str(exc))
        ) from None
    if not isinstance(data, dict):
        raise BadInput(message("text.config_not_model", path=str(config_file)))
    return data


def require_causal_lm(folder: Path) -> dict[str, Any]:
    """The folder's config, or :class:`BadInput` when it is not a model that generates
    text (its ``architectures`` name no ``…ForCausalLM``)."""
    config = read_config(folder)
    architectures = config.get("architectures") or []
    if architectures and not any(a.endswith("ForCausalLM") for a in architectures):
        raise BadInput(
            message("text.not_causal", folder=str(folder), architectures=", ".join(architectures))
        )
    return config


def check_importable(path: Path) -> None:
    """Refuse now, in one line, what the text engine could not load later: a file that is
    not a readable GGUF, a folder without a config, a model that is not a causal LM.
    Reads headers only (the Import button answers at once)."""
    if path.is_file():
        from engines.text.backend import llama_cpp_available
        from engines.text.gguf_header import check_architecture, read_header

        header = read_header(path)
        if llama_cpp_available():
            check_architecture(header)
        else:
            open_gguf(path)
    else:
        require_causal_lm(path)


def resolve_source(model_id: str | None, catalogue: Any = None) -> tuple[str, str, Path]:
    """(id, display name, GGUF file or model folder) for a catalogue id, or a path given
    directly (the CLI accepts a folder or .gguf file as ``--model``)."""
    from engines.catalogue import Catalogue

    model_id = model_id or DEFAULT_MODEL_ID
    candidate = Path(model_id).expanduser()
    if ("/" in model_id or model_id.endswith(".gguf")) and candidate.exists():
        return str(candidate.resolve()), candidate.name, candidate.resolve()
    entry = (catalogue or Catalogue()).get(model_id)
    if entry.task.value != "text":
        raise BadInput(
            message(
                "registry.wrong_task",
                model=model_id,
                task=message(f"task.a.{entry.task.value}"),
                wanted=message("task.a.text"),
            )
        )
    found = entry.require()
    return entry.id, entry.name, found[0]
