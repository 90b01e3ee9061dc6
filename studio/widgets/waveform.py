"""A clip's waveform with a playhead: click to seek, drag out to export."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget


class WaveformWidget(QWidget):
    """The clip's envelope with a playhead. Click to seek; drag out to export as a file."""

    seek_requested = Signal(float)  # fraction of the clip
    drag_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("waveform")
        self.setMinimumHeight(110)
        self._peaks = np.zeros((0, 2), np.float32)
        self._total_bins = 0
        self.playhead = 0.0  # fraction
        self._press: QPoint | None = None

    @property
    def bins(self) -> int:
        return int(self._peaks.shape[0])

    def set_peaks(self, peaks: np.ndarray) -> None:
        self._peaks = peaks
        self.update()

    def set_playhead(self, fraction: float) -> None:
        fraction = max(0.0, min(1.0, fraction))
        if abs(fraction - self.playhead) > 1e-4:
            self.playhead = fraction
            self.update()

    def column_peaks(self, width: int) -> np.ndarray:
        """(width, 2) min/max for each pixel column."""
        n = self.bins
        if n == 0 or width <= 0:
            return np.zeros((0, 2), np.float32)
        edges = np.linspace(0, n, width + 1).astype(int)
        edges[1:] = np.maximum(edges[1:], edges[:-1] + 1)
        edges = np.minimum(edges, n)
        lo = np.minimum.reduceat(self._peaks[:, 0], edges[:-1].clip(0, n - 1))
        hi = np.maximum.reduceat(self._peaks[:, 1], edges[:-1].clip(0, n - 1))
        return np.stack([lo, hi], axis=1)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.rect()
        painter.fillRect(rect, self.palette().base())
        mid = rect.height() / 2
        color = self.palette().highlight().color()
        painter.setPen(QColor(color))
        cols = self.column_peaks(rect.width())
        for x, (lo, hi) in enumerate(cols):
            painter.drawLine(x, int(mid - hi * mid * 0.95), x, int(mid - lo * mid * 0.95))
        if not cols.size:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(
                rect, Qt.AlignmentFlag.AlignCenter, self.tr("The waveform appears here.")
            )
        else:
            painter.setPen(QColor("#e0533d"))
            x = int(self.playhead * (rect.width() - 1))
            painter.drawLine(x, 0, x, rect.height())
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None or not self.bins:
            return
        if (event.position().toPoint() - self._press).manhattanLength() >= 12:
            self._press = None
            self.drag_requested.emit()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._press is not None and self.width() > 0 and self.bins:
            self.seek_requested.emit(event.position().x() / self.width())
        self._press = None
