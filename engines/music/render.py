"""Melodies to sound and files: General MIDI rendering with a soundfont, accompaniment,
loudness normalisation and MIDI export (audio files are written by :mod:`engines.audio`).

Rendering plays the notes through ``tinysoundfont`` (MIT; a self-contained wheel, no
system library) with the FluidR3Mono GM soundfont (MIT) shipped in
``assets/soundfonts/``. ``tinysoundfont`` declares ``pyaudio`` for live playback, which
we do not use: it is installed with ``--no-deps``.

The accompaniment is deliberately simple: per bar, the diatonic triad of the key that
covers most of the melody's note time, as a held chord, and its root in the bass on
the strong beats. Parts kept from a MIDI file (its other tracks) play as they are.

Renders are normalised to -16 LUFS with the true peak at most -1 dBTP by
``engines.audio.normalise_loudness`` (measures and names are re-exported here).
"""

from __future__ import annotations

import functools
import math
import threading
from dataclasses import dataclass, replace
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
from engines.errors import BadInput, ModelUnavailable
from engines.music.data import (
    DRUM_CHANNEL,
    MODE_SCALES,
    STEPS_PER_QUARTER,
    MidiPart,
    Note,
    estimate_key,
    tokens_to_notes,
    write_midi,
)
from engines.music.instruments import INSTRUMENTS

SAMPLE_RATE = 44_100
SOUNDFONT_NAME = "FluidR3Mono_GM.sf3"


def soundfont_path() -> Path:
    return paths.assets_dir() / "soundfonts" / SOUNDFONT_NAME


def instrument_program(name: str | None) -> int:
    if name is None:
        return 0
    key = name.strip().lower()
    if key not in INSTRUMENTS:
        raise BadInput(f"unknown instrument {name!r}: choose one of {', '.join(INSTRUMENTS)}")
    return INSTRUMENTS[key]


@dataclass(frozen=True)
class Arrangement:
    """What to play: the melody, its instrument, tempo and the optional accompaniment."""

    tokens: np.ndarray
    instrument: str = "piano"
    tempo_bpm: float = 120.0
    accompaniment: bool = False
    key: tuple[int, str] | None = None  # None: estimated from the melody
    meter: str = "4/4"
    # Parts kept from the MIDI file the melody came from (``MidiMelody.accompaniment``),
    # played as they are; the generated accompaniment, if any, starts after them.
    kept: tuple[MidiPart, ...] = ()

    def seconds_per_step(self) -> float:
        return 60.0 / self.tempo_bpm / STEPS_PER_QUARTER

    def steps(self) -> int:
        """Steps of music: the melody's, or the kept parts' if they last longer."""
        return max([len(self.tokens)] + [math.ceil(p.end_step()) for p in self.kept])

    def duration_seconds(self) -> float:
        return self.steps() * self.seconds_per_step()


def accompaniment_parts(
    tokens: np.ndarray, key: tuple[int, str] | None, bar: int = 16
) -> list[MidiPart]:
    """Bass and chords in the melody's key: one triad a bar, the best fit to the melody."""
    tonic, mode = key or estimate_key(tokens)
    scale = [(tonic + s) % 12 for s in MODE_SCALES.get(mode, MODE_SCALES["major"])]
    triads = [(scale[d], scale[(d + 2) % 7], scale[(d + 4) % 7]) for d in range(7)]
    # Prefer I, IV, V (and the minor's i, iv, v), then the others: folk harmony.
    preference = np.array([1.0, 0.6, 0.5, 0.9, 0.9, 0.6, 0.2])
    melody = tokens_to_notes(tokens)
    chords: list[Note] = []
    bass: list[Note] = []
    bars = -(-len(tokens) // bar)
    for b in range(bars):
        weight = np.zeros(12)
        for n in melody:
            overlap = min(n.start + n.length, (b + 1) * bar) - max(n.start, b * bar)
            if overlap > 0:
                weight[n.pitch % 12] += overlap
        if weight.sum() == 0:
            continue
        score = [weight[list(t)].sum() + preference[d] for d, t in enumerate(triads)]
        root, third, fifth = triads[int(np.argmax(score))]
        length = min(bar, len(tokens) - b * bar)
        for pc in (root, third, fifth):
            chords.append(Note(48 + pc, b * bar, length))  # C3-B3: under the tune
        bass_pitch = 36 + root
        beat = bar // 2 if bar % 2 == 0 else bar
        for s in range(0, length, beat):
            bass.append(Note(bass_pitch, b * bar + s, min(beat, length - s)))
    return [
        MidiPart(chords, program=0, channel=1, velocity=52, name="Chords"),
        MidiPart(bass, program=32, channel=2, velocity=72, name="Bass"),
    ]


def midi_parts(arrangement: Arrangement) -> list[MidiPart]:
    from engines.music.melody_transformer import bar_steps

    melody = MidiPart(
        tokens_to_notes(arrangement.tokens),
        program=instrument_program(arrangement.instrument),
        channel=0,
        velocity=100,
        name=f"Melody ({arrangement.instrument})",
    )
    parts = [melody, *arrangement.kept]
    if arrangement.accompaniment:
        bar = bar_steps(arrangement.meter)
        generated = accompaniment_parts(arrangement.tokens, arrangement.key, bar)
        # Under the bars of a file, its own accompaniment plays: bass and chords of ours
        # on top would clash with it. They take over where it ends.
        kept_end = max((p.end_step() for p in arrangement.kept), default=0.0)
        after = math.ceil(kept_end / bar) * bar
        if arrangement.kept:  # named apart from the file's own "Bass"
            generated = [
                replace(
                    p,
                    notes=[n for n in p.notes if n.start >= after],
                    name=f"Added {p.name.lower()}",
                )
                for p in generated
            ]
        parts += [p for p in generated if p.notes or not arrangement.kept]
    return parts


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


def loudness_note(audio: np.ndarray, sample_rate: int = SAMPLE_RATE) -> str:
    """What a render measures against the target, for export messages."""
    return (
        f"loudness {measure_loudness(audio, sample_rate)} (target "
        f"{LOUDNESS_TARGET_LUFS:g} LUFS, EBU R128; true peak at most {TRUE_PEAK_LIMIT_DBTP:g} dBTP)"
    )


def export_midi(path: Path, arrangement: Arrangement, title: str = "") -> Path:
    path = Path(path)
    if path.suffix.lower() not in (".mid", ".midi"):
        raise BadInput(f"a MIDI file name ends in .mid, not {path.name}")
    if not path.parent.exists():
        raise BadInput(f"the folder {path.parent} does not exist")
    return write_midi(
        path, midi_parts(arrangement), arrangement.tempo_bpm, arrangement.meter, title
    )


def describe(settings: dict[str, Any]) -> str:
    """A one-line comment tag: ``key=value`` pairs of the settings that made a piece."""
    return "; ".join(f"{k}={v}" for k, v in settings.items() if v is not None)


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
    "measure_loudness",
    "normalise_loudness",
    "render",
    "true_peak",
]
