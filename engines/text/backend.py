"""What the text engine asks of a loaded model, whichever backend runs it.

:class:`engines.text.llm.LoadedModel` (torch / the packed ONNX decoder) and
:class:`engines.text.llamacpp.LlamaCppModel` (llama.cpp) both satisfy it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Protocol

from engines.errors import SozoError
from engines.jobs import JobContext
from engines.text.sources import DEFAULT_MODEL_ID, resolve_source
from engines.text.types import ChatMessage, TextRequest, TextResult


class TextModel(Protocol):
    model_id: str
    name: str
    context_length: int
    warnings: tuple[str, ...]

    @property
    def supports_steering(self) -> bool:
        """Whether steering vectors change this model's replies."""
        ...

    @property
    def backend(self) -> str:
        """The runtime's name, said in the UI ("llama.cpp", "torch", ...)."""
        ...

    def count_prompt_tokens(self, messages: Sequence[ChatMessage]) -> int:
        """Tokens of the conversation in the model's chat template."""
        ...

    def stream(
        self, request: TextRequest, ctx: JobContext | None = None
    ) -> Iterator[str | TextResult]: ...

    def generate(self, request: TextRequest, ctx: JobContext | None = None) -> TextResult: ...


def llama_cpp_available() -> bool:
    """Whether llama.cpp imports here (set-up may have failed to build it)."""
    try:
        import llama_cpp  # noqa: F401
    except Exception:  # a missing package or a library that does not load
        return False
    return True


def runs_on_llama_cpp(model_id: str, source: Path) -> bool:
    """Whether :func:`engines.text.llm.open_model` runs this model on llama.cpp: a GGUF
    file other than the packaged default (whose packed decoder can be steered), when
    llama.cpp imports here."""
    return source.is_file() and model_id != DEFAULT_MODEL_ID and llama_cpp_available()


def steering_supported(model_id: str | None) -> bool:
    """Whether the model ``model_id`` will take steering vectors (read without loading
    it: the Text panel greys its sliders when not). A model that cannot be found yet
    counts as steerable; loading it says what is wrong."""
    try:
        resolved, _, source = resolve_source(model_id)
    except SozoError:
        return True
    return not runs_on_llama_cpp(resolved, source)
