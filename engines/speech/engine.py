"""The speech task's entry for :mod:`engines.registry`: ``load(model_id, ctx) -> SpeechEngine``.

A thin adapter over :mod:`engines.speech`: ``generate(SpeechRequest, ctx)`` returns the
request's :class:`~engines.speech.SpeechStream`, a generator of one audio chunk per
sentence (or pause), as Piper's ``synthesize`` is: the caller streams, counts progress
and cancels by not pulling. The request is checked (text, voices in the markup,
settings) when the stream is made; the voice's weights load at its first sentence and
stay loaded for the process.
"""

from __future__ import annotations

from dataclasses import dataclass

from engines import speech
from engines.catalogue import Catalogue, Task
from engines.errors import BadInput, ModelUnavailable
from engines.jobs import JobContext
from engines.speech.types import SpeechRequest

DEFAULT_MODEL_ID = speech.PIPER_MODEL_ID


@dataclass
class SpeechEngine:
    """A text-to-speech model (Piper voice file or Kokoro) behind the one engine interface."""

    model_id: str

    def generate(
        self, request: SpeechRequest, ctx: JobContext | None = None
    ) -> speech.SpeechStream:
        """The :class:`~engines.speech.SpeechStream` of ``request`` (nothing is spoken
        until it is iterated); set its ``ctx`` later if the job starts after the check."""
        return speech.stream(request, ctx)


def model_for(request: SpeechRequest) -> str:
    """The catalogue id of the model that speaks ``request``'s voice (a blend: Kokoro).
    A voice that cannot be found gives the default: making the stream then says why, in
    the order it checks (empty text first)."""
    if request.blend:
        return speech.KOKORO_MODEL_ID
    try:
        voice_id = request.voice_id or speech.default_voice_for(request.text or "")
        return speech.find_voice(voice_id).model_id
    except (BadInput, ModelUnavailable):
        return DEFAULT_MODEL_ID


def load(model_id: str, ctx: JobContext | None = None) -> SpeechEngine:
    """The engine for a speech model; its voice's weights load at the first sentence."""
    if Catalogue().get(model_id).task is not Task.speech:
        raise BadInput(f"'{model_id}' is not a speech model.")
    return SpeechEngine(model_id)
