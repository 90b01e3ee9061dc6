"""The speech task's entry for :mod:`engines.registry`: ``load(model_id, ctx) -> SpeechEngine``.

A thin adapter over :mod:`engines.speech.synthesis`. ``generate`` takes one of three
requests:

* :class:`~engines.speech.types.SpeechRequest`: returns the request's
  :class:`~engines.speech.synthesis.SpeechStream`, a generator of one audio chunk per
  sentence (or pause), as Piper's ``synthesize`` is: the caller streams, counts progress
  and cancels by not pulling. The request is checked (text, voices in the markup,
  settings) when the stream is made; the voice's weights load at its first sentence and
  stay loaded for the process;
* :class:`LoadVoiceRequest`: loads (and warms up) a voice now, so that its first
  sentence is quick (what the Speech panel does when a voice is picked);
* :class:`VoiceLoadedQuery`: whether a voice is loaded already, answered at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from engines import speech
from engines.catalogue import Catalogue, Task
from engines.errors import BadInput, ModelUnavailable
from engines.jobs import JobContext
from engines.messages import message
from engines.speech import synthesis
from engines.speech.types import SpeechRequest

DEFAULT_MODEL_ID = speech.PIPER_MODEL_ID


@dataclass(frozen=True)
class LoadVoiceRequest:
    """Load and warm up a voice's weights now (a no-op when they are loaded);
    ``generate`` returns the name of what was loaded, for the status line."""

    voice_id: str


@dataclass(frozen=True)
class VoiceLoadedQuery:
    """Whether a voice's weights are loaded already, so that loading it would do nothing;
    ``generate`` answers a bool at once and loads nothing."""

    voice_id: str


SpeechEngineRequest = SpeechRequest | LoadVoiceRequest | VoiceLoadedQuery


@dataclass
class SpeechEngine:
    """A text-to-speech model (Piper voice file or Kokoro) behind the one engine interface."""

    model_id: str

    def generate(
        self, request: SpeechEngineRequest, ctx: JobContext | None = None
    ) -> synthesis.SpeechStream | str | bool:
        """Do one request (see the module notes). A :class:`SpeechRequest` gives its
        stream, nothing spoken until it is iterated (set its ``ctx`` later if the job
        starts after the check)."""
        if isinstance(request, SpeechRequest):
            return synthesis.stream(request, ctx)
        if isinstance(request, LoadVoiceRequest):
            return synthesis.preload(request.voice_id)
        if isinstance(request, VoiceLoadedQuery):
            return synthesis.is_loaded(request.voice_id)
        raise BadInput(message("speech.wrong_request", kind=type(request).__name__))


def model_for(request: SpeechEngineRequest) -> str:
    """The catalogue id of the model that speaks ``request``'s voice (a blend: Kokoro).
    A voice that cannot be found gives the default: making the stream then says why, in
    the order it checks (empty text first)."""
    if isinstance(request, SpeechRequest) and request.blend:
        return speech.KOKORO_MODEL_ID
    voice_id = getattr(request, "voice_id", None)
    try:
        if isinstance(request, SpeechRequest) and not voice_id:
            voice_id = speech.default_voice_for(request.text or "")
        return speech.find_voice(voice_id).model_id if voice_id else DEFAULT_MODEL_ID
    except (BadInput, ModelUnavailable):
        return DEFAULT_MODEL_ID


def load(model_id: str, ctx: JobContext | None = None) -> SpeechEngine:
    """The engine for a speech model; its voice's weights load at the first sentence."""
    if Catalogue().get(model_id).task is not Task.speech:
        raise BadInput(message("speech.not_a_speech_model", model=model_id))
    return SpeechEngine(model_id)
