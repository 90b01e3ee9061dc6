"""Audio files for every task: WAV, FLAC, OGG (Vorbis) and MP3 with tags, in one writer.

The ``soundfile`` wheel bundles libsndfile 1.2.2, which encodes all four formats with no
system library. Files are written through :mod:`engines.safe_write`: to a hidden
temporary file beside the path, renamed into place when closed, so a full disk or a
failed encoder never leaves half a file nor destroys the file that was there. Speech writes chunk by chunk (:class:`AudioWriter`), so a long script
never sits in memory whole and a cancelled job leaves a valid file; music writes a
whole render at once (:func:`write`).

Tags (``title``, ``artist``, ``album``, ``software``, ``comment``) are text, and must
read back as written in any player, "Sōzō" included:

- FLAC and OGG: Vorbis comments, UTF-8 by their specification; libsndfile writes them.
- MP3: libsndfile writes ID3v1, whose text is Latin-1 only (it is handed UTF-8 bytes, so
  "Sōzō" comes out garbled elsewhere). We write an ID3v2.3 tag with UTF-16 text frames
  instead (ID3v2.3 sections 3-4; 2.3 rather than 2.4, which has UTF-8, because Windows
  reads only 2.3). Written here rather than through mutagen, which is GPL-licensed and
  would make the packaged studio so; the tests read the tags back with mutagen.
- WAV: libsndfile writes a RIFF ``LIST/INFO`` chunk with the UTF-8 bytes as they are.
  INFO has no encoding field (a rarely honoured ``CSET`` chunk aside), and UTF-8 is what
  libsndfile and FFmpeg read back, so it stays. Readers that look for tags in WAV the
  way they do in MP3 (mutagen, foobar2000, Mp3tag) read an ``id3 `` chunk, so the same
  UTF-16 ID3v2.3 tag is appended as one: both say "Sōzō".

Loudness: integrated loudness (EBU R128 / ITU-R BS.1770-4, measured with ``pyloudnorm``)
and true peak (the signal oversampled 4x), and normalisation to -16 LUFS with the true
peak at most -1 dBTP: where the peak limit binds, the audio is made quieter than -16
LUFS rather than limited or clipped. Music renders are normalised so.
"""

from __future__ import annotations

import contextlib
import errno
import io
import math
import os
import shutil
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, NoReturn

import numpy as np

from engines.errors import BadInput
from engines.messages import message
from engines.safe_write import os_error_message, safe_path

# extension -> (libsndfile format, subtype)
FORMATS: dict[str, tuple[str, str]] = {
    ".wav": ("WAV", "PCM_16"),
    ".flac": ("FLAC", "PCM_16"),
    ".ogg": ("OGG", "VORBIS"),
    ".mp3": ("MP3", "MPEG_LAYER_III"),
    ".opus": ("OGG", "OPUS"),
}
# libsndfile's Opus encoder takes only these sample rates (RFC 6716's bands).
OPUS_RATES = (8000, 12000, 16000, 24000, 48000)
TAG_NAMES = ("title", "artist", "album", "software", "comment", "recipe")
# ``recipe`` is the studio's JSON recipe (engines.recipes), which libsndfile has no name
# for: it is added to the finished file under one name per format (engines.recipe_tags).
SNDFILE_TAGS = ("title", "artist", "album", "software", "comment")
# Our tag names as ID3v2.3 frames (section 4.2.1; COMM is 4.11).
ID3_FRAMES = {
    "title": "TIT2",
    "artist": "TPE1",
    "album": "TALB",
    "software": "TSSE",
    "comment": "COMM",
}
ID3_PADDING = 256  # room for a tag editor to grow the tag in place


def format_for(path: str | Path) -> tuple[str, str]:
    """The libsndfile (format, subtype) for a file name; ``BadInput`` for another suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise BadInput(message("audio.suffix", name=path.name))
    return FORMATS[suffix]


class AudioWriter:
    """Writes float32 audio, mono or ``channels`` wide, to a file whose format comes from
    its extension, with ``tags`` (names from :data:`TAG_NAMES`; empty values are left
    out). The ID3 tags of MP3 and WAV are added when the file is closed."""

    def __init__(
        self,
        path: str | Path,
        sample_rate: int,
        tags: Mapping[str, str] | None = None,
        channels: int = 1,
        *,
        overwrite: bool = True,
        keep_partial: bool = False,
        watermark: bool = False,
        sign_model: str | None = None,
    ) -> None:
        import soundfile as sf

        self.path = Path(path)
        self.format, subtype = format_for(self.path)
        if not self.path.parent.exists():
            raise BadInput(
                message("audio.no_folder", path=str(self.path), folder=str(self.path.parent))
            )
        unknown = set(tags or {}) - set(TAG_NAMES)
        if unknown:
            raise ValueError(f"unknown tags {sorted(unknown)}: known are {TAG_NAMES}")
        if subtype == "OPUS" and sample_rate not in OPUS_RATES:
            raise BadInput(
                message(
                    "audio.opus_rate",
                    name=self.path.name,
                    rates=", ".join(str(r // 1000) for r in OPUS_RATES),
                    rate=sample_rate,
                )
            )
        self.tags = {k: v for k, v in (tags or {}).items() if v}
        self.sample_rate = sample_rate
        self.channels = channels
        self.frames = 0
        self.keep_partial = keep_partial
        # The watermark (engines.audio_watermark), added chunk by chunk.
        # ``sign_model``: signed with content credentials on close (engines.provenance).
        self.sign_model = sign_model
        self._marker = None
        if watermark:
            from engines.audio_watermark import Marker

            self._marker = Marker(sample_rate)
        self._broken = False  # a write failed: what is there is not worth keeping
        self.committed = False  # the file is under its name, whole
        # Written to a temporary file beside the path and renamed into place on close.
        self._target = safe_path(self.path, overwrite=overwrite)
        self._scratch = self._target.__enter__()
        try:
            self._raw = _ErrnoKeepingFile(open(self._scratch, "r+b", buffering=0))  # noqa: SIM115
            self._file = sf.SoundFile(
                self._raw,
                "w",
                samplerate=sample_rate,
                channels=channels,
                format=self.format,
                subtype=subtype,
            )
        except BaseException as exc:
            self._fail(exc)
        if self.format != "MP3":  # MP3 gets ID3v2.3 on close, not libsndfile's ID3v1
            for key, value in self.tags.items():
                if key not in SNDFILE_TAGS:
                    continue
                # A format without that tag (WAV has no album): the others are written.
                with contextlib.suppress(RuntimeError, sf.LibsndfileError):
                    setattr(self._file, key, value)

    def _fail(self, exc: BaseException) -> NoReturn:
        """Remove the temporary file and raise ``exc``, or one line for a write error."""
        import soundfile as sf

        self._broken = True
        encoder = getattr(self, "_file", None)
        if encoder is not None:
            with contextlib.suppress(Exception):  # it may flush into the full disk again
                encoder.close()
        raw = getattr(self, "_raw", None)
        if raw is not None:
            raw.close()
        error: BaseException = exc
        if raw is not None and raw.error is not None:
            error = BadInput(os_error_message(raw.error, self.path))
        elif isinstance(exc, OSError) and not isinstance(exc, BadInput):
            error = BadInput(os_error_message(exc, self.path))
        elif isinstance(exc, (RuntimeError, sf.LibsndfileError)) and not isinstance(exc, BadInput):
            error = BadInput(message("audio.encoder_failed", path=str(self.path), reason=str(exc)))
        self._target.__exit__(type(error), error, None)
        if error is exc:
            raise exc
        raise error from None

    def write(self, audio: np.ndarray) -> None:
        """Append (N,) or (N, channels) samples, clipped to [-1, 1]."""
        data = np.clip(np.asarray(audio, dtype=np.float32), -1.0, 1.0)
        data = data.reshape(-1) if self.channels == 1 else data.reshape(-1, self.channels)
        if self._marker is not None:
            data = np.clip(self._marker.mark(data), -1.0, 1.0)
        if data.size:
            try:
                self._file.write(data)
            except Exception as exc:
                self._fail(exc)
            if self._raw.error is not None:  # a short write libsndfile did not notice
                self._fail(self._raw.error)
            self.frames += len(data)

    @property
    def closed(self) -> bool:
        return self._raw.closed

    def close(self) -> None:
        """Finish the file and put it under its name (the old file there stays until then)."""
        if self._raw.closed:
            return
        try:
            self._file.close()
            if self._raw.error is not None:
                raise self._raw.error
            self._raw.close()
            if self.tags and self.format == "MP3":
                _prepend_id3(self._scratch, id3v2_tag(self.tags))
            elif self.tags and self.format == "WAV":
                _append_riff_chunk(self._scratch, b"id3 ", id3v2_tag(self.tags))
            if self.tags.get("recipe"):
                _add_recipe(self._scratch, self.format, self.tags["recipe"])
            if self.sign_model is not None:  # signed before the file takes its name
                from engines.provenance import sign_output_file

                sign_output_file(self._scratch, self.sign_model, name=self.path)
        except BaseException as exc:
            self._fail(exc)
        self._target.__exit__(None, None, None)
        self.committed = True

    def discard(self) -> None:
        """Drop what was written; the path keeps what it held before."""
        if self._raw.closed:
            return
        self._broken = True
        with contextlib.suppress(Exception):
            self._file.close()
        self._raw.close()
        self._target.__exit__(BadInput, BadInput(message("audio.discarded")), None)

    def __enter__(self) -> AudioWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is None or (self.keep_partial and self.frames and not self._broken):
            self.close()  # a cancelled speech job keeps the sentences it finished
        else:
            self.discard()


class _ErrnoKeepingFile:
    """The file libsndfile writes through (its virtual I/O), keeping the first OSError:
    libsndfile itself only says "System error." for a full disk."""

    def __init__(self, file: io.FileIO) -> None:
        self._file = file
        self.error: OSError | None = None

    @property
    def closed(self) -> bool:
        return self._file.closed

    def close(self) -> None:
        self._file.close()

    def write(self, data: bytes) -> int:
        if self.error is not None:
            return 0
        try:
            done = 0
            view = memoryview(data)
            while done < len(data):  # FileIO writes may be short
                n = self._file.write(view[done:])
                if not n:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                done += n
            return done
        except OSError as exc:
            self.error = exc
            return 0

    # An exception raised in a libsndfile callback is printed with its traceback and
    # lost, so each method keeps it and answers what libsndfile takes as a failure.

    def read(self, size: int = -1) -> bytes:
        try:
            return self._file.read(size) or b""
        except (OSError, ValueError) as exc:
            self._keep(exc)
            return b""

    def readinto(self, buffer: Any) -> int:
        try:
            return self._file.readinto(buffer) or 0
        except (OSError, ValueError) as exc:
            self._keep(exc)
            return 0

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        try:
            return self._file.seek(offset, whence)
        except (OSError, ValueError) as exc:
            self._keep(exc)
            return -1

    def tell(self) -> int:
        try:
            return self._file.tell()
        except (OSError, ValueError) as exc:
            self._keep(exc)
            return -1

    def _keep(self, exc: OSError | ValueError) -> None:
        if self.error is None:
            self.error = exc if isinstance(exc, OSError) else OSError(errno.EBADF, str(exc))

    def seekable(self) -> bool:
        return True


def write(
    path: str | Path,
    audio: np.ndarray,
    sample_rate: int,
    tags: Mapping[str, str] | None = None,
    *,
    overwrite: bool = True,
    watermark: bool = False,
    sign_model: str | None = None,
) -> Path:
    """Write a whole clip at once: (N,) mono or (N, channels) audio. The file appears
    whole or not at all; ``overwrite=False`` refuses a path that exists. ``watermark``
    and ``sign_model``: as :class:`AudioWriter` takes them."""
    audio = np.asarray(audio)
    channels = 1 if audio.ndim == 1 else audio.shape[1]
    with AudioWriter(
        path,
        sample_rate,
        tags,
        channels,
        overwrite=overwrite,
        watermark=watermark,
        sign_model=sign_model,
    ) as writer:
        writer.write(audio)
    return Path(path)


def read_tags(path: str | Path) -> dict[str, str]:
    """The tags libsndfile reads back (it reads ID3v2 from MP3 through mpg123)."""
    import soundfile as sf

    with sf.SoundFile(str(path)) as f:
        return {k: v for k, v in f.copy_metadata().items() if v}


# -- loudness ------------------------------------------------------------------------

LOUDNESS_TARGET_LUFS = -16.0  # EBU R128 integrated loudness; what streaming services play at
TRUE_PEAK_LIMIT_DBTP = -1.0  # headroom for lossy encoders (EBU R128 s1, AES TD1004)
MAX_GAIN_DB = 30.0  # a near-silent render is not raised into audible noise


@dataclass(frozen=True)
class Loudness:
    """A render's loudness: integrated (BS.1770-4, gated) and true peak (4x oversampled)."""

    integrated_lufs: float  # -inf for silence
    true_peak_dbtp: float  # -inf for silence

    def __str__(self) -> str:
        return str(self.describe())

    def describe(self) -> str:
        """The measurement for a person (a message, said in Japanese by the studio)."""
        if self.integrated_lufs == -math.inf:
            return message("music.silent")
        return message(
            "music.loudness_value",
            lufs=f"{self.integrated_lufs:.1f}",
            peak=f"{self.true_peak_dbtp:.1f}",
        )


def measure_loudness(audio: np.ndarray, sample_rate: int) -> Loudness:
    """Integrated loudness and true peak of (N, channels) audio.

    BS.1770 measures 400 ms blocks; a shorter sound is measured repeated to 400 ms,
    which is what its loudness would be if it were that long.
    """
    import pyloudnorm

    audio = np.asarray(audio, dtype=np.float64)
    if len(audio) == 0 or not np.abs(audio).max() > 0:
        return Loudness(-math.inf, -math.inf)
    block = math.ceil(0.4 * sample_rate) + 1
    measured = np.tile(audio, (-(-block // len(audio)), 1)) if len(audio) < block else audio
    with warnings.catch_warnings():  # all blocks under the -70 LUFS gate: numpy warns
        warnings.simplefilter("ignore", RuntimeWarning)
        lufs = float(pyloudnorm.Meter(sample_rate).integrated_loudness(measured))
    peak = true_peak(audio)
    lufs = lufs if math.isfinite(lufs) else -math.inf
    return Loudness(lufs, 20 * math.log10(peak) if peak > 0 else -math.inf)


def true_peak(audio: np.ndarray, oversample: int = 4, block: int = 4096) -> float:
    """The largest magnitude of (N, channels) audio oversampled 4x (BS.1770-4, Annex 2).

    The interpolation is ``scipy.signal.resample_poly``'s (a Kaiser-windowed sinc, 10
    zero crossings a side). Oversampling a whole render is most of the cost of its
    measurement, so it is done a block at a time, loudest block first, and stops when no
    block left can hold a higher peak: an interpolated value is at most the block's
    sample peak times the largest sum of |taps| of one phase of the filter.
    """
    from scipy.signal import firwin, upfirdn

    half = 10 * oversample
    taps = firwin(2 * half + 1, 1.0 / oversample, window=("kaiser", 5.0)) * oversample
    bound = max(float(np.abs(taps[k::oversample]).sum()) for k in range(oversample)) * 1.001
    taps = taps.astype(np.float32)  # half the time of float64; a peak needs no more
    magnitude = np.abs(np.asarray(audio, dtype=np.float64)).max(axis=1)  # (N,)
    if len(magnitude) == 0:
        return 0.0
    blocks = -(-len(magnitude) // block)
    padded = np.zeros(blocks * block)
    padded[: len(magnitude)] = magnitude
    block_peaks = padded.reshape(blocks, block).max(axis=1)
    best = float(block_peaks.max())  # the samples themselves are the filter's phase 0
    context = half // oversample + 1  # input samples each side that reach into a block
    for b in np.argsort(block_peaks)[::-1]:
        if block_peaks[b] * bound <= best:
            break
        start, stop = b * block, min(len(magnitude), (b + 1) * block)
        left = min(context, start)
        segment = np.asarray(audio[start - left : stop + context], dtype=np.float32)
        up = upfirdn(taps, segment, up=oversample, axis=0)
        # Output j is input time (j - half) / oversample: keep the block's own times.
        inside = up[left * oversample + half : (left + stop - start) * oversample + half]
        best = max(best, float(np.abs(inside).max()))
    return best


def normalise_loudness(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """The audio at -16 LUFS, or quieter where that would put its true peak over -1 dBTP.

    Silence (nothing over BS.1770's -70 LUFS gate) is left as it is, and the gain is
    at most +30 dB, so that a near-silent render is not raised into noise.
    """
    level = measure_loudness(audio, sample_rate)
    if level.integrated_lufs == -math.inf:
        return audio
    gain_db = min(
        LOUDNESS_TARGET_LUFS - level.integrated_lufs,
        TRUE_PEAK_LIMIT_DBTP - level.true_peak_dbtp,
        MAX_GAIN_DB,
    )
    return (audio * 10 ** (gain_db / 20)).astype(np.float32)


# -- ID3v2.3 ---------------------------------------------------------------------------


def id3v2_tag(tags: Mapping[str, str]) -> bytes:
    """A whole ID3v2.3 tag: the header, one UTF-16 frame per tag, then padding."""
    from engines.recipe_tags import ID3_DESCRIPTION, txxx_frame

    frames = b"".join(
        _id3_frame(frame_id, tags[name]) for name, frame_id in ID3_FRAMES.items() if tags.get(name)
    )
    if tags.get("recipe"):
        frames += txxx_frame(ID3_DESCRIPTION, tags["recipe"])
    size = len(frames) + ID3_PADDING
    return b"ID3\x03\x00\x00" + _syncsafe(size) + frames + bytes(ID3_PADDING)


def _add_recipe(path: Path, fmt: str, recipe: str) -> None:
    """The recipe under its name for the format (MP3's is in its ID3 tag already)."""
    from engines import recipe_tags

    if fmt == "FLAC":
        recipe_tags.add_flac_comment(path, recipe_tags.VORBIS_KEY, recipe)
    elif fmt == "OGG":
        recipe_tags.add_ogg_comment(path, recipe_tags.VORBIS_KEY, recipe)
    elif fmt == "WAV":
        _append_riff_chunk(path, b"iXML", recipe_tags.ixml_chunk(recipe))


def _utf16(text: str) -> bytes:
    return text.encode("utf-16")  # with its byte-order mark, as ID3v2.3's encoding 1 wants


def _id3_frame(frame_id: str, text: str) -> bytes:
    """One ID3v2.3 frame: a text frame (encoding 1, UTF-16), or COMM (language "eng",
    an empty description, then the text)."""
    if frame_id == "COMM":
        data = b"\x01eng" + _utf16("") + b"\x00\x00" + _utf16(text)
    else:
        data = b"\x01" + _utf16(text)
    return frame_id.encode("ascii") + len(data).to_bytes(4, "big") + b"\x00\x00" + data


def _syncsafe(size: int) -> bytes:
    return bytes((size >> shift) & 0x7F for shift in (21, 14, 7, 0))


def _syncsafe_size(raw: bytes) -> int:
    return (raw[0] << 21) | (raw[1] << 14) | (raw[2] << 7) | raw[3]


def _prepend_id3(path: Path, tag: bytes) -> None:
    """Put ``tag`` before the MP3 frames (replacing an earlier ID3v2 tag), copying the
    file in blocks so that an hour of speech is never in memory whole."""
    scratch = path.with_name(path.name + ".tagging")
    try:
        with path.open("rb") as src, scratch.open("wb") as dst:
            head = src.read(10)
            if head[:3] == b"ID3":
                src.seek(10 + _syncsafe_size(head[6:10]))
            else:
                src.seek(0)
            dst.write(tag)
            shutil.copyfileobj(src, dst)
        os.replace(scratch, path)
    finally:
        scratch.unlink(missing_ok=True)


def _append_riff_chunk(path: Path, chunk_id: bytes, data: bytes) -> None:
    """Append one chunk to a RIFF (WAV) file and grow the RIFF size to cover it."""
    with path.open("r+b") as f:
        if f.read(4) != b"RIFF":
            return  # RF64 and others: libsndfile's INFO tags only
        f.seek(0, os.SEEK_END)
        end = f.tell()
        pad = b"\x00" if len(data) % 2 else b""  # chunks are word-aligned
        f.write(chunk_id + len(data).to_bytes(4, "little") + data + pad)
        f.seek(4)
        f.write((end + 8 + len(data) + len(pad) - 8).to_bytes(4, "little"))


__all__ = [
    "FORMATS",
    "LOUDNESS_TARGET_LUFS",
    "TAG_NAMES",
    "AudioWriter",
    "Loudness",
    "format_for",
    "measure_loudness",
    "normalise_loudness",
    "read_tags",
    "true_peak",
    "write",
]
