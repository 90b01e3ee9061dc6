"""The speech engine through the one engine interface (``engines.registry``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engines import registry, speech
from engines.catalogue import Task
from engines.errors import BadInput
from engines.jobs import JobContext
from engines.speech.engine import SpeechEngine, model_for
from engines.speech.types import SpeechRequest


def test_an_imported_voice_speaks_through_the_registry(tiny_voice: Path) -> None:
    voice = speech.import_piper_voice(tiny_voice)
    request = SpeechRequest(text="Hello there. And again.", voice_id=voice.id)
    assert model_for(request) == voice.model_id
    engine = registry.load(model_for(request), task=Task.speech)
    assert isinstance(engine, SpeechEngine)
    chunks = list(engine.generate(request, JobContext()))  # a generator: one chunk per sentence
    assert len(chunks) >= 2
    audio = np.concatenate([c.audio for c in chunks])
    assert audio.size > 0 and float(np.abs(audio).max()) > 0


def test_a_bad_request_fails_when_the_stream_is_made() -> None:
    engine = registry.load(None, task=Task.speech)
    with pytest.raises(BadInput, match="The text is empty"):
        engine.generate(SpeechRequest(text="  ", voice_id="no-such-voice"), JobContext())
    with pytest.raises(BadInput, match="Unknown voice"):
        engine.generate(SpeechRequest(text="Hello.", voice_id="no-such-voice"), JobContext())


def test_a_voice_loads_and_says_so_through_the_registry(tiny_voice: Path) -> None:
    from engines.speech import synthesis
    from engines.speech.engine import LoadVoiceRequest, VoiceLoadedQuery

    voice = speech.import_piper_voice(tiny_voice)
    synthesis.unload_all()
    query, load = VoiceLoadedQuery(voice.id), LoadVoiceRequest(voice.id)
    assert model_for(query) == model_for(load) == voice.model_id
    engine = registry.load(model_for(load), task=Task.speech)
    assert engine.generate(query, JobContext()) is False
    assert engine.generate(load, JobContext()) == "tiny"
    assert engine.generate(query, JobContext()) is True
    assert synthesis.is_loaded(voice.id)


def test_a_request_the_speech_engine_cannot_do_is_one_line() -> None:
    from engines.image.engine import UpscaleRequest

    engine = registry.load(None, task=Task.speech)
    with pytest.raises(BadInput) as caught:
        engine.generate(UpscaleRequest(image=None), JobContext())
    message = str(caught.value)
    assert message.endswith("not UpscaleRequest.") and "\n" not in message
