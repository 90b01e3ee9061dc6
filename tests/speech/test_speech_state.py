"""The Speech panel's state and jobs, with no widget and no Qt application: the clip is
state with a ``clip_changed`` signal, requests are built from the state, and the jobs
reach the models only through ``engines.registry`` (here a scripted fake engine)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from engines.catalogue import Task
from engines.jobs import JobContext
from engines.speech.audio import ClipTags
from engines.speech.engine import LoadVoiceRequest, VoiceLoadedQuery
from engines.speech.types import SpeechChunk, SpeechRequest
from studio.panels import speech_state
from studio.panels.speech_state import Clip, SpeechState
from studio.widgets.clip_spool import ClipSpool


def _tone(n: int) -> np.ndarray:
    return (0.5 * np.sin(np.arange(n) / 5.0)).astype(np.float32)


def test_the_clip_is_state_and_changes_only_when_it_does(tmp_path: Path) -> None:
    state = SpeechState()
    seen: list[Clip | None] = []
    state.clip_changed.connect(seen.append)
    spool = ClipSpool(16_000, tmp_path)
    tags = ClipTags("Hello.", "piper:tiny", {"sample_rate": 16_000})
    state.show_clip(spool, tags)
    assert seen == [Clip(spool, tags, 0)] and not state.has_audio()
    state.show_clip(spool, tags)  # the same spool, no longer: no change
    assert len(seen) == 1
    spool.append(_tone(1000), "Hello.")
    state.show_clip(spool, tags)  # it grew: the views redraw
    assert len(seen) == 2 and state.clip == Clip(spool, tags, 1000) and state.has_audio()
    state.clear_clip()
    assert seen[-1] is None and state.clip is None and not state.has_audio()
    assert not spool.path.exists()  # clearing deletes the spool file
    state.clear_clip()
    assert len(seen) == 3  # cleared already: no change


def test_a_request_is_built_from_the_state_alone() -> None:
    state = SpeechState()
    state.text, state.voice_id, state.speed = "Hi.", "piper:tiny", 1.5
    state.noise_scale, state.noise_w = 0.3, 0.9
    assert state.request() == SpeechRequest("Hi.", "piper:tiny", {}, 1.5, 0.3, 0.9)
    state.voice_id, state.blend_with, state.blend_weight = "kokoro:jf_alpha", "jm_kumo", 0.25
    assert state.request("テスト") == SpeechRequest(
        "テスト", "kokoro:jf_alpha", {"jf_alpha": 0.75, "jm_kumo": 0.25}, 1.5, None, None
    )
    state.speed = 1.0  # the voice's own pace: left to the voice
    assert state.request().speed is None


@dataclass
class _FakeStream:
    """What a speech engine's SpeechRequest gives: chunks, and what the tags need."""

    chunks: list[SpeechChunk]
    sample_rate: int = 16_000
    voice_label: str = "piper:fake"
    sentences_total: int = 2
    ctx: Any = None

    def __iter__(self) -> Any:
        return iter(self.chunks)

    def settings_summary(self) -> dict[str, Any]:
        return {"sample_rate": self.sample_rate, "speed": "voice default"}


@dataclass
class _FakeEngine:
    model_id: str
    requests: list[Any] = field(default_factory=list)

    def generate(self, request: Any, ctx: JobContext) -> Any:
        self.requests.append(request)
        if isinstance(request, SpeechRequest):
            return _FakeStream([SpeechChunk(_tone(800), 16_000, t, i) for i, t in enumerate("ab")])
        if isinstance(request, LoadVoiceRequest):
            return "Fake voice"
        assert isinstance(request, VoiceLoadedQuery)
        return True


@pytest.fixture
def engines(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any, _FakeEngine]]:
    """Every registry.load the panel's jobs make: (model id, task, the engine given)."""
    loaded: list[tuple[str, Any, _FakeEngine]] = []

    def load(model_id: str, ctx: Any = None, *, task: Any = None, catalogue: Any = None) -> Any:
        engine = _FakeEngine(model_id)
        loaded.append((model_id, task, engine))
        return engine

    monkeypatch.setattr(speech_state.registry, "load", load)
    monkeypatch.setattr(speech_state, "model_for", lambda request: "fake-model")
    return loaded


def test_speaking_runs_the_engine_got_from_the_registry(
    engines: list[tuple[str, Any, _FakeEngine]],
) -> None:
    request = SpeechRequest(text="a. b.", voice_id="piper:fake")
    holder: dict[str, Any] = {}
    spool = speech_state.speak_work(request, holder)(JobContext())
    try:
        [(model_id, task, engine)] = engines
        assert (model_id, task, engine.requests) == ("fake-model", Task.speech, [request])
        assert spool is holder["spool"] and spool.frames == 1600 and spool.finished
        assert [t for _, t in spool.sentences] == ["a", "b"]
        assert holder["tags"] == ClipTags(
            "a. b.", "piper:fake", holder["stream"].settings_summary(), request=request
        )
    finally:
        spool.close()


def test_loading_a_voice_and_asking_if_it_is_loaded_go_through_the_registry(
    engines: list[tuple[str, Any, _FakeEngine]],
) -> None:
    assert speech_state.preload_work("piper:fake", None)(JobContext()) == "Fake voice"
    assert speech_state.voice_is_loaded("piper:fake") is True
    assert [(m, t, e.requests) for m, t, e in engines] == [
        ("fake-model", Task.speech, [LoadVoiceRequest("piper:fake")]),
        ("fake-model", Task.speech, [VoiceLoadedQuery("piper:fake")]),
    ]
