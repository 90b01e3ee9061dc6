"""Rendering with the shipped soundfont, the accompaniment, export formats and tags, and
``sozo music`` with tiny models."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engines.audio import write as write_audio
from engines.errors import BadInput
from engines.music import render
from engines.music.data import MODE_SCALES, Note, notes_to_tokens, read_midi
from tests.music.conftest import midi_notes, write_band_midi

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
    path = write_audio(
        tmp_path / f"m{suffix}", audio, render.SAMPLE_RATE, {"title": "T", "comment": "seed=3"}
    )
    with soundfile.SoundFile(str(path)) as f:
        assert f.samplerate == render.SAMPLE_RATE and abs(f.frames - len(audio)) < 2000
        assert f.title == "T" and f.comment == "seed=3"  # MP3's ID3v2.3 too, via mpg123
    with pytest.raises(BadInput, match="cannot write"):
        write_audio(tmp_path / "m.aiff", audio, render.SAMPLE_RATE)


def _true_peak_dbtp(audio: np.ndarray) -> float:
    """BS.1770-4 Annex 2: the peak of the signal oversampled 4x."""
    from scipy.signal import resample_poly

    return 20 * float(np.log10(np.abs(resample_poly(audio, 4, 1, axis=0)).max()))


@pytest.mark.parametrize(
    ("instrument", "accompaniment"), [("piano", False), ("violin", True), ("organ", False)]
)
def test_exported_audio_is_at_minus_16_lufs_under_minus_1_dbtp(
    tmp_path: Path, instrument: str, accompaniment: bool
) -> None:
    import pyloudnorm
    import soundfile

    audio = render.render(render.Arrangement(MELODY, instrument, accompaniment=accompaniment))
    path = write_audio(tmp_path / "m.wav", audio, render.SAMPLE_RATE)
    back, rate = soundfile.read(str(path))
    assert pyloudnorm.Meter(rate).integrated_loudness(back) == pytest.approx(-16.0, abs=0.2)
    assert _true_peak_dbtp(back) <= -1.0 + 0.05  # 16-bit rounding may add a hair


def test_loudness_normalisation_of_peaky_short_quiet_and_silent_audio() -> None:
    import pyloudnorm

    rate = render.SAMPLE_RATE
    t = np.arange(rate * 2) / rate
    tone = np.repeat((0.01 * np.sin(2 * np.pi * 440 * t))[:, None], 2, axis=1)
    peaky = tone.copy()
    peaky[:: rate // 4] = 0.5  # clicks: -16 LUFS would put them over 0 dBFS
    out = render.normalise_loudness(peaky, rate)
    assert _true_peak_dbtp(out) == pytest.approx(-1.0, abs=0.05)
    assert pyloudnorm.Meter(rate).integrated_loudness(out) < -16.5  # quieter, not clipped
    silence = np.zeros((rate, 2), dtype=np.float32)
    assert np.array_equal(render.normalise_loudness(silence, rate), silence)
    assert len(render.normalise_loudness(np.zeros((0, 2), np.float32), rate)) == 0
    short = tone[: rate // 20]  # 50 ms: shorter than BS.1770's 400 ms block
    level = render.measure_loudness(render.normalise_loudness(short, rate), rate)
    assert level.integrated_lufs == pytest.approx(-16.0, abs=0.5)
    whisper = tone * 1e-4  # -100 dBFS: raised by the gain cap (+30 dB) at most
    raised = render.normalise_loudness(whisper, rate)
    assert np.abs(raised).max() <= np.abs(whisper).max() * 10 ** (30 / 20) * 1.0001


def test_true_peak_by_blocks_is_the_peak_of_the_whole_oversampled_signal() -> None:
    rng = np.random.default_rng(0)
    fs4 = np.sin(np.pi / 2 * np.arange(20_000) + np.pi / 4)  # samples miss its peaks by 3 dB
    signals = [
        0.05 * rng.standard_normal((50_000, 2)),
        np.repeat(0.5 * fs4[:, None], 2, axis=1),
        render.render(render.Arrangement(MELODY, accompaniment=True), tail=0.3),
        0.1 * rng.standard_normal((300, 2)),
    ]
    for audio in signals:
        expected = _true_peak_dbtp(audio)
        assert 20 * np.log10(render.true_peak(audio)) == pytest.approx(expected, abs=1e-4)
    assert 20 * np.log10(render.true_peak(signals[1])) > 20 * np.log10(0.5) - 0.1


def test_mp3_titles_read_back_in_unicode(tmp_path: Path) -> None:
    from mutagen.id3 import ID3, Encoding

    audio = render.render(render.Arrangement(MELODY), tail=0.2)
    tags = {"title": "Sōzō Studio melody", "comment": "seed=3", "software": "Sōzō Studio"}
    path = write_audio(tmp_path / "m.mp3", audio, render.SAMPLE_RATE, tags)
    id3 = ID3(str(path))
    assert id3["TIT2"].text == ["Sōzō Studio melody"]
    assert id3["TIT2"].encoding in (Encoding.UTF16, Encoding.UTF8)
    assert id3["TSSE"].text == ["Sōzō Studio"] and id3.getall("COMM")[0].text == ["seed=3"]
    assert path.read_bytes()[-128:-125] != b"TAG"  # no latin-1 ID3v1 copy


def test_midi_export_round_trip_with_accompaniment(tmp_path: Path) -> None:
    path = render.export_midi(tmp_path / "m.mid", render.Arrangement(MELODY, "flute", 100.0, True))
    back = read_midi(path)
    assert back.tempo_bpm == pytest.approx(100.0, abs=0.01)
    assert np.array_equal(back.tokens[:32], MELODY)  # the melody is the top line
    assert back.melody_track == "track 'Melody (flute)'"
    assert back.other_tracks == ["'Chords'", "'Bass'"]
    with pytest.raises(BadInput):
        render.export_midi(tmp_path / "m.txt", render.Arrangement(MELODY))


def test_cli_samples_continues_and_interpolates(  # type: ignore[no-untyped-def]
    tmp_path: Path, tiny_models: None, capsys, audio_writes: list[Path]
) -> None:
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
    assert audio_writes == [out]  # through the one writer
    from engines.audio_watermark import detect_file
    from engines.credentials import read_credentials

    found = read_credentials(out)  # signed and watermarked as made here
    assert found.valid and "c2pa.created" in found.action, found.problems
    assert detect_file(out)[0]
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


def test_cli_continues_a_band_file_over_its_own_tracks(
    tmp_path: Path, tiny_models: None, capsys
) -> None:  # type: ignore[no-untyped-def]
    import soundfile

    from studio.cli import main

    band = write_band_midi(tmp_path / "band.mid", pickup=True)
    out, mid = tmp_path / "c.mp3", tmp_path / "c.mid"
    args = ["music", "-o", str(out), "--midi", str(mid), "--continue", str(band.path)]
    assert main([*args, "--bars", "2", "--accompaniment"]) == 0
    said = capsys.readouterr().out
    assert (
        "Continuing the melody of track 'Piano' (4/4, G major); its 12 lower notes and 3 other "
        "tracks ('Bass', 'Strings', 'Drums') kept as accompaniment." in said
    )
    assert "other" not in said.replace("other track", "") and "1/4;" not in said
    assert "note: loudness -16.0 LUFS, true peak" in said
    # The other tracks are in the written MIDI as they were, a pickup's 3 beats later
    # (the grid starts on the bar line before it).
    written = midi_notes(mid)
    for name in ("Bass", "Strings", "Drums"):
        expected = [
            (
                p,
                (start + 3 * band.ticks_per_beat) / band.ticks_per_beat,
                length / band.ticks_per_beat,
                v,
            )
            for p, start, length, v in band.tracks[name]
        ]
        assert sorted(written[name]) == sorted(expected)  # 96 ticks a beat to 480: exact
    assert [n[0] for n in sorted(written["Melody (piano)"], key=lambda n: n[1])][:17] == band.melody
    # Our bass and chords start after the file's bars (4 bars + the pickup's bar), and
    # the audio lasts the file's bars plus 2 new ones at the file's tempo (100 BPM).
    assert min(n[1] for n in written["Added chords"]) == 5 * 4
    assert soundfile.info(str(out)).duration == pytest.approx(7 * 4 * 60 / 100 + 1.0, abs=0.1)


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
