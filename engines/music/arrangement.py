"""What to play and the files it makes, with no synthesiser: the :class:`Arrangement`
(melody, instrument, tempo, accompaniment, the tracks kept from a MIDI file), its MIDI
parts and MIDI export, and the comment and loudness lines written beside a render.

The soundfont renderer (:mod:`engines.music.render`, reached through
``engines.registry``) plays an Arrangement; everything here is file formats and
arithmetic, so a panel may import it without loading or running a model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from engines.audio import LOUDNESS_TARGET_LUFS, TRUE_PEAK_LIMIT_DBTP, measure_loudness
from engines.errors import BadInput
from engines.messages import message
from engines.music.data import (
    MODE_SCALES,
    STEPS_PER_QUARTER,
    MidiPart,
    Note,
    bar_steps,
    estimate_key,
    tokens_to_notes,
    write_midi,
)
from engines.music.instruments import INSTRUMENTS

SAMPLE_RATE = 44_100  # of every render


def instrument_program(name: str | None) -> int:
    if name is None:
        return 0
    key = name.strip().lower()
    if key not in INSTRUMENTS:
        raise BadInput(
            message("music.unknown_instrument", name=repr(name), known=", ".join(INSTRUMENTS))
        )
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


def loudness_note(audio: np.ndarray, sample_rate: int = SAMPLE_RATE) -> str:
    """What a render measures against the target, for export messages."""
    return message(
        "music.loudness",
        measured=measure_loudness(audio, sample_rate).describe(),
        target=f"{LOUDNESS_TARGET_LUFS:g}",
        peak=f"{TRUE_PEAK_LIMIT_DBTP:g}",
    )


def export_midi(
    path: Path,
    arrangement: Arrangement,
    title: str = "",
    *,
    overwrite: bool = True,
    recipe: str = "",
) -> Path:
    path = Path(path)
    if path.suffix.lower() not in (".mid", ".midi"):
        raise BadInput(message("music.midi_suffix", name=path.name))
    if not path.parent.exists():
        raise BadInput(message("music.no_folder", folder=str(path.parent)))
    return write_midi(
        path,
        midi_parts(arrangement),
        arrangement.tempo_bpm,
        arrangement.meter,
        title,
        overwrite=overwrite,
        recipe=recipe,
    )


def describe(settings: dict[str, Any]) -> str:
    """A one-line comment tag: ``key=value`` pairs of the settings that made a piece."""
    return "; ".join(f"{k}={v}" for k, v in settings.items() if v is not None)
