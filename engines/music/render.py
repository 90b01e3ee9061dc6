"""Melodies to sound and files: General MIDI rendering with a soundfont, accompaniment,
audio export with tags, and MIDI export.

Rendering plays the notes through ``tinysoundfont`` (MIT; a self-contained wheel, no
system library) with the FluidR3Mono GM soundfont (MIT) shipped in
``assets/soundfonts/``. ``tinysoundfont`` declares ``pyaudio`` for live playback, which
we do not use: it is installed with ``--no-deps``.

The accompaniment is deliberately simple: per bar, the diatonic triad of the key that
covers most of the melody's note time, as a held chord, and its root in the bass on
the strong beats.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from engines import paths
from engines.errors import BadInput, ModelUnavailable
from engines.music.data import (
    MODE_SCALES,
    STEPS_PER_QUARTER,
    MidiPart,
    Note,
    estimate_key,
    tokens_to_notes,
    write_midi,
)

SAMPLE_RATE = 44_100
SOUNDFONT_NAME = "FluidR3Mono_GM.sf3"

# Instruments offered by name (General MIDI program numbers, 0-based).
INSTRUMENTS = {
    "piano": 0,
    "electric piano": 4,
    "harpsichord": 6,
    "music box": 10,
    "vibraphone": 11,
    "organ": 19,
    "accordion": 21,
    "nylon guitar": 24,
    "steel guitar": 25,
    "violin": 40,
    "cello": 42,
    "strings": 48,
    "trumpet": 56,
    "clarinet": 71,
    "flute": 73,
    "pan flute": 75,
    "whistle": 78,
    "bagpipe": 109,
    "fiddle": 110,
}
AUDIO_FORMATS = {
    ".wav": ("WAV", "PCM_16"),
    ".flac": ("FLAC", "PCM_16"),
    ".ogg": ("OGG", "VORBIS"),
    ".mp3": ("MP3", "MPEG_LAYER_III"),
}


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

    def seconds_per_step(self) -> float:
        return 60.0 / self.tempo_bpm / STEPS_PER_QUARTER

    def duration_seconds(self) -> float:
        return len(self.tokens) * self.seconds_per_step()


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
    parts = [melody]
    if arrangement.accompaniment:
        parts += accompaniment_parts(
            arrangement.tokens, arrangement.key, bar_steps(arrangement.meter)
        )
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
    """Stereo float32 audio (N, 2) of the arrangement, with ``tail`` seconds of release."""
    _check_renderer()
    with _synth_lock:
        synth, sfid = _synth(str(soundfont_path()), sample_rate)
        # The synthesiser is shared: silence what a previous render left ringing, and let
        # its voices finish (they fade over a few milliseconds) before this one starts.
        synth.sounds_off()
        synth.generate(sample_rate // 10)
        return _render_with(synth, sfid, arrangement, sample_rate, tail)


def _render_with(
    synth: Any, sfid: int, arrangement: Arrangement, sample_rate: int, tail: float
) -> np.ndarray:
    parts = midi_parts(arrangement)
    events: list[tuple[int, int, int, int, int]] = []  # (step, order, channel, pitch, velocity)
    for part in parts:
        synth.program_select(part.channel, sfid, 0, part.program)
        for n in part.notes:
            events.append((n.start, 1, part.channel, n.pitch, part.velocity))
            events.append((n.start + n.length, 0, part.channel, n.pitch, 0))
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
    end = round(len(arrangement.tokens) * step_samples + tail * sample_rate)
    if end > done:
        chunks.append(np.frombuffer(synth.generate(end - done), dtype=np.float32).copy())
    audio = np.concatenate(chunks).reshape(-1, 2) if chunks else np.zeros((0, 2), np.float32)
    peak = float(np.abs(audio).max()) if len(audio) else 0.0
    if peak > 0.99:  # keep it from clipping when chords pile up
        audio *= 0.99 / peak
    return audio


def export_audio(
    path: Path,
    audio: np.ndarray,
    tags: dict[str, str] | None = None,
    sample_rate: int = SAMPLE_RATE,
) -> Path:
    """Write WAV, FLAC, OGG or MP3 (by the file's suffix) with title/comment/software tags."""
    import soundfile

    path = Path(path)
    fmt = AUDIO_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise BadInput(
            f"cannot write {path.suffix or 'files without a suffix'}: use .wav, .flac, .ogg or .mp3"
        )
    if not path.parent.exists():
        raise BadInput(f"the folder {path.parent} does not exist")
    tags = tags or {}
    with soundfile.SoundFile(
        str(path),
        "w",
        samplerate=sample_rate,
        channels=audio.shape[1],
        format=fmt[0],
        subtype=fmt[1],
    ) as f:
        for field_name in ("title", "comment", "software", "artist"):
            if tags.get(field_name):
                setattr(f, field_name, tags[field_name])
        f.write(audio)
    return path


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
    "SAMPLE_RATE",
    "Arrangement",
    "accompaniment_parts",
    "describe",
    "export_audio",
    "export_midi",
    "render",
]
