"""The clip being spoken: 16-bit samples spooled to a file, and a peak envelope.

Qt-free: the job's worker thread writes it, the panel's waveform and player read it.
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from typing import Any

import numpy as np

from engines import paths

PEAK_BIN = 256  # samples per waveform bin


class ClipSpool:
    """Audio made so far: 16-bit samples in a file, and a min/max envelope in memory.

    Written by the job's worker thread, read by the GUI thread; a lock guards the counts.
    """

    def __init__(self, sample_rate: int, folder: Path | None = None) -> None:
        self.sample_rate = sample_rate
        folder = folder or paths.cache_dir() / "speech"
        folder.mkdir(parents=True, exist_ok=True)
        # Kept open for the clip's life (closed in close()), hence no context manager.
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
            prefix="clip-", suffix=".pcm", dir=folder, delete=False
        )
        self.path = Path(handle.name)
        self._file = handle
        self._lock = threading.Lock()
        self._frames = 0
        self._peaks: list[np.ndarray] = []  # (bins, 2) min/max blocks
        self._tail = np.zeros(0, dtype=np.float32)  # samples not yet in a full bin
        self.sentences: list[tuple[int, str]] = []  # (start frame, text)
        self.finished = False
        self.channels = 1  # a playback.PcmSource

    def append(self, audio: np.ndarray, text: str = "") -> None:
        pcm = (np.clip(audio, -1.0, 1.0) * 32767).astype("<i2")
        self._file.write(pcm.tobytes())
        self._file.flush()
        data = np.concatenate([self._tail, audio.astype(np.float32)])
        n_bins = data.size // PEAK_BIN
        block = data[: n_bins * PEAK_BIN].reshape(n_bins, PEAK_BIN)
        peaks = np.stack([block.min(axis=1), block.max(axis=1)], axis=1)
        with self._lock:
            if text:
                self.sentences.append((self._frames, text))
            self._frames += audio.size
            self._peaks.append(peaks)
            self._tail = data[n_bins * PEAK_BIN :]

    def finish(self) -> None:
        with self._lock:
            self.finished = True
        self._file.flush()

    @property
    def frames(self) -> int:
        with self._lock:
            return self._frames

    @property
    def duration(self) -> float:
        return self.frames / self.sample_rate

    def peaks(self) -> np.ndarray:
        """(bins, 2) min/max of each :data:`PEAK_BIN` samples."""
        with self._lock:
            if len(self._peaks) > 1:
                self._peaks = [np.concatenate(self._peaks)]
            return self._peaks[0] if self._peaks else np.zeros((0, 2), np.float32)

    def read(self, start: int, count: int) -> np.ndarray:
        """Samples ``start`` to ``start + count`` as float32 (fewer at the end)."""
        with self.path.open("rb") as f:
            f.seek(start * 2)
            raw = f.read(count * 2)
        return np.frombuffer(raw[: len(raw) // 2 * 2], dtype="<i2").astype(np.float32) / 32767

    def read_bytes(self, offset: int, count: int) -> bytes:
        with self.path.open("rb") as f:
            f.seek(offset)
            return f.read(count)

    def export(
        self,
        path: Path,
        tags: Any,
        *,
        overwrite: bool = False,
        watermark: bool = False,
        sign: bool = False,
    ) -> Path:
        """Write the clip to WAV/FLAC/OGG/MP3 (from ``path``'s extension), in blocks;
        ``watermark``: with the speech watermark (engines.audio_watermark); ``sign``:
        with content credentials naming the voice (engines.provenance)."""
        from engines.audio import AudioWriter

        block = self.sample_rate * 30
        with AudioWriter(
            path,
            self.sample_rate,
            tags and tags.as_tags(),
            overwrite=overwrite,
            watermark=watermark,
            sign_model=((tags.voice if tags else None) or "") if sign else None,
        ) as writer:
            for start in range(0, self.frames, block):
                writer.write(self.read(start, block))
        return path

    def close(self) -> None:
        self._file.close()
        self.path.unlink(missing_ok=True)
