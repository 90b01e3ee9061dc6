"""Requests and results of the speech engines. ``None`` means "the voice's default"."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SpeechRequest:
    text: str
    voice_id: str | None = None
    blend: dict[str, float] = field(default_factory=dict)  # voice -> weight (Kokoro)
    speed: float | None = None
    noise_scale: float | None = None
    noise_w: float | None = None
    seed: int | None = None
    """Seeds the voice's noise (Piper): the same seed gives the same samples in any
    process; None draws fresh noise each time."""
    quick_start: bool = True
    """Speak the first sentence's first clause as a chunk of its own, so that playback
    can start sooner (see ``engines.speech.text.split_first_clause``)."""


@dataclass(frozen=True)
class SpeechChunk:
    """One sentence of audio (or the head or rest of one), as the engine yields it."""

    audio: Any  # float32 numpy array, mono
    sample_rate: int
    text: str
    index: int
    ends_sentence: bool = True  # False for the head of a sentence cut for a quick start


@dataclass(frozen=True)
class SpeechResult:
    audio: Any  # float32 numpy array, mono
    sample_rate: int
    voice_id: str
    notices: tuple[str, ...] = ()
