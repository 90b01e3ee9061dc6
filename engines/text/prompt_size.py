"""A text model's context and its tokenizer, without its weights: what the API server
counts a prompt with before it queues a job, also for a model not loaded yet.

The context is the one :func:`engines.text.llm.load` gives the loaded model: a packed
GGUF's ``context_length`` (its ``<arch>.context_length``), an unpacked GGUF's
``<arch>.context_length`` header field (llama.cpp's ``n_ctx_train``), a folder's
``config.json`` ``max_position_embeddings`` (and ``sliding_window`` if smaller), all capped
at :data:`~engines.text.llm.MAX_CONTEXT_TOKENS`. Only tokenizer files (or a GGUF's
vocabulary) are read; one counter is kept per model file.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engines.errors import BadInput
from engines.messages import message
from engines.text import bpe, gguf_cpu, llm
from engines.text.backend import TextModel
from engines.text.sources import gguf_field, open_gguf
from engines.text.types import ChatMessage

DEFAULT_CONTEXT = 2048  # what the loader assumes when a config does not say


@dataclass(frozen=True)
class PromptCounter:
    """Counts a conversation's tokens as the model would read them."""

    model_id: str
    tokenizer: Any
    context_length: int

    def render(self, messages: Sequence[ChatMessage]) -> list[int]:
        return llm._render(self.tokenizer, messages)

    def count_prompt_tokens(self, messages: Sequence[ChatMessage]) -> int:
        return len(self.render(messages))


_lock = threading.Lock()
_counters: dict[tuple[str, str, int], PromptCounter] = {}


def counter(model_id: str | None) -> PromptCounter | TextModel:
    """The loaded model when it is ``model_id``'s; else a :class:`PromptCounter` made
    from its tokenizer and config (never its weights). :class:`BadInput` or
    :class:`~engines.errors.ModelUnavailable` when the model cannot be read."""
    loaded = llm.kept_model(model_id)
    if loaded is not None:
        return loaded
    resolved, _, source = llm.resolve_source(model_id)
    key = (resolved, str(source), int(source.stat().st_mtime))
    with _lock:
        made = _counters.get(key)
        if made is None:
            tokenizer, context = _read(source)
            made = PromptCounter(resolved, tokenizer, min(context, llm.MAX_CONTEXT_TOKENS))
            _counters[key] = made
    return made


def _read(source: Path) -> tuple[Any, int]:
    from transformers import AutoTokenizer

    try:
        if source.is_file():  # a GGUF
            folder = gguf_cpu.packed_dir(source)
            config = gguf_cpu.read_packed_config(folder)
            if config is not None:
                context = int(config.get("context_length") or DEFAULT_CONTEXT)
                checked = bpe.load(folder)  # the plain-Python tokenizer the model runs with
                if checked is not None:
                    return checked, context
                return AutoTokenizer.from_pretrained(str(folder), local_files_only=True), context
            reader = open_gguf(source)
            arch = gguf_field(reader, "general.architecture")
            context = int(gguf_field(reader, f"{arch}.context_length") or DEFAULT_CONTEXT)
            del reader
            tokenizer = AutoTokenizer.from_pretrained(
                str(source.parent), gguf_file=source.name, local_files_only=True
            )
            return tokenizer, context
        config = json.loads((source / "config.json").read_text(encoding="utf-8"))
        context = int(config.get("max_position_embeddings") or DEFAULT_CONTEXT)
        window = config.get("sliding_window")
        if isinstance(window, int) and window > 0:
            context = min(context, window)
        return AutoTokenizer.from_pretrained(str(source), local_files_only=True), context
    except BadInput:
        raise
    except Exception as exc:
        raise BadInput(
            message(
                "text.tokenizer_unreadable",
                source=str(source),
                reason=f"{type(exc).__name__}: {str(exc)[:160]}",
            )
        ) from None
