"""Tokens, MIDI files and the corpus: round trips and the bad files people will drop."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engines.errors import BadInput
from engines.music import data
from engines.music.data import HOLD, REST, MidiPart, Note
from tests.music.conftest import write_band_midi


def _random_melody(seed: int, steps: int = 64) -> np.ndarray:
    rng = np.random.default_rng(seed)
    notes, at = [], 0
    while at < steps:
        length = int(rng.choice([1, 2, 2, 4, 4, 6, 8]))
        if rng.random() < 0.8:
            notes.append(Note(int(rng.integers(55, 85)), at, length))
        at += length
    return data.notes_to_tokens(notes, steps)


@pytest.mark.parametrize("seed", range(5))
def test_tokens_and_notes_round_trip(seed: int) -> None:
    tokens = _random_melody(seed)
    assert np.array_equal(data.notes_to_tokens(data.tokens_to_notes(tokens), len(tokens)), tokens)


def test_canonical_turns_meaningless_holds_into_rests() -> None:
    assert data.canonical([HOLD, 30, HOLD, REST, HOLD, 31]).tolist() == [
        REST,
        30,
        HOLD,
        REST,
        REST,
        31,
    ]


def test_transpose_keeps_range_or_refuses() -> None:
    tokens = data.notes_to_tokens([Note(60, 0, 4), Note(64, 4, 4)], 8)
    up = data.transpose(tokens, 5)
    assert up is not None and [n.pitch for n in data.tokens_to_notes(up)] == [65, 69]
    assert data.transpose(tokens, 40) is None


def test_attributes_measure_what_they_say() -> None:
    sparse = data.notes_to_tokens([Note(60, 0, 16), Note(62, 16, 16)], 32)
    dense = data.notes_to_tokens([Note(60 + i % 5, i * 2, 2) for i in range(16)], 32)
    assert data.note_density(dense) > data.note_density(sparse)
    assert data.pitch_range(dense) == 4 and data.pitch_range(sparse) == 2
    offbeat = data.notes_to_tokens([Note(60, s, 1) for s in (2, 6, 10, 14)], 16)
    assert data.syncopation(offbeat) == 1.0 and data.syncopation(sparse) == 0.0


def test_in_scale_share_and_key_estimate() -> None:
    c_major = data.notes_to_tokens(
        [Note(p, i * 4, 4) for i, p in enumerate((60, 62, 64, 65, 67, 69, 71, 72, 60))], 36
    )
    assert data.in_scale_share(c_major, 0, "major") == 1.0
    assert data.in_scale_share(c_major, 1, "major") < 0.5
    assert data.estimate_key(c_major) == (0, "major")


def test_pitch_names_are_scientific_pitch_notation() -> None:
    assert data.pitch_name(60) == "C4"  # middle C
    assert data.pitch_name(69) == "A4"  # 440 Hz
    assert data.pitch_name(61) == "C♯4"
    assert data.pitch_name(data.PITCH_LOW) == "C2"
    assert data.pitch_name(data.PITCH_HIGH - 1) == "B6"


def test_midi_round_trip(tmp_path: Path) -> None:
    tokens = _random_melody(3)
    path = data.write_midi(
        tmp_path / "m.mid", [MidiPart(data.tokens_to_notes(tokens))], tempo_bpm=96
    )
    read = data.read_midi(path)
    assert np.array_equal(read.tokens[: len(tokens)], tokens)
    assert not (read.tokens[len(tokens) :] >= 2).any()
    assert read.tempo_bpm == pytest.approx(96, abs=0.01)
    assert read.notices == []


def test_several_tracks_keep_the_top_line_and_the_other_tracks(tmp_path: Path) -> None:
    melody = [Note(72, 0, 4), Note(74, 4, 4)]
    bass = [Note(48, 0, 8)]
    path = data.write_midi(
        tmp_path / "two.mid", [MidiPart(melody), MidiPart(bass, channel=1, name="Bass")]
    )
    read = data.read_midi(path)
    assert [n.pitch for n in data.tokens_to_notes(read.tokens)] == [72, 74]
    assert read.other_tracks == ["'Bass'"]
    [kept] = read.accompaniment
    assert [
        (n.pitch, n.start / kept.subdivisions, n.length / kept.subdivisions) for n in kept.notes
    ] == [(48, 0, 8)]


def test_a_band_file_keeps_every_other_note_and_reads_4_4(tmp_path: Path) -> None:
    band = write_band_midi(tmp_path / "band.mid")
    read = data.read_midi(band.path)
    assert (read.time_signature, read.meter) == ("4/4", "4/4")
    assert read.key == (7, "major")  # the key signature: G
    assert read.notices == []
    assert read.summary() == (
        "the melody of track 'Piano' (4/4, G major); its 12 lower notes and 3 other tracks "
        "('Bass', 'Strings', 'Drums') kept as accompaniment"
    )
    assert [n.pitch for n in data.tokens_to_notes(read.tokens)] == band.melody
    # Every note of the other tracks, and the chords under the tune, is kept with its
    # pitch, velocity and timing to the tick (the swung bass is off the 16th grid).
    per_step = band.ticks_per_beat / data.STEPS_PER_QUARTER
    kept = {
        part.name: sorted(
            (
                n.pitch,
                round(n.start / part.subdivisions * per_step, 6),
                round(n.length / part.subdivisions * per_step, 6),
                n.velocity,
            )
            for n in part.notes
        )
        for part in read.accompaniment
    }
    expected = {name: sorted(notes) for name, notes in band.tracks.items() if name != "Piano"}
    expected["Piano (under the tune)"] = sorted(n for n in band.tracks["Piano"] if n[3] == 55)
    assert kept == expected
    drums = next(p for p in read.accompaniment if p.name == "Drums")
    assert drums.channel == data.DRUM_CHANNEL
    assert {p.program for p in read.accompaniment if p.name in ("Bass", "Strings")} == {33, 48}
    channels = [p.channel for p in read.accompaniment if p.name != "Drums"]
    assert (
        0 not in channels and 1 not in channels and 2 not in channels
    )  # ours: melody, chords, bass


def test_what_is_not_kept_of_the_other_tracks_is_said(tmp_path: Path) -> None:
    import mido

    band = write_band_midi(tmp_path / "band.mid")
    mid = mido.MidiFile(str(band.path))
    bass = next(t for t in mid.tracks if t.name == "Bass")
    bass.insert(2, mido.Message("control_change", channel=1, control=64, value=127))
    mid.save(str(tmp_path / "pedal.mid"))
    summary = data.read_midi(tmp_path / "pedal.mid").summary()
    assert summary.endswith(
        "kept as accompaniment (their notes, velocities and instruments; not their pedal or "
        "pitch bends)"
    )
    assert "pedal" not in data.read_midi(band.path).summary()


def test_a_pickup_bar_is_not_the_meter(tmp_path: Path) -> None:
    """MuseScore writes a pickup as a 1/4 bar before the 4/4 bars: the piece is in 4/4."""
    band = write_band_midi(tmp_path / "pickup.mid", pickup=True)
    read = data.read_midi(band.path)
    assert (read.time_signature, read.meter) == ("4/4", "4/4")
    assert read.notices == [
        "the piece starts with a pickup bar (written as 1/4) before its 4/4 bars"
    ]
    notes = data.tokens_to_notes(read.tokens)
    assert [n.pitch for n in notes] == band.melody
    assert notes[0].start == 12 and notes[1].start == 16  # the 4/4 bar lines stay bar lines


def test_time_signature_changes_read_as_the_longest(tmp_path: Path) -> None:
    import mido

    mid = mido.MidiFile(ticks_per_beat=480)
    track = mido.MidiTrack()
    mid.tracks.append(track)
    track.append(mido.MetaMessage("time_signature", numerator=3, denominator=4, time=0))
    track.append(mido.MetaMessage("time_signature", numerator=4, denominator=4, time=2 * 1440))
    for i in range(24):
        track.append(mido.Message("note_on", note=60 + i % 5, velocity=90, time=0))
        track.append(mido.Message("note_off", note=60 + i % 5, velocity=0, time=480))
    mid.save(str(tmp_path / "change.mid"))
    read = data.read_midi(tmp_path / "change.mid")
    assert read.time_signature == "4/4"  # 2 bars of 3/4, then 4.5 bars of 4/4
    assert read.notices == [
        "the time signature changes (3/4, 4/4); read as 4/4, the time signature of most of the piece"
    ]


def test_a_key_signature_the_melody_is_not_in_is_not_believed(tmp_path: Path) -> None:
    band = write_band_midi(tmp_path / "wrong_key.mid", key="Eb")  # the tune is in G
    read = data.read_midi(band.path)
    assert read.key == data.estimate_key(read.tokens) != (3, "major")
    assert any("key signature says E♭ major" in n for n in read.notices)


def test_midi_text_is_written_so_readers_decode_it(tmp_path: Path) -> None:
    import mido

    path = data.write_midi(
        tmp_path / "names.mid",
        [MidiPart([Note(60, 0, 4)], name="Mélodie (Sōzō)")],
        title="Sōzō Studio melody",
    )
    # mido, like most readers, takes MIDI text as latin-1: ASCII reads the same in any.
    names = [t.name for t in mido.MidiFile(str(path)).tracks]
    assert names == ["Sozo Studio melody", "Melodie (Sozo)"]
    assert all(name.isascii() for name in names)
    # A file that wrote its names in UTF-8 is read as meant.
    mid = mido.MidiFile(charset="utf-8")
    track = mido.MidiTrack()
    track.append(mido.MetaMessage("track_name", name="Sōzō lead"))
    track.append(mido.Message("note_on", note=60, velocity=90, time=0))
    track.append(mido.Message("note_off", note=60, velocity=0, time=480))
    mid.tracks.append(track)
    mid.save(str(tmp_path / "utf8.mid"))
    assert data.read_midi(tmp_path / "utf8.mid").melody_track == "track 'Sōzō lead'"


def test_triplets_are_quantised_with_notice(tmp_path: Path) -> None:
    import mido

    mid = mido.MidiFile(ticks_per_beat=480)
    track = mido.MidiTrack()
    mid.tracks.append(track)
    for _ in range(3):  # three triplet 8ths in one beat
        track.append(mido.Message("note_on", note=67, velocity=90, time=0))
        track.append(mido.Message("note_off", note=67, velocity=0, time=160))
    mid.save(str(tmp_path / "trip.mid"))
    read = data.read_midi(tmp_path / "trip.mid")
    assert any("off the 16th-note grid" in n for n in read.notices)
    assert (read.tokens >= 2).sum() >= 2


def test_odd_meter_is_read_with_notice(tmp_path: Path) -> None:
    import mido

    mid = mido.MidiFile(ticks_per_beat=480)
    track = mido.MidiTrack()
    mid.tracks.append(track)
    track.append(mido.MetaMessage("time_signature", numerator=7, denominator=8, time=0))
    track.append(mido.Message("note_on", note=60, velocity=90, time=0))
    track.append(mido.Message("note_off", note=60, velocity=0, time=480))
    mid.save(str(tmp_path / "odd.mid"))
    read = data.read_midi(tmp_path / "odd.mid")
    assert read.meter == "other" and any("7/8" in n for n in read.notices)


def test_drums_only_no_notes_and_corrupt_files_are_clear_errors(tmp_path: Path) -> None:
    drums = data.write_midi(tmp_path / "drums.mid", [MidiPart([Note(38, 0, 2)], channel=9)])
    with pytest.raises(BadInput, match="only drums"):
        data.read_midi(drums)
    empty = data.write_midi(tmp_path / "empty.mid", [MidiPart([])])
    with pytest.raises(BadInput, match="no notes"):
        data.read_midi(empty)
    corrupt = tmp_path / "corrupt.mid"
    corrupt.write_bytes(b"MThd\x00\x00\x00\x06garbage")
    with pytest.raises(BadInput, match="not a readable MIDI file"):
        data.read_midi(corrupt)
    with pytest.raises(BadInput, match="does not exist"):
        data.read_midi(tmp_path / "missing.mid")


def test_corpus_save_load_and_windows(tmp_path: Path) -> None:
    tunes = [_random_melody(s, 96) for s in range(6)]
    corpus = data.Corpus(
        tokens=tunes,
        bar_starts=[np.arange(0, 96, 16) for _ in tunes],
        key_tonic=np.array([0, 2, -1, 7, 9, 5]),
        key_mode=np.array([0, 1, -1, 2, 3, 0]),
        meter=np.array([0, 0, 4, 0, 2, 1]),
        collection=np.zeros(6, dtype=np.int64),
        held_out=data.split_held_out(6, share=0.34),
        titles=[f"t{i}" for i in range(6)],
    )
    corpus.save(tmp_path / "c.npz")
    back = data.Corpus.load(tmp_path / "c.npz")
    assert all(np.array_equal(a, b) for a, b in zip(back.tokens, tunes, strict=True))
    assert back.key_of(1) == (2, "minor") and back.key_of(2) is None
    assert back.held_out.sum() == 2 and np.array_equal(
        back.held_out, data.split_held_out(6, share=0.34)
    )
    windows = data.vae_windows(back, range(6))
    assert windows.shape[1] == 32 and len(windows) > 0  # the 6/8 tune (meter 4) gives none
    assert len(data.vae_windows(back, [2])) == 0
