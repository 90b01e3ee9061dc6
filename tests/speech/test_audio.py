"""Audio export: each format with its tags, resampling."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from engines import __version__
from engines.audio import AudioWriter, read_tags
from engines.audio import write as write_audio
from engines.errors import BadInput
from engines.speech.audio import ClipTags, resample


@pytest.mark.parametrize("fmt", ["wav", "flac", "ogg", "mp3"])
def test_each_format_writes_audio_and_tags(tmp_path: Path, fmt: str) -> None:
    t = np.arange(16_000) / 16_000
    audio = (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    tags = ClipTags("Sōzō says hello. 日本語", "kokoro:jf_alpha", {"speed": 1.2})
    path = tmp_path / f"clip.{fmt}"
    with AudioWriter(path, 16_000, tags.as_tags()) as writer:
        writer.write(audio[:8000])
        writer.write(audio[8000:])
    data, rate = sf.read(str(path), dtype="float32")
    assert rate == 16_000
    assert abs(len(data) - len(audio)) < 2000  # MP3/OGG pad a little
    assert np.abs(data).max() > 0.3
    got = read_tags(path)
    assert "kokoro:jf_alpha" in got["artist"]
    comment = json.loads(got["comment"])
    assert comment["text"] == "Sōzō says hello. 日本語"  # exact in every format
    assert comment["settings"] == {"speed": 1.2}
    assert __version__ in comment["app"]


def test_unknown_extension_and_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match=r"\.wav"):
        write_audio(tmp_path / "clip.aac", np.zeros(10, np.float32), 16_000)
    with pytest.raises(BadInput, match="does not exist"):
        write_audio(tmp_path / "nope" / "clip.wav", np.zeros(10, np.float32), 16_000)


def test_resample_keeps_duration_and_pitch() -> None:
    t = np.arange(22_050) / 22_050
    tone = np.sin(2 * np.pi * 200 * t).astype(np.float32)
    out = resample(tone, 22_050, 24_000)
    assert len(out) == 24_000
    spectrum = np.abs(np.fft.rfft(out))
    assert abs(int(np.argmax(spectrum)) - 200) <= 1  # 1 Hz bins over one second
