"""engines.provenance, the one signing helper every writer calls: sound files written by
AudioWriter, walks (GIF, MP4, PNG strip), pictures that edit a source, and the music
watermark (stereo). Each output is read back with engines.credentials.read_credentials;
each has a control written with signing (or marking) off that carries nothing."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from engines import audio_watermark, provenance
from engines.audio import write as write_audio
from engines.credentials import read_credentials
from engines.imagefile import save_walk, write_png


def _music(seconds: float = 3.0, rate: int = 22050) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    left = 0.3 * np.sin(2 * np.pi * 440 * t) + 0.05 * np.sin(2 * np.pi * 1700 * t)
    right = 0.3 * np.sin(2 * np.pi * 330 * t) + 0.05 * np.sin(2 * np.pi * 2200 * t)
    return np.stack([left, right], axis=1).astype(np.float32)


@pytest.mark.parametrize("ext", ["wav", "flac", "mp3"])
def test_audio_writer_signs_what_it_writes(tmp_path: Path, ext: str) -> None:
    signed, plain = tmp_path / f"signed.{ext}", tmp_path / f"plain.{ext}"
    tags = {"title": "t", "recipe": '{"sozo_recipe": 1}'}
    write_audio(signed, _music(1.0), 22050, tags, sign_model="melody-vae")
    write_audio(plain, _music(1.0), 22050, tags)
    found = read_credentials(signed)
    assert found.present and found.valid, found.problems
    assert "c2pa.created" in found.action
    assert not read_credentials(plain).present
    assert not list(tmp_path.glob("*.signing"))  # no scratch file left


def test_an_ogg_file_is_written_unsigned_rather_than_refused(tmp_path: Path) -> None:
    path = tmp_path / "tune.ogg"
    write_audio(path, _music(1.0), 22050, sign_model="melody-vae")
    assert path.stat().st_size > 0 and not provenance.signable(path)


def test_music_watermark_is_found_in_stereo_and_not_in_the_control(tmp_path: Path) -> None:
    marked, plain = tmp_path / "marked.flac", tmp_path / "plain.flac"
    write_audio(marked, _music(), 22050, watermark=True)
    write_audio(plain, _music(), 22050)
    found, z = audio_watermark.detect_file(marked)
    assert found, z
    assert not audio_watermark.detect_file(plain)[0]


@pytest.mark.parametrize("ext", ["gif", "mp4", "png"])
def test_walk_exports_are_signed(tmp_path: Path, ext: str) -> None:
    frames = [Image.new("RGB", (16, 16), (i * 40, 100, 200 - i * 40)) for i in range(4)]
    signed = save_walk(frames, tmp_path / f"walk.{ext}", sign_model="emoji-vae")
    plain = save_walk(frames, tmp_path / f"plain.{ext}")
    found = read_credentials(signed)
    assert found.present and found.valid, found.problems
    assert not read_credentials(plain).present
    if ext == "gif":
        with Image.open(signed) as gif:
            assert gif.n_frames == 4  # still an animation its readers open


def test_an_edit_names_its_source_picture(tmp_path: Path) -> None:
    source = tmp_path / "photo.png"
    Image.new("RGB", (64, 64), (40, 90, 160)).save(source)
    out = write_png(
        Image.new("RGB", (64, 64), (40, 90, 10)),
        tmp_path / "edit.png",
        "apple",
        sign_model="sd-inpaint",
        edited_from=source,
    )
    found = read_credentials(out)
    assert found.valid and "c2pa.edited" in found.action
    assert found.ingredients == ("photo.png (parentOf)",)


def test_unsigned_content_gives_back_the_bytes_before_signing(tmp_path: Path) -> None:
    png = io.BytesIO()
    Image.new("RGB", (32, 32), (1, 2, 3)).save(png, format="PNG")
    wav = tmp_path / "t.wav"
    write_audio(wav, _music(0.5), 22050, {"title": "x"})
    for data, name in ((png.getvalue(), "a.png"), (wav.read_bytes(), "t.wav")):
        signed = provenance.sign_output(data, name, "m")
        assert signed != data
        assert provenance.unsigned_content(signed) == data
    midi = b"MThd\x00\x00\x00\x06\x00\x01\x00\x01\x01\xe0"
    assert provenance.sign_output(midi, "tune.mid", "m") == midi  # no binding: as it was
