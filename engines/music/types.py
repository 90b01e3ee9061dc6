"""Requests and results of the music engines. ``None`` means "the model's default".

The melody engine (either melody model's id) takes a :class:`MusicRequest` (sample, or
work on MIDI files) and the in-memory requests a panel makes: :class:`ContinueRequest`,
:class:`EncodeRequest`, :class:`InterpolateRequest`, :class:`AttributeRequest` and
:class:`VariationsRequest`. The soundfont (:data:`SOUNDFONT_ID`) takes a
:class:`RenderRequest`. They live here, apart from the engines, so that code building
them imports no model code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from engines.errors import BadInput
from engines.messages import message

if TYPE_CHECKING:
    from engines.music.arrangement import Arrangement

# The catalogue id of the General MIDI soundfont every render plays through.
SOUNDFONT_ID = "fluidr3mono-gm"
MAX_BARS = 64  # the most bars one request samples or adds


def check_bars(bars: int) -> int:
    """``bars`` if a request may ask for it, else a one-line :class:`BadInput`."""
    if not 1 <= bars <= MAX_BARS:
        raise BadInput(message("music.bars_range", most=MAX_BARS, bars=bars))
    return bars


@dataclass(frozen=True)
class MusicRequest:
    bars: int = 2
    model_id: str | None = None
    seed: int | None = None
    temperature: float | None = None
    instrument: str | None = None
    tempo_bpm: float | None = None
    continue_from: Path | None = None  # a MIDI file to extend
    # Two MIDI files: morph the first into the second in ``steps`` melodies (the VAE).
    interpolate: tuple[Path, Path] | None = None
    steps: int = 5


@dataclass(frozen=True)
class MusicResult:
    tokens: tuple[int, ...]  # one per 16th note: rest, hold or pitch
    model_id: str
    seed: int
    tempo_bpm: float
    key: tuple[int, str] | None = None  # (tonic, mode) known from the input; None: estimate
    notices: tuple[str, ...] = ()  # what was changed or skipped, said for a person


@dataclass(frozen=True, eq=False)
class ContinueRequest:
    """Continue a melody in memory by ``bars`` bars (the Transformer); the result, a
    :class:`MusicResult`, starts with the melody unchanged."""

    tokens: np.ndarray  # (steps,) melody tokens
    bars: int
    seed: int | None = None
    temperature: float | None = None
    key: tuple[int, str] | None = None  # None: estimated from the melody


@dataclass(frozen=True, eq=False)
class EncodeRequest:
    """A melody's latent codes (the VAE): an array (chunks, latent), one per two bars."""

    tokens: np.ndarray  # (steps,) melody tokens


@dataclass(frozen=True, eq=False)
class InterpolateRequest:
    """Melodies between two melodies' latent codes (from :class:`EncodeRequest`), one per
    fraction (0: A, 1: B), slerped and decoded by the VAE: an :class:`InterpolateResult`."""

    a: np.ndarray  # (chunks, latent)
    b: np.ndarray  # (chunks, latent), the same shape as ``a``
    fractions: tuple[float, ...]


@dataclass(frozen=True, eq=False)
class InterpolateResult:
    melodies: tuple[np.ndarray, ...]  # one token array per fraction
    latents: tuple[np.ndarray, ...]  # the codes they were decoded from


@dataclass(frozen=True, eq=False)
class AttributeRequest:
    """A latent code moved along the attribute directions found in the data (note
    density, pitch range, syncopation) and decoded: the melody's tokens."""

    latent: np.ndarray  # (chunks, latent)
    amounts: Mapping[str, float] = field(default_factory=dict)  # attribute -> amount


@dataclass(frozen=True, eq=False)
class VariationsRequest:
    """``count`` melodies near this one in the VAE's latent space: a tuple of token arrays."""

    tokens: np.ndarray  # (steps,) melody tokens
    count: int
    spread: float = 0.6  # how far from the melody's code the variations are drawn
    seed: int | None = None


@dataclass(frozen=True, eq=False)
class RenderRequest:
    """Play an arrangement through the soundfont: stereo float32 audio (N, 2) at
    ``engines.music.arrangement.SAMPLE_RATE``, normalised to -16 LUFS."""

    arrangement: Arrangement
    tail_seconds: float = 1.0  # of release after the last note
