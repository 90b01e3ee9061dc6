"""Audio files for speech: WAV, FLAC, OGG (Vorbis) and MP3 with tags, written in chunks.

The ``soundfile`` wheel bundles libsndfile 1.2.2, which writes all four formats and their
tags with no system library. Files are written chunk by chunk (:class:`AudioWriter`) so a
long script never has to sit in memory whole, and a cancelled job leaves a valid file
with the sentences spoken so far.

Tags: ``title`` (the text's start), ``artist`` (the voice or blend), ``album`` and
``software`` (the app and its version), and ``comment``: JSON with the text, voice,
blend, settings and app version, which is what a person needs to make the clip again.
(libsndfile does not write ``software`` into MP3, hence the version in ``album`` too.
It writes MP3 tags as ID3 Latin-1 but is handed UTF-8 bytes, so MP3 tags are kept to
ASCII: accents are folded and other characters escaped as ``\\uXXXX``, which JSON in the
comment reads back exactly.)
"""

from __future__ import annotations

import contextlib
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np

from engines import APP_NAME, __version__
from engines.errors import BadInput

# extension -> (libsndfile format, subtype)
FORMATS: dict[str, tuple[str, str]] = {
    ".wav": ("WAV", "PCM_16"),
    ".flac": ("FLAC", "PCM_16"),
    ".ogg": ("OGG", "VORBIS"),
    ".mp3": ("MP3", "MPEG_LAYER_III"),
}
COMMENT_TEXT_CHARS = 4000  # tags are not the place for a whole book


def format_for(path: str | Path) -> tuple[str, str]:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        known = ", ".join(FORMATS)
        raise BadInput(f"Cannot write {Path(path).name}: the file name must end in {known}.")
    return FORMATS[suffix]


@dataclass(frozen=True)
class ClipTags:
    """What a clip was made from, written into its tags."""

    text: str
    voice: str  # a voice id, or a blend as "kokoro:jf_alpha:0.7,kokoro:jm_kumo:0.3"
    settings: dict[str, Any] = field(default_factory=dict)

    def as_tags(self, ascii_only: bool = False) -> dict[str, str]:
        app = f"{APP_NAME} {__version__}"
        first_line = " ".join(self.text.split())
        title = first_line if len(first_line) <= 80 else first_line[:79] + "…"
        text = (
            self.text
            if len(self.text) <= COMMENT_TEXT_CHARS
            else self.text[:COMMENT_TEXT_CHARS] + "…"
        )
        comment = json.dumps(
            {"text": text, "voice": self.voice, "settings": self.settings, "app": app},
            ensure_ascii=ascii_only,
        )
        tags = {
            "title": title,
            "artist": self.voice,
            "album": app,
            "software": app,
            "comment": comment,
        }
        if ascii_only:
            tags = {k: _ascii(v) for k, v in tags.items()}
        return tags


def _ascii(text: str) -> str:
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return folded.encode("ascii", errors="backslashreplace").decode("ascii")


def resample(audio: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """Linear-interpolation resampling, for joining voices of different rates (Piper
    22,050 Hz, Kokoro 24,000 Hz). Both are speech-band models whose energy lies far below
    either Nyquist frequency, so plain interpolation does not alias audibly."""
    if from_rate == to_rate or audio.size == 0:
        return audio.astype(np.float32, copy=False)
    n_out = round(audio.size * to_rate / from_rate)
    positions = np.arange(n_out, dtype=np.float64) * (from_rate / to_rate)
    return np.interp(positions, np.arange(audio.size), audio).astype(np.float32)


class AudioWriter:
    """Writes float32 mono chunks to a file whose format comes from its extension."""

    def __init__(self, path: str | Path, sample_rate: int, tags: ClipTags | None = None) -> None:
        import soundfile as sf

        self.path = Path(path)
        fmt, subtype = format_for(self.path)
        if not self.path.parent.exists():
            raise BadInput(
                f"Cannot write {self.path}: the folder {self.path.parent} does not exist."
            )
        self.sample_rate = sample_rate
        self.frames = 0
        try:
            self._file = sf.SoundFile(
                str(self.path), "w", samplerate=sample_rate, channels=1, format=fmt, subtype=subtype
            )
        except (OSError, RuntimeError, sf.LibsndfileError) as exc:
            raise BadInput(f"Cannot write {self.path}: {exc}") from None
        if tags is not None:
            for key, value in tags.as_tags(ascii_only=fmt == "MP3").items():
                # A format without that tag: the others are still written.
                with contextlib.suppress(RuntimeError, sf.LibsndfileError):
                    setattr(self._file, key, value)

    def write(self, audio: np.ndarray) -> None:
        data = np.clip(np.asarray(audio, dtype=np.float32).reshape(-1), -1.0, 1.0)
        if data.size:
            self._file.write(data)
            self.frames += data.size

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()

    def __enter__(self) -> AudioWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def write_audio(
    path: str | Path, audio: np.ndarray, sample_rate: int, tags: ClipTags | None = None
) -> Path:
    """Write a whole clip at once."""
    with AudioWriter(path, sample_rate, tags) as writer:
        writer.write(audio)
    return Path(path)


def read_tags(path: str | Path) -> dict[str, str]:
    import soundfile as sf

    with sf.SoundFile(str(path)) as f:
        return {k: v for k, v in f.copy_metadata().items() if v}
