"""Where the picture sits in the canvas widget: a zoom and an offset, and the mapping both ways.

A picture pixel (x, y) covers the picture-space square [x, x+1) x [y, y+1) and is drawn at
``offset + (x, y) * zoom`` in the widget. Zooming about a point keeps the picture point
under it where it is, as every image editor does under the mouse wheel.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, QSizeF
from PySide6.QtGui import QTransform

MIN_ZOOM = 1 / 64
MAX_ZOOM = 32.0
FIT_MARGIN = 8.0  # widget pixels left around a fitted picture


@dataclass
class CanvasView:
    """The zoom (widget pixels per picture pixel) and where the picture's corner is drawn."""

    zoom: float = 1.0
    offset: QPointF = field(default_factory=QPointF)  # widget position of the picture's corner
    fitted: bool = True  # follows the widget's size until the user zooms or pans

    def to_picture(self, point: QPointF) -> QPointF:
        return (point - self.offset) / self.zoom

    def to_view(self, point: QPointF) -> QPointF:
        return point * self.zoom + self.offset

    def rect_to_view(self, rect: QRectF) -> QRectF:
        return QRectF(self.to_view(rect.topLeft()), rect.size() * self.zoom)

    def rect_to_picture(self, rect: QRectF) -> QRectF:
        return QRectF(self.to_picture(rect.topLeft()), rect.size() / self.zoom)

    def transform(self) -> QTransform:
        """Picture coordinates to widget coordinates, for a painter."""
        return QTransform(self.zoom, 0, 0, self.zoom, self.offset.x(), self.offset.y())

    def fit(self, picture: QSizeF, widget: QSizeF) -> None:
        """Show the whole picture, centred (a small one enlarged to fill the widget)."""
        room_w = max(1.0, widget.width() - 2 * FIT_MARGIN)
        room_h = max(1.0, widget.height() - 2 * FIT_MARGIN)
        self.zoom = max(MIN_ZOOM, min(room_w / picture.width(), room_h / picture.height()))
        self._centre(picture, widget)
        self.fitted = True

    def actual_size(self, picture: QSizeF, widget: QSizeF) -> None:
        """One picture pixel per widget pixel, centred."""
        self.zoom = 1.0
        self._centre(picture, widget)
        self.fitted = False

    def _centre(self, picture: QSizeF, widget: QSizeF) -> None:
        self.offset = QPointF(
            (widget.width() - picture.width() * self.zoom) / 2,
            (widget.height() - picture.height() * self.zoom) / 2,
        )

    def zoom_about(self, anchor: QPointF, factor: float) -> None:
        """Zoom by ``factor``, keeping the picture point under ``anchor`` (widget) there."""
        fixed = self.to_picture(anchor)
        self.zoom = max(MIN_ZOOM, min(MAX_ZOOM, self.zoom * factor))
        self.offset = anchor - fixed * self.zoom
        self.fitted = False

    def pan(self, delta: QPointF) -> None:
        self.offset = self.offset + delta
        self.fitted = False
