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

MIDI reading and writing use ``mido`` (pure Python). Reading takes the melody from one
track onto the grid, keeps every other note (other tracks, drums, chords under the tune)
as accompaniment in its own timing, and says what it had to change in ``notices``.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from engines import paths
from engines.errors import BadInput
from engines.messages import message

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


def bar_steps(meter: str) -> int:
    """Steps (16ths) in a bar of ``meter``; a meter not listed counts as 4/4."""
    return METER_BAR_STEPS.get(meter, 16)


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
    velocity: int | None = None  # None: the part's velocity


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
            raise BadInput(message("music.no_corpus", path=str(path)))
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

# A kept part's times are in 1/120 of a 16th step: 480 ticks a quarter, the resolution
# ``write_midi`` writes, so a played part keeps its timing to the tick.
KEPT_SUBDIVISIONS = 120
DRUM_CHANNEL = 9  # General MIDI's channel 10
# Channels for the parts kept from a file: 0 is the melody, 1 and 2 the generated chords
# and bass, 9 the drums.
KEPT_CHANNELS = (3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15)
# Track names that say "this is the tune"; a track so named is preferred as the melody.
MELODY_NAME_HINTS = ("melody", "lead", "vocal", "voice", "solo", "soprano", "right hand")
KEY_TONICS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}


@dataclass(frozen=True)
class MidiPart:
    """One instrument's notes for ``write_midi`` and the renderer."""

    notes: Sequence[Note]
    program: int = 0  # General MIDI program, 0-based
    channel: int = 0  # 9 plays the drum kit
    velocity: int = 96  # for notes whose own velocity is None
    name: str = "Melody"
    # Note starts and lengths are in 1/subdivisions of a 16th step: 1 for the melody
    # grid, KEPT_SUBDIVISIONS for a part kept from a file with its own timing.
    subdivisions: int = 1

    def end_step(self) -> float:
        """The step where the part's last note ends (0 for no notes)."""
        return max((n.start + n.length for n in self.notes), default=0) / self.subdivisions


@dataclass
class MidiMelody:
    """A melody read from a MIDI file, what else the file holds, and what reading changed."""

    tokens: np.ndarray
    tempo_bpm: float
    meter: str  # a meter of METERS the models know ("4/4", "3/4"...), or "other"
    notices: list[str] = field(default_factory=list)
    time_signature: str = "4/4"  # as the file writes it for most of the piece, e.g. "7/8"
    key: tuple[int, str] | None = None  # the file's key signature; None: not given
    melody_track: str = "the file"  # where the melody came from, e.g. "track 'Piano'"
    # Every note not in the melody (other tracks, drums, the chords under the tune) in
    # the file's own timing, instruments and velocities, on the melody's grid.
    accompaniment: list[MidiPart] = field(default_factory=list)
    other_tracks: list[str] = field(default_factory=list)  # the tracks kept, e.g. "'Bass'"
    notes_under: int = 0  # notes of the melody's track under its top line, kept too
    # The kept tracks had pedal, pitch-bend or other controller messages, which are not
    # kept: only notes, velocities and instruments are.
    controls_left_out: bool = False

    def key_or_estimate(self) -> tuple[int, str]:
        return self.key or estimate_key(self.tokens)

    def summary(self) -> str:
        """What was read, for a person.

        E.g. "the melody of track 'Piano' (4/4, C major); 2 other tracks kept as
        accompaniment".
        """
        key = key_name(*self.key_or_estimate())
        if self.key is None:
            key = f"key estimated as {key}"
        text = f"the melody of {self.melody_track} ({self.time_signature}, {key})"
        kept = []
        if self.notes_under:
            kept.append(f"its {self.notes_under} lower {_plural(self.notes_under, 'note')}")
        if self.other_tracks:
            count = len(self.other_tracks)
            others = "other track" if count == 1 else "other tracks"
            kept.append(f"{count} {others} ({', '.join(self.other_tracks)})")
        if kept:
            text += f"; {' and '.join(kept)} kept as accompaniment"
        if self.controls_left_out:
            text += " (their notes, velocities and instruments; not their pedal or pitch bends)"
        return text


def _plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"


@dataclass
class _Voice:
    """The notes of one channel of one track, as read."""

    label: str  # "'Piano'", "track 2" (no name), "'Piano' channel 3" (a track of several)
    name: str  # the track's name, or "" when it has none
    channel: int
    program: int
    events: list[tuple[int, int, int, int]] = field(
        default_factory=list
    )  # start, end, pitch, velocity
    controls: int = 0  # pedal, pitch bend and other controller messages

    @property
    def drums(self) -> bool:
        return self.channel == DRUM_CHANNEL

    def mean_pitch(self) -> float:
        weights = [end - start for start, end, _, _ in self.events]
        return float(np.average([e[2] for e in self.events], weights=weights))


def _text(value: str) -> str:
    """A MIDI text as meant: mido reads text as latin-1, many programs write UTF-8."""
    try:
        return value.encode("latin-1").decode("utf-8").strip()
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value.strip()


def _parse_key(key: str) -> tuple[int, str] | None:
    """A ``key_signature`` message's key ("C", "F#m", "Bb") as (tonic, mode)."""
    mode = "minor" if key.endswith("m") else "major"
    name = key[:-1] if mode == "minor" else key
    if not name or name[0] not in KEY_TONICS:
        return None
    shift = {"#": 1, "b": -1}.get(name[1:], 0)
    return (KEY_TONICS[name[0]] + shift) % 12, mode


def _open_midi(path: Path) -> Any:
    import mido

    path = Path(path)
    if not path.exists():
        raise BadInput(message("music.file_missing", path=str(path)))
    try:
        return mido.MidiFile(str(path))
    except Exception as exc:  # mido raises several types (OSError, EOFError, ValueError...)
        why = str(exc) or type(exc).__name__
        raise BadInput(message("music.not_midi", name=path.name, reason=why)) from None


@dataclass
class _FileFacts:
    """What a MIDI file says about the whole piece, from any of its tracks."""

    tempo_bpm: float = 120.0  # MIDI's default
    signatures: list[tuple[int, str]] = field(default_factory=list)  # (tick, "4/4")
    keys: list[tuple[int, str]] = field(default_factory=list)  # (tick, "F#m")


def _read_track(index: int, track: Any, facts: _FileFacts) -> list[_Voice]:
    """The voices (one a channel) of one track; the piece's facts go into ``facts``."""
    tick = 0
    name = ""
    by_channel: dict[int, _Voice] = {}
    programs: dict[int, int] = {}
    controls: dict[int, int] = {}
    open_notes: dict[tuple[int, int], tuple[int, int]] = {}  # (channel, pitch): start, velocity

    def close(channel: int, pitch: int, at: int) -> None:
        started = open_notes.pop((channel, pitch), None)
        if started is not None:
            voice = by_channel.setdefault(channel, _Voice("", "", channel, 0))
            voice.events.append((started[0], max(at, started[0] + 1), pitch, started[1]))

    for msg in track:
        tick += msg.time
        kind = msg.type
        if kind == "track_name" and not name:
            name = _text(msg.name)
        elif kind == "set_tempo" and tick == 0:
            facts.tempo_bpm = round(60_000_000 / msg.tempo, 2)
        elif kind == "time_signature":
            facts.signatures.append((tick, f"{msg.numerator}/{msg.denominator}"))
        elif kind == "key_signature":
            facts.keys.append((tick, msg.key))
        elif kind == "program_change":
            programs.setdefault(msg.channel, msg.program)
        elif kind in ("control_change", "pitchwheel", "aftertouch", "polytouch"):
            controls[msg.channel] = controls.get(msg.channel, 0) + 1
        elif kind == "note_on" and msg.velocity > 0:
            close(msg.channel, msg.note, tick)  # a note struck again ends the one sounding
            open_notes[(msg.channel, msg.note)] = (tick, msg.velocity)
        elif kind == "note_off" or kind == "note_on":
            close(msg.channel, msg.note, tick)
    for channel, pitch in list(open_notes):  # notes never released end with the track
        close(channel, pitch, tick)
    track_label = f"'{name}'" if name else f"track {index + 1}"
    found = [v for v in by_channel.values() if v.events]
    for v in found:
        v.name = name
        v.program = programs.get(v.channel, 0)
        v.controls = controls.get(v.channel, 0)
        v.label = f"{track_label} channel {v.channel + 1}" if len(found) > 1 else track_label
    return found


def _main_time_signature(
    signatures: list[tuple[int, str]], end: int, tpb: int, notices: list[str]
) -> tuple[str, int]:
    """The time signature of most of the piece and the tick where it first starts.

    A notation program writes a pickup as a short bar of its own (1/4 before the 4/4
    bars): the piece is still in 4/4, so the meter is the one that lasts longest.
    """
    at_tick = dict(sorted(signatures))  # the last message at a tick wins
    if not at_tick:
        return "4/4", 0  # MIDI's default
    ticks = sorted(at_tick)
    if ticks[0] > 0:  # before the first message the file is in 4/4
        at_tick[0] = "4/4"
        ticks.insert(0, 0)
    spans: dict[str, int] = {}
    for i, tick in enumerate(ticks):
        stop = ticks[i + 1] if i + 1 < len(ticks) else max(end, tick + 1)
        spans[at_tick[tick]] = spans.get(at_tick[tick], 0) + max(0, stop - tick)
    main = max(spans, key=lambda ts: spans[ts])  # on a tie, the one heard first
    anchor = next(t for t in ticks if at_tick[t] == main)
    order = list(dict.fromkeys(at_tick[t] for t in ticks))
    if len(order) > 1:
        num, den = (int(v) for v in main.split("/"))
        bar = tpb * 4 * num / den
        before = [at_tick[t] for t in ticks if t < anchor]
        if (
            len(before) == 1
            and anchor <= bar
            and all(at_tick[t] == main for t in ticks if t >= anchor)
        ):
            notices.append(message("music.pickup_bar", written=before[0], main=main))
        else:
            notices.append(message("music.meter_changes", order=", ".join(order), main=main))
    return main, anchor


def read_midi(path: Path, max_steps: int = 16 * 64) -> MidiMelody:
    """The melody of a MIDI file on the 16th-note grid, and everything else it holds.

    The melody is the top line of one track: one named like a tune ("Melody", "Lead",
    "Vocal"...), else the highest-sounding track that is not much sparser than the
    others. Its chords keep their highest note; off-grid onsets (triplets, swing) are
    rounded to the nearest 16th and said so. Every other note (other tracks, drums,
    the notes under the top line) is kept in ``accompaniment`` with its own timing,
    velocity and instrument. Raises ``BadInput`` for a file that is not MIDI or has
    no pitched notes.
    """
    path = Path(path)
    mid = _open_midi(path)
    tpb = mid.ticks_per_beat or 480
    facts = _FileFacts()
    voices = [v for i, track in enumerate(mid.tracks) for v in _read_track(i, track, facts)]
    pitched = [v for v in voices if not v.drums]
    if not pitched:
        if voices:
            raise BadInput(message("music.only_drums", name=path.name))
        raise BadInput(message("music.no_notes", name=path.name))
    notices: list[str] = []
    first = min(e[0] for v in voices for e in v.events)
    end = max(e[1] for v in voices for e in v.events)
    time_signature, anchor = _main_time_signature(facts.signatures, end, tpb, notices)
    meter = time_signature if time_signature in METER_BAR_STEPS else "other"
    if meter == "other":
        notices.append(message("music.unusual_meter", meter=time_signature))

    # The grid starts on the bar line before the first note, bar lines where the file
    # has them (a pickup starts late in its bar).
    num, den = (int(v) for v in time_signature.split("/"))
    bar_ticks = tpb * 4 * num / den
    origin = anchor - math.ceil((anchor - first) / bar_ticks) * bar_ticks
    step_ticks = tpb / STEPS_PER_QUARTER

    melody_voice = _melody_voice(pitched)
    off_grid = 0
    by_step: dict[int, tuple[int, int, int]] = {}  # step -> (pitch, end step, event index)
    for index, (start, stop, pitch, _) in enumerate(melody_voice.events):
        pos = (start - origin) / step_ticks
        step = round(pos)
        if abs(pos - step) > 0.2:
            off_grid += 1
        end_step = max(step + 1, round((stop - origin) / step_ticks))
        if step in by_step and by_step[step][0] >= pitch:
            continue
        by_step[step] = (pitch, end_step, index)
    if off_grid:
        notices.append(message("music.off_grid", count=off_grid))
    out_of_range = sum(1 for p, _, _ in by_step.values() if not PITCH_LOW <= p < PITCH_HIGH)
    if out_of_range:
        notices.append(message("music.clamped", count=out_of_range))
    last_end = max(round((end - origin) / step_ticks), max(e for _, e, _ in by_step.values()))
    steps = min(max_steps, -(-last_end // STEPS_PER_BAR) * STEPS_PER_BAR)
    if last_end > max_steps:
        notices.append(message("music.bars_kept", bars=max_steps // STEPS_PER_BAR))
    notes = [Note(p, s, e - s) for s, (p, e, _) in by_step.items()]
    tokens = notes_to_tokens(notes, steps)

    in_melody = {i for _, _, i in by_step.values()}
    under = _Voice(
        f"the notes under the tune in {melody_voice.label}",
        f"{melody_voice.name or 'Melody'} (under the tune)",
        melody_voice.channel,
        melody_voice.program,
        [e for i, e in enumerate(melody_voice.events) if i not in in_melody],
        melody_voice.controls,
    )
    others = [v for v in voices if v is not melody_voice]
    parts, kept = _kept_parts(
        [v for v in (under, *others) if v.events], origin, step_ticks, steps, notices
    )
    label = melody_voice.label
    return MidiMelody(
        tokens,
        facts.tempo_bpm,
        meter,
        notices,
        time_signature,
        _file_key(facts.keys, first, tokens, notices),
        f"track {label}" if label.startswith("'") else label,
        parts,
        [v.label for v in kept if v is not under],
        sum(len(p.notes) for p, v in zip(parts, kept, strict=True) if v is under),
        any(v.controls for v in kept),
    )


def _melody_voice(pitched: list[_Voice]) -> _Voice:
    named = [v for v in pitched if any(h in v.name.lower() for h in MELODY_NAME_HINTS)]
    candidates = named or pitched
    busiest = max(len(v.events) for v in candidates)
    # A track of a few long high notes (a pad, a descant) is not the tune.
    candidates = [v for v in candidates if 4 * len(v.events) >= busiest]
    return max(candidates, key=lambda v: v.mean_pitch())


def _kept_parts(
    voices: list[_Voice], origin: float, step_ticks: float, steps: int, notices: list[str]
) -> tuple[list[MidiPart], list[_Voice]]:
    """The voices as parts in their own timing, each on a channel of its instrument."""
    scale = KEPT_SUBDIVISIONS / step_ticks
    limit = steps * KEPT_SUBDIVISIONS
    channels: dict[int, int] = {}  # program -> channel: voices of one instrument share one
    parts: list[MidiPart] = []
    kept: list[_Voice] = []
    left_out: list[str] = []
    for v in voices:
        if v.drums:
            channel = DRUM_CHANNEL
        elif v.program in channels or len(channels) < len(KEPT_CHANNELS):
            channel = channels.setdefault(v.program, KEPT_CHANNELS[len(channels)])
        else:
            left_out.append(v.label)
            continue
        notes = []
        for start, stop, pitch, velocity in v.events:
            at = round((start - origin) * scale)
            if at >= limit:
                continue
            length = max(1, min(limit, round((stop - origin) * scale)) - at)
            notes.append(Note(pitch, at, length, velocity))
        if not notes:
            continue
        name = v.name or v.label.title()
        parts.append(MidiPart(notes, v.program, channel, 96, name, KEPT_SUBDIVISIONS))
        kept.append(v)
    if left_out:
        notices.append(
            message("music.left_out", parts=", ".join(left_out), room=len(KEPT_CHANNELS))
        )
    return parts, kept


def _file_key(
    keys: list[tuple[int, str]], first: int, tokens: np.ndarray, notices: list[str]
) -> tuple[int, str] | None:
    """The file's key signature at its first note, unless the melody plainly is not in it.

    Many programs write C major whatever the music: the key is only believed when the
    melody fits its scale about as well as the best-fitting key.
    """
    if not keys:
        return None
    at_start = [k for t, k in sorted(keys) if t <= first]
    key = _parse_key(at_start[-1] if at_start else sorted(keys)[0][1])
    if key is None:
        return None
    estimate = estimate_key(tokens)
    if in_scale_share(tokens, *key) + 0.05 >= in_scale_share(tokens, *estimate):
        return key
    notices.append(message("music.key_disbelieved", said=key_name(*key), fits=key_name(*estimate)))
    return estimate


def _ascii(text: str) -> str:
    """Text that every MIDI reader shows right: most read MIDI text as latin-1 or ASCII."""
    text = text.replace("♯", "#").replace("♭", "b")
    folded = unicodedata.normalize("NFKD", text)
    return (
        "".join(c for c in folded if not unicodedata.combining(c))
        .encode("ascii", "replace")
        .decode("ascii")
    )


def write_midi(
    path: Path,
    parts: Sequence[MidiPart],
    tempo_bpm: float = 120.0,
    meter: str = "4/4",
    title: str = "",
    *,
    overwrite: bool = True,
    recipe: str = "",
) -> Path:
    """A type-1 MIDI file with one track per part, written whole or not at all
    (``overwrite=False`` refuses a path that exists). ``recipe`` (ASCII JSON,
    :mod:`engines.recipes`) goes into a ``sozo-recipe:`` text meta event.

    Track names are written in ASCII ("Sōzō" as "Sozo"): MIDI has no text encoding of
    its own and most readers take its bytes as latin-1, which garbles UTF-8.
    """
    import mido

    tpb = 480
    step_ticks = tpb // STEPS_PER_QUARTER
    mid = mido.MidiFile(type=1, ticks_per_beat=tpb)
    conductor = mido.MidiTrack()
    if title:
        conductor.append(mido.MetaMessage("track_name", name=_ascii(title), time=0))
    if recipe:
        from engines.recipe_tags import TEXT_PREFIX

        conductor.append(mido.MetaMessage("text", text=TEXT_PREFIX + _ascii(recipe), time=0))
    conductor.append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(tempo_bpm), time=0))
    num, den = (int(v) for v in (meter if meter in METER_BAR_STEPS else "4/4").split("/"))
    conductor.append(mido.MetaMessage("time_signature", numerator=num, denominator=den, time=0))
    mid.tracks.append(conductor)
    for part in parts:
        track = mido.MidiTrack()
        track.append(mido.MetaMessage("track_name", name=_ascii(part.name), time=0))
        track.append(
            mido.Message("program_change", program=part.program, channel=part.channel, time=0)
        )
        timeline: list[tuple[int, int, mido.Message]] = []
        for n in part.notes:
            velocity = part.velocity if n.velocity is None else n.velocity
            on = mido.Message("note_on", note=n.pitch, velocity=velocity, channel=part.channel)
            off = mido.Message("note_off", note=n.pitch, velocity=0, channel=part.channel)
            start = round(n.start * step_ticks / part.subdivisions)
            stop = max(start + 1, round((n.start + n.length) * step_ticks / part.subdivisions))
            timeline.append((start, 1, on))
            timeline.append((stop, 0, off))
        timeline.sort(key=lambda e: (e[0], e[1]))
        now = 0
        for tick, _, msg in timeline:
            track.append(msg.copy(time=tick - now))
            now = tick
        mid.tracks.append(track)
    path = Path(path)
    from engines.safe_write import safe_open

    with safe_open(path, "wb", overwrite=overwrite) as f:
        mid.save(file=f)
    return path
