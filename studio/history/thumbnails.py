"""Thumbnails of history items, made when first asked for and kept.

A picture is read at thumbnail size (``QImageReader.setScaledSize`` decodes no more than
it needs); an audio file becomes its waveform's envelope; a reply, a melody without audio
or a missing file gets the sign of its kind. Kept per file and modification time, so a
relinked or rewritten file gets a new one.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImageReader, QPainter, QPen, QPixmap, QPolygonF

from engines.history import HistoryItem

log = logging.getLogger(__name__)

THUMB = 48
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp"}
AUDIO_SUFFIXES = {".wav", ".flac", ".ogg", ".mp3"}
SIGNS = {"image": "◧", "walk": "◧", "text": "✎", "melody": "♫", "speech": "❝"}
MAX_AUDIO_FRAMES = 48_000 * 60 * 10  # longer files: the sign, not minutes of decoding


class Thumbnails:
    """Thumbnail pixmaps, made on demand and cached."""

    def __init__(self, size: int = THUMB) -> None:
        self.size = size
        self._cache: dict[tuple[str, float], QPixmap] = {}
        self._signs: dict[tuple[str, bool], QPixmap] = {}
        self.made = 0  # thumbnails made from files (tests check the cache with it)

    def for_item(self, item: HistoryItem) -> QPixmap:
        for f in item.files:
            if f in item.missing:
                continue
            suffix = f.suffix.lower()
            if suffix in IMAGE_SUFFIXES or suffix in AUDIO_SUFFIXES:
                pixmap = self._for_file(f, suffix in AUDIO_SUFFIXES)
                if pixmap is not None:
                    return pixmap
        return self.sign(item.kind, missing=bool(item.missing))

    def forget(self, path: Path) -> None:
        for key in [k for k in self._cache if k[0] == str(path)]:
            del self._cache[key]

    def _for_file(self, path: Path, audio: bool) -> QPixmap | None:
        try:
            key = (str(path), path.stat().st_mtime)
        except OSError:
            return None
        if key not in self._cache:
            pixmap = self._waveform(path) if audio else self._picture(path)
            if pixmap is None:
                return None
            self.made += 1
            self._cache[key] = pixmap
        return self._cache[key]

    def _picture(self, path: Path) -> QPixmap | None:
        reader = QImageReader(str(path))
        size = reader.size()
        if size.isValid() and size.width() > 0 and size.height() > 0:
            reader.setScaledSize(
                size.scaled(QSize(self.size, self.size), Qt.AspectRatioMode.KeepAspectRatio)
            )
        image = reader.read()
        return None if image.isNull() else QPixmap.fromImage(image)

    def _waveform(self, path: Path) -> QPixmap | None:
        try:
            import numpy as np
            import soundfile

            info = soundfile.info(str(path))
            if info.frames <= 0 or info.frames > MAX_AUDIO_FRAMES:
                return None
            data, _ = soundfile.read(str(path), dtype="float32", always_2d=True)
        except Exception as exc:  # an unreadable file gets the kind's sign instead
            log.info("no waveform for %s: %s", path, exc)
            return None
        mono = np.abs(data).max(axis=1)
        columns = np.array_split(mono, self.size)
        peaks = np.array([c.max() if c.size else 0.0 for c in columns])
        peaks = peaks / max(float(peaks.max()), 1e-6)
        pixmap = QPixmap(self.size, self.size)
        pixmap.fill(QColor("#1f2a36"))
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("#6fc3df"), 1.0))
        middle = self.size / 2
        top = [QPointF(x + 0.5, middle - p * (middle - 2)) for x, p in enumerate(peaks)]
        bottom = [QPointF(x + 0.5, middle + p * (middle - 2)) for x, p in enumerate(peaks)]
        painter.setBrush(QColor("#6fc3df"))
        painter.drawPolygon(QPolygonF(top + bottom[::-1]))
        painter.end()
        return pixmap

    def sign(self, kind: str, *, missing: bool = False) -> QPixmap:
        key = (kind, missing)
        if key not in self._signs:
            pixmap = QPixmap(self.size, self.size)
            pixmap.fill(QColor("#5a2a27" if missing else "#2d3440"))
            painter = QPainter(pixmap)
            font = QFont()
            font.setPixelSize(int(self.size * 0.55))
            painter.setFont(font)
            painter.setPen(QColor("#e8e8e8"))
            painter.drawText(
                QRectF(0, 0, self.size, self.size),
                Qt.AlignmentFlag.AlignCenter,
                SIGNS.get(kind, "?"),
            )
            painter.end()
            self._signs[key] = pixmap
        return self._signs[key]
