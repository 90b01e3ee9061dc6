"""The one audio writer (``engines.audio``): every format's tags read back as written,
"Sōzō" included, by readers that are not ours (mutagen, libsndfile)."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from engines import audio
from engines.errors import BadInput

TAGS = {
    "title": "Sōzō melody 日本語",
    "artist": "kokoro:jf_alpha",
    "album": "Sōzō Studio 0.1",
    "software": "Sōzō Studio",
    "comment": '{"text": "Sōzō says hello."}',
}
RATE = 16_000


def _tone(channels: int, seconds: float = 0.5) -> np.ndarray:
    t = np.arange(int(RATE * seconds)) / RATE
    mono = (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    return mono if channels == 1 else np.repeat(mono[:, None], channels, axis=1)


def _mutagen_tags(path: Path) -> dict[str, str]:
    """Our tag names as mutagen reads them from each format."""
    suffix = path.suffix
    if suffix in (".mp3", ".wav"):
        from mutagen.id3 import ID3, Encoding
        from mutagen.wave import WAVE

        id3 = ID3(str(path)) if suffix == ".mp3" else WAVE(str(path)).tags
        assert id3 is not None, f"{path.name} has no ID3 tag"
        assert id3.version[:2] == (2, 3)
        frames = {k: id3[frame] for k, frame in audio.ID3_FRAMES.items() if frame != "COMM"}
        assert all(f.encoding == Encoding.UTF16 for f in frames.values())
        got = {k: str(f.text[0]) for k, f in frames.items()}
        got["comment"] = str(id3.getall("COMM")[0].text[0])
        return got
    from mutagen.flac import FLAC
    from mutagen.oggvorbis import OggVorbis

    comments = (FLAC if suffix == ".flac" else OggVorbis)(str(path)).tags
    assert comments is not None
    return {k: comments[k][0] for k in audio.TAG_NAMES if k in comments}


@pytest.mark.parametrize("suffix", [".wav", ".flac", ".ogg", ".mp3"])
@pytest.mark.parametrize("channels", [1, 2])
def test_every_format_round_trips_its_tags(tmp_path: Path, suffix: str, channels: int) -> None:
    path = audio.write(tmp_path / f"clip{suffix}", _tone(channels), RATE, TAGS)
    data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    assert rate == RATE and data.shape[1] == channels
    assert abs(len(data) - RATE // 2) < 2000  # MP3 and OGG pad a little
    assert np.abs(data).max() > 0.3
    for reader, got in (("libsndfile", audio.read_tags(path)), ("mutagen", _mutagen_tags(path))):
        for name, value in TAGS.items():
            if name == "software":  # libsndfile adds its own name: "Sōzō Studio (libsndfile-…)"
                assert got[name].startswith(value), (reader, name, got[name])
            else:
                assert got[name] == value, (reader, name, got[name])
    if suffix == ".mp3":
        assert path.read_bytes()[-128:-125] != b"TAG"  # no Latin-1 ID3v1 copy


def _riff_chunks(path: Path) -> dict[bytes, bytes]:
    """A WAV's chunks by id, and the LIST/INFO sub-chunks as b"INFO/<id>", read by hand."""
    raw = path.read_bytes()
    assert raw[:4] == b"RIFF" and raw[8:12] == b"WAVE"
    assert struct.unpack("<I", raw[4:8])[0] == len(raw) - 8  # the RIFF size covers them all
    chunks: dict[bytes, bytes] = {}
    at = 12
    while at + 8 <= len(raw):
        cid, size = raw[at : at + 4], struct.unpack("<I", raw[at + 4 : at + 8])[0]
        body = raw[at + 8 : at + 8 + size]
        chunks[cid] = body
        if cid == b"LIST" and body[:4] == b"INFO":
            sub = 4
            while sub + 8 <= len(body):
                sid, ssize = body[sub : sub + 4], struct.unpack("<I", body[sub + 4 : sub + 8])[0]
                chunks[b"INFO/" + sid] = body[sub + 8 : sub + 8 + ssize]
                sub += 8 + ssize + ssize % 2
        at += 8 + size + size % 2
    return chunks


def test_wav_info_holds_utf8_and_an_id3_chunk_follows(tmp_path: Path) -> None:
    path = audio.write(tmp_path / "clip.wav", _tone(1), RATE, {"title": "Sōzō", "artist": "Ō"})
    chunks = _riff_chunks(path)
    # INFO has no encoding field: the bytes are UTF-8 (what libsndfile and FFmpeg read).
    assert chunks[b"INFO/INAM"].rstrip(b"\x00") == "Sōzō".encode()
    assert chunks[b"INFO/IART"].rstrip(b"\x00") == "Ō".encode()
    assert chunks[b"id3 "][:4] == b"ID3\x03"
    assert len(chunks[b"data"]) == RATE // 2 * 2  # the audio is untouched


def test_chunked_writes_equal_one_write(tmp_path: Path) -> None:
    tone = _tone(2)
    with audio.AudioWriter(tmp_path / "a.flac", RATE, TAGS, channels=2) as writer:
        for start in range(0, len(tone), 1000):
            writer.write(tone[start : start + 1000])
    assert writer.frames == len(tone)
    audio.write(tmp_path / "b.flac", tone, RATE, TAGS)
    a, _ = sf.read(str(tmp_path / "a.flac"), dtype="int16")
    b, _ = sf.read(str(tmp_path / "b.flac"), dtype="int16")
    assert np.array_equal(a, b)


def test_mp3_retagging_replaces_the_tag(tmp_path: Path) -> None:
    path = audio.write(tmp_path / "clip.mp3", _tone(1), RATE, {"title": "first"})
    before = path.stat().st_size
    audio._prepend_id3(path, audio.id3v2_tag({"title": "Sōzō"}))
    assert audio.read_tags(path)["title"] == "Sōzō"
    assert path.read_bytes().count(b"ID3\x03") == 1
    assert abs(path.stat().st_size - before) < 32


def test_untagged_files_and_bad_names(tmp_path: Path) -> None:
    path = audio.write(tmp_path / "plain.mp3", _tone(1), RATE)
    assert path.read_bytes()[:3] != b"ID3" and audio.read_tags(path) == {}
    with pytest.raises(BadInput, match=r"cannot write clip\.aac: .*\.wav"):
        audio.write(tmp_path / "clip.aac", _tone(1), RATE)
    with pytest.raises(BadInput, match="does not exist"):
        audio.write(tmp_path / "nope" / "clip.wav", _tone(1), RATE)
    with pytest.raises(ValueError, match="unknown tags"):
        audio.write(tmp_path / "clip.wav", _tone(1), RATE, {"titel": "x"})
