"""Melodies as token arrays on a 16th-note grid, the training corpus, and MIDI files.

One token a 16th note (the MusicVAE melody encoding, Roberts et al. 2018):

- ``REST`` (0): silence at this step (a sounding note stops here),
- ``HOLD`` (1): the note sounding at the previous step goes on,
- ``2 + p``: a new note of MIDI pitch ``PITCH_LOW + p`` starts here.

A HOLD right after a REST means nothing new, so ``canonical`` turns it into a REST;
every array this module returns is canonical.

The corpus (``assets/data/music/folk_melodies.npz``) is made once by
``engines/music/build_dataset.py`` from ``music21``'s bundled, public-domain
collections. It holds the tunes as they are (no transposition: that is done at
training time) with their key, meter and bar lines, and a fixed held-out split by tune.

MIDI reading and writing use ``mido`` (pure Python). Reading quantises to the grid and
says what it had to change (triplets, chords, several tracks, drums) in ``notices``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from engines import paths
from engines.errors import BadInput

REST, HOLD = 0, 1
PITCH_LOW, PITCH_HIGH = 36, 96  # MIDI pitches C2 (inclusive) .. C7 (exclusive)
NUM_PITCHES = PITCH_HIGH - PITCH_LOW
NUM_MELODY_TOKENS = 2 + NUM_PITCHES  # rest, hold, 60 pitches
STEPS_PER_QUARTER = 4  # a 16th-note grid
STEPS_PER_BAR = 16  # the VAE's windows are bars of 4/4

# Keys as (tonic pitch class, mode). Folk tunes use modes; a Dorian tune is not minor.
MODES = ("major", "minor", "dorian", "mixolydian")
MODE_SCALES = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
}
METERS = ("4/4", "2/4", "2/2", "3/4", "6/8", "9/8", "12/8", "3/8", "other")
METER_BAR_STEPS = {
    "4/4": 16,
    "2/4": 8,
    "2/2": 16,
    "3/4": 12,
    "6/8": 12,
    "9/8": 18,
    "12/8": 24,
    "3/8": 6,
}
NOTE_NAMES = ("C", "C♯", "D", "E♭", "E", "F", "F♯", "G", "A♭", "A", "B♭", "B")
COLLECTIONS = ("oneills1850", "ryansMammoth", "airdsAirs", "miscFolk", "bach")


def default_corpus_path() -> Path:
    return paths.assets_dir() / "data" / "music" / "folk_melodies.npz"


# -- tokens -------------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """One note of a melody, in 16th-note steps."""

    pitch: int  # MIDI pitch
    start: int  # step where it starts
    length: int  # steps it lasts (at least 1)


def pitch_token(pitch: int) -> int:
    return 2 + int(np.clip(pitch, PITCH_LOW, PITCH_HIGH - 1)) - PITCH_LOW


def token_pitch(token: int) -> int:
    return PITCH_LOW + int(token) - 2


def canonical(tokens: Iterable[int]) -> np.ndarray:
    """The same melody with every meaningless HOLD (after a rest or first) as REST."""
    out = np.asarray(list(tokens) if not isinstance(tokens, np.ndarray) else tokens)
    out = out.astype(np.int64).copy()
    sounding = False
    for i, t in enumerate(out):
        if t >= 2:
            sounding = True
        elif t == REST:
            sounding = False
        elif not sounding:
            out[i] = REST
    return out


def notes_to_tokens(notes: Iterable[Note], steps: int) -> np.ndarray:
    """Tokens for ``steps`` steps; a later note cuts an earlier one (monophony)."""
    tokens = np.full(steps, REST, dtype=np.int64)
    for note in sorted(notes, key=lambda n: (n.start, -n.pitch)):
        if note.start >= steps or note.start < 0:
            continue
        end = min(steps, note.start + max(1, note.length))
        tokens[note.start] = pitch_token(note.pitch)
        tokens[note.start + 1 : end] = HOLD
    return canonical(tokens)


def tokens_to_notes(tokens: Sequence[int] | np.ndarray) -> list[Note]:
    notes: list[Note] = []
    pitch, start = -1, 0
    arr = canonical(tokens)
    for i, t in enumerate(arr):
        if t == HOLD:
            continue
        if pitch >= 0:
            notes.append(Note(pitch, start, i - start))
            pitch = -1
        if t >= 2:
            pitch, start = token_pitch(int(t)), i
    if pitch >= 0:
        notes.append(Note(pitch, start, len(arr) - start))
    return notes


def transpose(tokens: np.ndarray, semitones: int) -> np.ndarray | None:
    """The melody moved by ``semitones``, or None where a note would leave the range."""
    out = np.asarray(tokens).astype(np.int64).copy()
    notes = out >= 2
    if not notes.any():
        return out
    moved = out[notes] + semitones
    if moved.min() < 2 or moved.max() >= NUM_MELODY_TOKENS:
        return None
    out[notes] = moved
    return out


# -- attributes ---------------------------------------------------------------------


def note_density(tokens: np.ndarray) -> float:
    """Note onsets per step."""
    return float((np.asarray(tokens) >= 2).mean())


def pitch_range(tokens: np.ndarray) -> float:
    """Highest minus lowest pitch, in semitones (0 for fewer than two notes)."""
    pitches = np.asarray(tokens)[np.asarray(tokens) >= 2]
    return float(pitches.max() - pitches.min()) if len(pitches) > 1 else 0.0


def syncopation(tokens: np.ndarray) -> float:
    """Share of onsets on off-beat 8ths and 16ths (steps not on a quarter-note beat)."""
    arr = np.asarray(tokens)
    onsets = np.flatnonzero(arr >= 2)
    if len(onsets) == 0:
        return 0.0
    return float((onsets % STEPS_PER_QUARTER != 0).mean())


ATTRIBUTES = {
    "density": note_density,
    "range": pitch_range,
    "syncopation": syncopation,
}


def in_scale_share(tokens: np.ndarray, tonic: int, mode: str) -> float:
    """Share of note onsets whose pitch class lies in the key's scale (1.0 if none)."""
    pitches = np.asarray(tokens)[np.asarray(tokens) >= 2] - 2 + PITCH_LOW
    if len(pitches) == 0:
        return 1.0
    scale = {(tonic + s) % 12 for s in MODE_SCALES.get(mode, MODE_SCALES["major"])}
    return float(np.isin(pitches % 12, list(scale)).mean())


def estimate_key(tokens: np.ndarray) -> tuple[int, str]:
    """The major or minor key whose scale holds most of the melody's note time.

    A Krumhansl-style profile would be finer; counting weighted in-scale time and
    preferring the tonic as the last or most frequent note is enough for folk tunes.
    """
    notes = tokens_to_notes(tokens)
    weight = np.zeros(12)
    for n in notes:
        weight[n.pitch % 12] += n.length
    if not notes:
        return 0, "major"
    last = notes[-1].pitch % 12
    best = (-1.0, 0, "major")
    for tonic in range(12):
        for mode in ("major", "minor"):
            scale = [(tonic + s) % 12 for s in MODE_SCALES[mode]]
            score = weight[scale].sum() + 0.5 * weight[tonic] + (2.0 if last == tonic else 0)
            if score > best[0]:
                best = (score, tonic, mode)
    return best[1], best[2]


def key_name(tonic: int, mode: str) -> str:
    return f"{NOTE_NAMES[tonic % 12]} {mode}"


def pitch_name(pitch: int) -> str:
    """A MIDI pitch in scientific pitch notation: 60 is "C4", 61 "C♯4", 69 "A4"."""
    return f"{NOTE_NAMES[pitch % 12]}{pitch // 12 - 1}"


# -- the corpus ---------------------------------------------------------------------


@dataclass
class Corpus:
    """The extracted tunes: token arrays with key, meter, bar lines and split."""

    tokens: list[np.ndarray]
    bar_starts: list[np.ndarray]  # steps where a full bar starts
    key_tonic: np.ndarray  # pitch class, -1 unknown
    key_mode: np.ndarray  # index in MODES, -1 unknown
    meter: np.ndarray  # index in METERS
    collection: np.ndarray  # index in COLLECTIONS
    held_out: np.ndarray  # bool: in the fixed held-out split
    titles: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.tokens)

    def indices(self, held_out: bool) -> np.ndarray:
        return np.flatnonzero(self.held_out == held_out)

    def key_of(self, i: int) -> tuple[int, str] | None:
        if self.key_tonic[i] < 0 or self.key_mode[i] < 0:
            return None
        return int(self.key_tonic[i]), MODES[int(self.key_mode[i])]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        lengths = np.array([len(t) for t in self.tokens])
        bar_counts = np.array([len(b) for b in self.bar_starts])
        np.savez_compressed(
            path,
            tokens=np.concatenate(self.tokens).astype(np.uint8),
            lengths=lengths,
            bar_starts=np.concatenate(self.bar_starts).astype(np.int32),
            bar_counts=bar_counts,
            key_tonic=self.key_tonic.astype(np.int8),
            key_mode=self.key_mode.astype(np.int8),
            meter=self.meter.astype(np.int8),
            collection=self.collection.astype(np.int8),
            held_out=self.held_out,
            titles=np.array(self.titles, dtype=str),
        )

    @classmethod
    def load(cls, path: Path | None = None) -> Corpus:
        path = path or default_corpus_path()
        if not path.exists():
            raise BadInput(
                f"the melody corpus {path} is missing: run "
                "`python engines/music/build_dataset.py` (needs `pip install music21`)"
            )
        with np.load(path) as z:
            flat = z["tokens"].astype(np.int64)
            cuts = np.cumsum(z["lengths"])[:-1]
            bars = z["bar_starts"].astype(np.int64)
            bar_cuts = np.cumsum(z["bar_counts"])[:-1]
            return cls(
                tokens=list(np.split(flat, cuts)),
                bar_starts=list(np.split(bars, bar_cuts)),
                key_tonic=z["key_tonic"].astype(np.int64),
                key_mode=z["key_mode"].astype(np.int64),
                meter=z["meter"].astype(np.int64),
                collection=z["collection"].astype(np.int64),
                held_out=z["held_out"].astype(bool),
                titles=[str(t) for t in z["titles"]],
            )


def split_held_out(count: int, share: float = 0.05, seed: int = 1234) -> np.ndarray:
    """A fixed held-out split by tune: the same tunes for the same count and seed."""
    rng = np.random.default_rng(seed)
    held = np.zeros(count, dtype=bool)
    held[rng.permutation(count)[: max(1, round(count * share))]] = True
    return held


def vae_windows(corpus: Corpus, indices: Iterable[int], steps: int = 32) -> np.ndarray:
    """All windows of ``steps`` steps that start on a bar line of a 4/4-family tune.

    Only meters whose bar divides 16 steps (4/4, 2/2, 2/4) so that a window is exactly
    two bars of 4/4; windows that are mostly rest are left out.
    """
    ok_meters = {METERS.index(m) for m in ("4/4", "2/2", "2/4")}
    out = []
    for i in indices:
        if int(corpus.meter[i]) not in ok_meters:
            continue
        tune = corpus.tokens[i]
        for b in corpus.bar_starts[i]:
            if b + steps <= len(tune):
                w = canonical(tune[b : b + steps])
                if (w != REST).mean() >= 0.5:
                    out.append(w)
    return np.stack(out) if out else np.zeros((0, steps), dtype=np.int64)


# -- MIDI files ---------------------------------------------------------------------


@dataclass
class MidiMelody:
    """A melody read from a MIDI file, with what reading it had to change."""

    tokens: np.ndarray
    tempo_bpm: float
    meter: str  # e.g. "4/4", or "other"
    notices: list[str] = field(default_factory=list)


def read_midi(path: Path, max_steps: int = 16 * 64) -> MidiMelody:
    """The top line of a MIDI file on the 16th-note grid.

    Several tracks are merged (drum channel 10 left out); chords keep their highest
    note; off-grid onsets (triplets, swing) are rounded to the nearest 16th and said
    so. Raises ``BadInput`` for a file that is not MIDI or has no pitched notes.
    """
    import mido

    path = Path(path)
    if not path.exists():
        raise BadInput(f"{path} does not exist")
    try:
        mid = mido.MidiFile(str(path))
    except Exception as exc:  # mido raises several types (OSError, EOFError, ValueError...)
        why = str(exc) or type(exc).__name__
        raise BadInput(f"{path.name} is not a readable MIDI file ({why})") from None
    tpb = mid.ticks_per_beat or 480
    notices: list[str] = []
    tempo_bpm = 120.0
    meter = "4/4"
    meters_seen: list[str] = []
    events: list[tuple[int, int, int]] = []  # (start tick, end tick, pitch)
    drum_notes = 0
    tracks_with_notes = 0
    for track in mid.tracks:
        tick = 0
        open_notes: dict[tuple[int, int], int] = {}
        track_notes = 0
        for msg in track:
            tick += msg.time
            if msg.type == "set_tempo" and tick == 0:
                tempo_bpm = round(60_000_000 / msg.tempo, 2)
            elif msg.type == "time_signature":
                meters_seen.append(f"{msg.numerator}/{msg.denominator}")
            elif msg.type == "note_on" and msg.velocity > 0:
                if msg.channel == 9:
                    drum_notes += 1
                    continue
                open_notes[(msg.channel, msg.note)] = tick
            elif msg.type == "note_off" or (msg.type == "note_on" and msg.velocity == 0):
                start = open_notes.pop((msg.channel, msg.note), None)
                if start is not None:
                    events.append((start, max(tick, start + 1), msg.note))
                    track_notes += 1
        tracks_with_notes += track_notes > 0
    if not events:
        if drum_notes:
            raise BadInput(f"{path.name} has only drums (channel 10): there is no melody in it")
        raise BadInput(f"{path.name} has no notes")
    if meters_seen:
        meter = meters_seen[0] if meters_seen[0] in METER_BAR_STEPS else "other"
        if len(set(meters_seen)) > 1:
            notices.append(
                f"the meter changes ({', '.join(dict.fromkeys(meters_seen))}); read as {meters_seen[0]}"
            )
        if meter == "other":
            notices.append(f"meter {meters_seen[0]} is unusual: the models know 4/4 best")
    if tracks_with_notes > 1:
        notices.append(f"{tracks_with_notes} tracks were merged; the top line was kept")
    if drum_notes:
        notices.append("drum notes (channel 10) were left out")

    step_ticks = tpb / STEPS_PER_QUARTER
    first = min(e[0] for e in events)
    # Start on the bar that holds the first note, so bar lines stay where they were.
    bar_ticks = tpb * 4
    origin = (first // bar_ticks) * bar_ticks
    off_grid = 0
    by_step: dict[int, tuple[int, int]] = {}  # step -> (pitch, end step)
    for start, end, pitch in events:
        pos = (start - origin) / step_ticks
        step = round(pos)
        if abs(pos - step) > 0.2:
            off_grid += 1
        end_step = max(step + 1, round((end - origin) / step_ticks))
        if step in by_step and by_step[step][0] >= pitch:
            continue
        by_step[step] = (pitch, end_step)
    chords = len(events) - len(by_step)
    if off_grid:
        notices.append(
            f"{off_grid} notes were off the 16th-note grid (triplets or swing) and were rounded to it"
        )
    if chords > 0:
        notices.append(f"{chords} notes sounding with higher ones (chords) were dropped")
    out_of_range = sum(1 for p, _ in by_step.values() if not PITCH_LOW <= p < PITCH_HIGH)
    if out_of_range:
        notices.append(f"{out_of_range} notes outside C2-B6 were clamped to that range")
    last_end = max(e for _, e in by_step.values())
    steps = min(max_steps, -(-last_end // STEPS_PER_BAR) * STEPS_PER_BAR)
    if last_end > max_steps:
        notices.append(f"only the first {max_steps // STEPS_PER_BAR} bars were kept")
    notes = [Note(p, s, e - s) for s, (p, e) in by_step.items()]
    return MidiMelody(notes_to_tokens(notes, steps), tempo_bpm, meter, notices)


@dataclass(frozen=True)
class MidiPart:
    """One instrument's notes for ``write_midi``."""

    notes: Sequence[Note]
    program: int = 0  # General MIDI program, 0-based
    channel: int = 0
    velocity: int = 96
    name: str = "Melody"


def write_midi(
    path: Path,
    parts: Sequence[MidiPart],
    tempo_bpm: float = 120.0,
    meter: str = "4/4",
    title: str = "",
) -> Path:
    """A type-1 MIDI file with one track per part."""
    import mido

    tpb = 480
    step_ticks = tpb // STEPS_PER_QUARTER
    mid = mido.MidiFile(type=1, ticks_per_beat=tpb, charset="utf-8")  # titles like "Sōzō"
    conductor = mido.MidiTrack()
    if title:
        conductor.append(mido.MetaMessage("track_name", name=title, time=0))
    conductor.append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(tempo_bpm), time=0))
    num, den = (int(v) for v in (meter if meter in METER_BAR_STEPS else "4/4").split("/"))
    conductor.append(mido.MetaMessage("time_signature", numerator=num, denominator=den, time=0))
    mid.tracks.append(conductor)
    for part in parts:
        track = mido.MidiTrack()
        track.append(mido.MetaMessage("track_name", name=part.name, time=0))
        track.append(
            mido.Message("program_change", program=part.program, channel=part.channel, time=0)
        )
        timeline: list[tuple[int, int, mido.Message]] = []
        for n in part.notes:
            on = mido.Message("note_on", note=n.pitch, velocity=part.velocity, channel=part.channel)
            off = mido.Message("note_off", note=n.pitch, velocity=0, channel=part.channel)
            timeline.append((n.start * step_ticks, 1, on))
            timeline.append(((n.start + n.length) * step_ticks, 0, off))
        timeline.sort(key=lambda e: (e[0], e[1]))
        now = 0
        for tick, _, msg in timeline:
            track.append(msg.copy(time=tick - now))
            now = tick
        mid.tracks.append(track)
    path = Path(path)
    mid.save(str(path))
    return path
