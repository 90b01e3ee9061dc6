"""The speech watermark (engines.audio_watermark): added chunk by chunk by AudioWriter,
found in WAV, FLAC, OGG and MP3 copies (MP3's encoder delay included), not found in the
same clips unmarked; silence stays silent; ``sozo verify`` reports it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engines import audio
from engines import audio_watermark as aw
from studio.cli import main

RATE = 22050


def _speechlike(seed: int, seconds: float = 3.0) -> np.ndarray:
    """Voiced syllables (a 110-200 Hz buzz with harmonics) with pauses between them."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(RATE * seconds)) / RATE
    f0 = rng.uniform(110, 200)
    buzz = sum(np.sin(2 * np.pi * f0 * k * t + rng.uniform(0, 6)) / k for k in range(1, 12))
    syllables = (np.sin(2 * np.pi * rng.uniform(2, 5) * t) > 0.2).astype(float)
    return (0.15 * buzz * syllables + 0.003 * rng.normal(size=len(t))).astype(np.float32)


@pytest.mark.parametrize("ext", ["wav", "flac", "ogg", "mp3"])
def test_marked_speech_is_found_and_unmarked_is_not(tmp_path: Path, ext: str) -> None:
    for seed in range(3):
        clip = _speechlike(seed)
        marked, plain = tmp_path / f"m{seed}.{ext}", tmp_path / f"p{seed}.{ext}"
        with audio.AudioWriter(marked, RATE, watermark=True) as writer:
            for chunk in np.array_split(clip, 5):  # as a speech job writes: by sentence
                writer.write(chunk)
        audio.write(plain, clip, RATE)
        found, z = aw.detect_file(marked)
        assert found and z > 12, (seed, z)
        found, z = aw.detect_file(plain)
        assert not found and z < 6, (seed, z)


def test_the_mark_is_26_db_under_the_speech_and_silence_stays_silent() -> None:
    clip = _speechlike(7)
    marker = aw.Marker(RATE)
    marked = np.concatenate([marker.mark(c) for c in np.array_split(clip, 3)])
    snr = 10 * np.log10(np.sum(clip.astype(np.float64) ** 2) / np.sum((marked - clip) ** 2))
    assert 24 < snr < 28
    # Chunked or whole, the same noise sequence (only its scale follows the speech).
    pieces = [aw.sequence(s, n, RATE) for s, n in ((0, 1000), (1000, 5000), (6000, 9000))]
    assert np.allclose(np.concatenate(pieces), aw.sequence(0, 15_000, RATE))
    assert not np.any(aw.Marker(RATE).mark(np.zeros(10_000, np.float32)))


def test_verify_reports_the_speech_mark(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "clip.mp3"
    with audio.AudioWriter(path, RATE, watermark=True) as writer:
        writer.write(_speechlike(1))
    assert main(["verify", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[2].startswith("Watermark: Sōzō Studio speech watermark found (correlation z ")
