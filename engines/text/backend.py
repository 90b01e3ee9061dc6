"""What the text engine asks of a loaded model, whichever backend runs it.

:class:`engines.text.llm.LoadedModel` (torch / the packed ONNX decoder) and
:class:`engines.text.llamacpp.LlamaCppModel` (llama.cpp) both satisfy it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from engines.jobs import JobContext
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
