"""The text task's entry for :mod:`engines.registry`: ``load(model_id, ctx) -> TextEngine``.

A thin adapter over :mod:`engines.text.llm`: the model is the one ``llm.get_model`` keeps
loaded between requests (one text model at a time), and ``generate`` streams the reply
through ``ctx`` as the panel's job does; :meth:`TextEngine.stream` yields the text pieces
for a caller that prints them as they come (the CLI).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from engines.errors import BadInput
from engines.jobs import JobContext
from engines.text import llm
from engines.text.sources import DEFAULT_MODEL_ID
from engines.text.types import TextRequest, TextResult

__all__ = ["DEFAULT_MODEL_ID", "TextEngine", "load"]


@dataclass
class TextEngine:
    """A loaded language model behind the one engine interface."""

    model: llm.LoadedModel

    @property
    def model_id(self) -> str:
        return self.model.model_id

    @property
    def warnings(self) -> tuple[str, ...]:
        """Said with every reply (e.g. the fast path failed its check)."""
        return self.model.warnings

    def stream(
        self, request: TextRequest, ctx: JobContext | None = None
    ) -> Iterator[str | TextResult]:
        """The reply as text pieces as tokens are made, then the :class:`TextResult`."""
        yield from self.model.stream(replace(request, model_id=self.model_id), ctx)

    def generate(self, request: TextRequest, ctx: JobContext | None = None) -> TextResult:
        """The whole reply; a cancel through ``ctx`` gives the text so far, stopped early."""
        if not request.messages or not request.messages[-1].content.strip():
            raise BadInput("The prompt is empty: type a message first.")
        result = self.model.generate(replace(request, model_id=self.model_id), ctx)
        if ctx is not None and ctx.cancelled:
            return replace(result, stopped_early=True)
        return result


def load(model_id: str, ctx: JobContext | None = None) -> TextEngine:
    """The text model ``model_id`` (a catalogue id, a model folder or a .gguf file)."""
    return TextEngine(llm.get_model(model_id, ctx))
