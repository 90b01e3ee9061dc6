"""Requests and results of the music engines. ``None`` means "the model's default"."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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
