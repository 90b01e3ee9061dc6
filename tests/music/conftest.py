"""Tiny random music models (seconds to build) standing in for the shipped weights."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# The GUI tests' window fixtures, for the panel tests here.
from tests.gui.conftest import make_window, window  # noqa: F401


@pytest.fixture(scope="session")
def tiny_vae():  # type: ignore[no-untyped-def]
    import torch

    from engines.music.melody_vae import MelodyVAE, VAEConfig, build_network

    torch.manual_seed(0)
    config = VAEConfig(embed=8, encoder_hidden=8, latent=4, decoder_hidden=16)
    vae = MelodyVAE(build_network(config).eval(), config)
    vae.attributes = {"density": torch.randn(4).numpy(), "range": torch.randn(4).numpy()}
    return vae


@pytest.fixture(scope="session")
def tiny_transformer():  # type: ignore[no-untyped-def]
    import torch

    from engines.music.melody_transformer import MelodyTransformer, TransformerConfig, build_network

    torch.manual_seed(0)
    config = TransformerConfig(block=32, layers=1, heads=2, width=16, dropout=0.0)
    return MelodyTransformer(build_network(config).eval(), config)


@pytest.fixture
def tiny_models(tiny_vae, tiny_transformer, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """``engines.music.compose`` uses the tiny models instead of loading weights."""
    from engines.music import compose

    monkeypatch.setattr(compose, "_vae", lambda: tiny_vae)
    monkeypatch.setattr(compose, "_transformer", lambda: tiny_transformer)
    yield


@dataclass(frozen=True)
class BandFile:
    """A multi-track MIDI file as a notation program or a DAW writes one."""

    path: Path
    ticks_per_beat: int
    # Each track's notes as written: (pitch, start tick, length in ticks, velocity).
    tracks: dict[str, list[tuple[int, int, int, int]]]
    melody: list[int]  # the pitches of the piano's top line


def write_band_midi(path: Path, pickup: bool = False, key: str = "G") -> BandFile:
    """Piano (tune over held chords), Bass, Strings and Drums in 4/4 at 100 BPM.

    ``pickup``: the piano's first note is a one-beat pickup written, as MuseScore does,
    as a bar of 1/4 before the 4/4 bars. The ticks per beat (96) differ from the 480
    the studio writes; the bass is swung (off the 16th grid) so timing must be kept to
    the tick, not to the grid.
    """
    import mido

    tpb = 96
    lead = tpb if pickup else 0  # ticks before the first 4/4 bar
    tune = [67, 69, 71, 72, 74, 72, 71, 69] * 2
    tracks = {
        "Piano": [(p, lead + i * tpb, tpb, 90) for i, p in enumerate(tune)]
        + [(p, lead + b * 4 * tpb, 4 * tpb, 55) for b in range(4) for p in (55, 59, 62)],
        "Bass": [
            (43 + (i % 2) * 7, lead + i * tpb + (i % 2) * 21, tpb - 30, 70) for i in range(16)
        ],
        "Strings": [(62, lead, 16 * tpb, 40)],
        "Drums": [(36 if i % 2 == 0 else 38, lead + i * tpb, 10, 100) for i in range(16)],
    }
    if pickup:
        tracks["Piano"].insert(0, (62, 0, tpb, 80))
    channels = {"Piano": (0, 0), "Bass": (1, 33), "Strings": (2, 48), "Drums": (9, 0)}
    mid = mido.MidiFile(type=1, ticks_per_beat=tpb)
    conductor = mido.MidiTrack()
    conductor.append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(100)))
    if pickup:
        conductor.append(mido.MetaMessage("time_signature", numerator=1, denominator=4))
    conductor.append(mido.MetaMessage("time_signature", numerator=4, denominator=4, time=lead))
    conductor.append(mido.MetaMessage("key_signature", key=key))
    mid.tracks.append(conductor)
    for name, notes in tracks.items():
        channel, program = channels[name]
        track = mido.MidiTrack()
        track.append(mido.MetaMessage("track_name", name=name))
        track.append(mido.Message("program_change", channel=channel, program=program))
        timeline = []
        for pitch, start, length, velocity in notes:
            on = mido.Message("note_on", channel=channel, note=pitch, velocity=velocity)
            timeline.append((start, 1, on))
            timeline.append(
                (start + length, 0, mido.Message("note_off", channel=channel, note=pitch))
            )
        now = 0
        for tick, _, msg in sorted(timeline, key=lambda e: (e[0], e[1])):
            track.append(msg.copy(time=tick - now))
            now = tick
        mid.tracks.append(track)
    mid.save(str(path))
    melody = ([62] if pickup else []) + tune
    return BandFile(path, tpb, tracks, melody)


def midi_notes(path: Path) -> dict[str, list[tuple[int, float, float, int]]]:
    """Every note of a MIDI file by track name: (pitch, start beat, length in beats, velocity)."""
    import mido

    mid = mido.MidiFile(str(path))
    out: dict[str, list[tuple[int, float, float, int]]] = {}
    tpb = mid.ticks_per_beat
    for track in mid.tracks:
        tick, open_notes = 0, {}
        notes = out.setdefault(track.name or f"#{len(out)}", [])
        for msg in track:
            tick += msg.time
            if msg.type == "note_on" and msg.velocity > 0:
                open_notes[(msg.channel, msg.note)] = (tick, msg.velocity)
            elif msg.type in ("note_on", "note_off") and (msg.channel, msg.note) in open_notes:
                start, velocity = open_notes.pop((msg.channel, msg.note))
                notes.append((msg.note, start / tpb, (tick - start) / tpb, velocity))
    return out
