"""Melodies to sound: General MIDI rendering of an :class:`Arrangement` with a soundfont.

Rendering plays the notes through ``tinysoundfont`` (MIT; a self-contained wheel, no
system library) with the FluidR3Mono GM soundfont (MIT) shipped in
``assets/soundfonts/``. ``tinysoundfont`` declares ``pyaudio`` for live playback, which
we do not use: it is installed with ``--no-deps``. Callers reach it through
``engines.registry`` (the soundfont's catalogue id, ``fluidr3mono-gm``).

What is played and the files around it (the arrangement, its accompaniment, MIDI
export, the comment and loudness lines) live in :mod:`engines.music.arrangement`, which
loads nothing; they are re-exported here. The accompaniment is deliberately simple:
per bar, the diatonic triad of the key that covers most of the melody's note time, as a
held chord, and its root in the bass on the strong beats. Parts kept from a MIDI file
(its other tracks) play as they are.

Renders are normalised to -16 LUFS with the true peak at most -1 dBTP by
``engines.audio.normalise_loudness`` (measures and names are re-exported here).
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import Any

import numpy as np

from engines import paths
from engines.audio import (
    LOUDNESS_TARGET_LUFS,
    MAX_GAIN_DB,
    TRUE_PEAK_LIMIT_DBTP,
    Loudness,
    measure_loudness,
    normalise_loudness,
    true_peak,
)
from engines.errors import ModelUnavailable
from engines.music.arrangement import (
    SAMPLE_RATE,
    Arrangement,
    accompaniment_parts,
    describe,
    export_midi,
    instrument_program,
    loudness_note,
    midi_parts,
)
from engines.music.data import DRUM_CHANNEL
from engines.music.instruments import INSTRUMENTS

SOUNDFONT_NAME = "FluidR3Mono_GM.sf3"


def soundfont_path() -> Path:
    return paths.assets_dir() / "soundfonts" / SOUNDFONT_NAME


_synth_lock = threading.Lock()


@functools.cache
def _synth(path: str, sample_rate: int) -> tuple[Any, int]:
    """The synthesiser with the soundfont loaded, kept for the process.

    Loading decodes every Vorbis sample of the SF3 (several seconds), so it is done
    once; ``warm_up()`` lets a caller pay for it in the background.
    """
    import tinysoundfont

    synth = tinysoundfont.Synth(samplerate=sample_rate, gain=-3.0)
    return synth, synth.sfload(path)


def warm_up(sample_rate: int = SAMPLE_RATE) -> None:
    """Load the soundfont now (it takes seconds) so that the first render is quick."""
    _check_renderer()
    with _synth_lock:
        _synth(str(soundfont_path()), sample_rate)


def _check_renderer() -> None:
    try:
        import tinysoundfont  # noqa: F401
    except ImportError:
        raise ModelUnavailable(
            "music rendering needs tinysoundfont: pip install --no-deps tinysoundfont"
        ) from None
    if not soundfont_path().exists():
        raise ModelUnavailable(f"the soundfont {soundfont_path()} is missing")


def render(
    arrangement: Arrangement, sample_rate: int = SAMPLE_RATE, tail: float = 1.0
) -> np.ndarray:
    """Stereo float32 audio (N, 2) of the arrangement, with ``tail`` seconds of release.

    The audio is normalised with ``normalise_loudness``: -16 LUFS, true peak at most
    -1 dBTP.
    """
    _check_renderer()
    with _synth_lock:
        synth, sfid = _synth(str(soundfont_path()), sample_rate)
        # The synthesiser is shared: silence what a previous render left ringing, and let
        # its voices finish (they fade over a few milliseconds) before this one starts.
        synth.sounds_off()
        synth.generate(sample_rate // 10)
        audio = _render_with(synth, sfid, arrangement, sample_rate, tail)
    return normalise_loudness(audio, sample_rate)


def _render_with(
    synth: Any, sfid: int, arrangement: Arrangement, sample_rate: int, tail: float
) -> np.ndarray:
    parts = midi_parts(arrangement)
    # (step, order, channel, pitch, velocity): at one time, note-offs before note-ons
    events: list[tuple[float, int, int, int, int]] = []
    for part in parts:
        drums = part.channel == DRUM_CHANNEL
        synth.program_select(part.channel, sfid, 128 if drums else 0, part.program, drums)
        for n in part.notes:
            velocity = part.velocity if n.velocity is None else n.velocity
            start, end = n.start / part.subdivisions, (n.start + n.length) / part.subdivisions
            events.append((start, 1, part.channel, n.pitch, velocity))
            events.append((end, 0, part.channel, n.pitch, 0))
    events.sort()
    step_samples = arrangement.seconds_per_step() * sample_rate
    chunks: list[np.ndarray] = []
    done = 0
    for step, _, channel, pitch, velocity in events:
        at = round(step * step_samples)
        if at > done:
            chunks.append(np.frombuffer(synth.generate(at - done), dtype=np.float32).copy())
            done = at
        if velocity:
            synth.noteon(channel, pitch, velocity)
        else:
            synth.noteoff(channel, pitch)
    end = round(arrangement.steps() * step_samples + tail * sample_rate)
    if end > done:
        chunks.append(np.frombuffer(synth.generate(end - done), dtype=np.float32).copy())
    return np.concatenate(chunks).reshape(-1, 2) if chunks else np.zeros((0, 2), np.float32)


__all__ = [
    "INSTRUMENTS",
    "LOUDNESS_TARGET_LUFS",
    "MAX_GAIN_DB",
    "SAMPLE_RATE",
    "TRUE_PEAK_LIMIT_DBTP",
    "Arrangement",
    "Loudness",
    "accompaniment_parts",
    "describe",
    "export_midi",
    "instrument_program",
    "loudness_note",
    "measure_loudness",
    "midi_parts",
    "normalise_loudness",
    "render",
    "true_peak",
]
