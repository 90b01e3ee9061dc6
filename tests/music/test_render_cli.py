"""Rendering with the shipped soundfont, the accompaniment, export formats and tags, and
``sozo music`` with tiny models."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engines.errors import BadInput
from engines.music import render
from engines.music.data import MODE_SCALES, Note, notes_to_tokens, read_midi

MELODY = notes_to_tokens(
    [Note(p, i * 4, 4) for i, p in enumerate((60, 62, 64, 65, 67, 65, 64, 62))], 32
)


def test_render_is_non_silent_and_lasts_bars_at_tempo() -> None:
    arrangement = render.Arrangement(MELODY, "violin", tempo_bpm=90.0)
    audio = render.render(arrangement, tail=0.5)
    seconds = 32 / 4 * 60 / 90  # 2 bars of 4/4 at 90 BPM
    assert audio.shape == (round((seconds + 0.5) * render.SAMPLE_RATE), 2)
    assert audio.dtype == np.float32
    rms = float(np.sqrt((audio[: int(seconds * render.SAMPLE_RATE)] ** 2).mean()))
    assert rms > 0.01 and np.abs(audio).max() <= 1.0
    quiet = render.render(render.Arrangement(np.zeros(32, dtype=np.int64)), tail=0.0)
    assert np.abs(quiet).max() == 0.0


def test_instruments_sound_different() -> None:
    piano = render.render(render.Arrangement(MELODY, "piano"), tail=0)
    flute = render.render(render.Arrangement(MELODY, "flute"), tail=0)
    assert piano.shape == flute.shape and not np.allclose(piano, flute, atol=1e-3)
    with pytest.raises(BadInput, match="unknown instrument"):
        render.instrument_program("theremin")


def test_accompaniment_is_in_the_melodys_key() -> None:
    chords, bass = render.accompaniment_parts(MELODY, (0, "major"))
    scale = {s % 12 for s in MODE_SCALES["major"]}
    assert chords.notes and bass.notes
    assert all(n.pitch % 12 in scale for n in (*chords.notes, *bass.notes))
    assert {n.start for n in chords.notes} == {0, 16}  # one chord a bar
    with_acc = render.render(render.Arrangement(MELODY, accompaniment=True), tail=0)
    alone = render.render(render.Arrangement(MELODY), tail=0)
    assert with_acc.shape == alone.shape and not np.allclose(with_acc, alone)


@pytest.mark.parametrize("suffix", [".wav", ".flac", ".ogg", ".mp3"])
def test_export_formats_carry_tags(tmp_path: Path, suffix: str) -> None:
    import soundfile

    audio = render.render(render.Arrangement(MELODY), tail=0.2)
    path = render.export_audio(tmp_path / f"m{suffix}", audio, {"title": "T", "comment": "seed=3"})
    with soundfile.SoundFile(str(path)) as f:
        assert f.samplerate == render.SAMPLE_RATE and abs(f.frames - len(audio)) < 2000
        if suffix != ".mp3":  # libsndfile reads no tags back from MP3
            assert f.title == "T" and f.comment == "seed=3"
    with pytest.raises(BadInput, match="cannot write"):
        render.export_audio(tmp_path / "m.aiff", audio)


def test_midi_export_round_trip_with_accompaniment(tmp_path: Path) -> None:
    path = render.export_midi(tmp_path / "m.mid", render.Arrangement(MELODY, "flute", 100.0, True))
    back = read_midi(path)
    assert back.tempo_bpm == pytest.approx(100.0, abs=0.01)
    assert np.array_equal(back.tokens[:32], MELODY)  # the melody is the top line
    assert any("tracks were merged" in n for n in back.notices)
    with pytest.raises(BadInput):
        render.export_midi(tmp_path / "m.txt", render.Arrangement(MELODY))


def test_cli_samples_continues_and_interpolates(tmp_path: Path, tiny_models: None, capsys) -> None:  # type: ignore[no-untyped-def]
    import soundfile

    from studio.cli import main

    out, mid = tmp_path / "s.wav", tmp_path / "s.mid"
    assert (
        main(
            [
                "music",
                "-o",
                str(out),
                "--midi",
                str(mid),
                "--bars",
                "4",
                "--seed",
                "3",
                "--tempo",
                "120",
            ]
        )
        == 0
    )
    assert soundfile.info(str(out)).duration == pytest.approx(8.0 + 1.0, abs=0.05)
    sampled = read_midi(mid).tokens
    assert (sampled >= 2).any() or len(sampled) > 0
    cont = tmp_path / "c.mid"
    assert (
        main(
            [
                "music",
                "-o",
                str(tmp_path / "c.ogg"),
                "--midi",
                str(cont),
                "--continue",
                str(mid),
                "--bars",
                "2",
            ]
        )
        == 0
    )
    continued = read_midi(cont).tokens
    assert np.array_equal(continued[: len(sampled)], sampled)
    assert (
        main(
            [
                "music",
                "-o",
                str(tmp_path / "i.flac"),
                "--interpolate",
                str(mid),
                str(cont),
                "--steps",
                "3",
            ]
        )
        == 0
    )


def test_cli_bad_input_is_one_line_and_exit_1(tmp_path: Path, tiny_models: None, capsys) -> None:  # type: ignore[no-untyped-def]
    from studio.cli import main

    bad = tmp_path / "bad.mid"
    bad.write_bytes(b"\x00\x01garbage")
    cases = [
        ["--continue", str(bad)],
        ["--instrument", "theremin"],
        ["--tempo", "1000"],
        ["--bars", "0"],
    ]
    for extra in cases:
        capsys.readouterr()
        assert main(["music", "-o", str(tmp_path / "x.wav"), *extra]) == 1
        err = capsys.readouterr().err.strip()
        assert err.startswith("sozo: ") and "\n" not in err and "Traceback" not in err
    assert main(["music", "-o", str(tmp_path / "x.xyz")]) == 1
