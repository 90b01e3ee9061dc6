"""The text task's entry for :mod:`engines.registry`: ``load(model_id, ctx) -> TextEngine``.

A thin adapter over :mod:`engines.text.llm`: the model is the one ``llm.get_model`` keeps
loaded between requests (one text model at a time). ``generate`` takes one of two
requests:

- a :class:`~engines.text.types.TextRequest`: the whole reply as a
  :class:`~engines.text.types.TextResult`, streamed through ``ctx`` while it is made (the
  Text panel's job shows ``ctx``'s previews);
- a :class:`StreamRequest`: a generator of the reply's text pieces, then the result, for
  a caller that prints them as they come (``sozo text``) and stops by not pulling.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from engines.errors import BadInput
from engines.jobs import JobContext
from engines.messages import message
from engines.text import llm
from engines.text.backend import TextModel
from engines.text.sources import DEFAULT_MODEL_ID
from engines.text.types import TextRequest, TextResult

__all__ = ["DEFAULT_MODEL_ID", "StreamRequest", "TextEngine", "load"]


@dataclass(frozen=True)
class StreamRequest:
    """A reply as a stream: ``generate`` returns an iterator of text pieces (each as its
    tokens are made) ending with the :class:`~engines.text.types.TextResult`."""

    request: TextRequest


@dataclass
class TextEngine:
    """A loaded language model behind the one engine interface."""

    model: TextModel

    @property
    def model_id(self) -> str:
        return self.model.model_id

    @property
    def supports_steering(self) -> bool:
        """Whether the model's backend can steer (llama.cpp cannot)."""
        return self.model.supports_steering

    @property
    def backend(self) -> str:
        return self.model.backend

    @property
    def warnings(self) -> tuple[str, ...]:
        """Said with every reply (e.g. the fast path failed its check)."""
        return self.model.warnings

    def generate(
        self, request: TextRequest | StreamRequest, ctx: JobContext | None = None
    ) -> TextResult | Iterator[str | TextResult]:
        """The reply to ``request``: a :class:`TextResult` for a :class:`TextRequest` (a
        cancel through ``ctx`` gives the text so far, stopped early), or the stream of
        pieces for a :class:`StreamRequest`."""
        if isinstance(request, StreamRequest):
            _check_prompt(request.request)
            return self._stream(request.request, ctx)
        if not isinstance(request, TextRequest):
            raise BadInput(
                message("text.wrong_request", model=self.model_id, kind=type(request).__name__)
            )
        _check_prompt(request)
        result = self.model.generate(replace(request, model_id=self.model_id), ctx)
        if ctx is not None and ctx.cancelled:
            return replace(result, stopped_early=True)
        return result

    def _stream(self, request: TextRequest, ctx: JobContext | None) -> Iterator[str | TextResult]:
        yield from self.model.stream(replace(request, model_id=self.model_id), ctx)


def _check_prompt(request: TextRequest) -> None:
    if not request.messages or not request.messages[-1].content.strip():
        raise BadInput(message("text.prompt_empty"))


def load(model_id: str, ctx: JobContext | None = None, *, device: str | None = None) -> TextEngine:
    """The text model ``model_id`` (a catalogue id, a model folder or a .gguf file) on
    ``device`` ("cpu" or "cuda"; None: the studio's device policy)."""
    return TextEngine(llm.get_model(model_id, ctx, device=device))
