"""The 2-D latent pad: four corner images and a point to drag between them.

The point's position (u, v) in [0, 1]² weights the corners bilinearly:
top-left (1-u)(1-v), top-right u(1-v), bottom-left (1-u)v, bottom-right uv. The panel
decodes the blended latent and shows the frame in the pad's middle.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

CORNER = 72


def bilinear_weights(u: float, v: float) -> tuple[float, float, float, float]:
    """Weights of the top-left, top-right, bottom-left and bottom-right corners."""
    return ((1 - u) * (1 - v), u * (1 - v), (1 - u) * v, u * v)


class LatentPad(QWidget):
    point_changed = Signal(float, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("latentPad")
        self.setMinimumSize(280, 280)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.corners: list[QImage | None] = [None, None, None, None]
        self.frame: QImage | None = None
        self.u = self.v = 0.5
        self._dragging = False

    def set_corner(self, index: int, image: QImage | None) -> None:
        self.corners[index] = image
        self.update()

    def set_frame(self, image: QImage | None) -> None:
        self.frame = image
        self.update()

    def set_point(self, u: float, v: float, *, emit: bool = True) -> None:
        u, v = min(1.0, max(0.0, u)), min(1.0, max(0.0, v))
        if (u, v) == (self.u, self.v):
            return
        self.u, self.v = u, v
        self.update()
        if emit:
            self.point_changed.emit(u, v)

    def _area(self) -> QRectF:
        m = CORNER / 2 + 4
        return QRectF(m, m, self.width() - 2 * m, self.height() - 2 * m)

    def corner_rects(self) -> list[QRectF]:
        """Where the corner pictures are drawn: top-left, top-right, bottom-left, bottom-right."""
        area = self._area()
        centres = (area.topLeft(), area.topRight(), area.bottomLeft(), area.bottomRight())
        return [QRectF(c.x() - CORNER / 2, c.y() - CORNER / 2, CORNER, CORNER) for c in centres]

    def point_position(self) -> QPointF:
        a = self._area()
        return QPointF(a.left() + self.u * a.width(), a.top() + self.v * a.height())

    def _move_to(self, pos: QPointF) -> None:
        a = self._area()
        self.set_point((pos.x() - a.left()) / a.width(), (pos.y() - a.top()) / a.height())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._dragging = True
            self._move_to(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._dragging:
            self._move_to(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._dragging = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        step = 0.1 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 0.02
        moves = {
            Qt.Key.Key_Left: (-step, 0.0),
            Qt.Key.Key_Right: (step, 0.0),
            Qt.Key.Key_Up: (0.0, -step),
            Qt.Key.Key_Down: (0.0, step),
        }
        move = moves.get(Qt.Key(event.key()))
        if move is None:
            return super().keyPressEvent(event)
        self.set_point(self.u + move[0], self.v + move[1])

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        area = self._area()
        painter.setPen(QPen(self.palette().mid().color(), 1, Qt.PenStyle.DashLine))
        painter.drawRect(area)
        if self.frame is not None:
            side = min(area.width(), area.height()) * 0.6
            target = QRectF(area.center().x() - side / 2, area.center().y() - side / 2, side, side)
            painter.drawImage(target, self.frame)
        for image, box in zip(self.corners, self.corner_rects(), strict=True):
            painter.fillRect(box, self.palette().alternateBase())
            if image is not None:
                painter.drawImage(box, image)
            painter.setPen(QPen(self.palette().mid().color(), 1))
            painter.drawRect(box)
        point = self.point_position()
        painter.setPen(QPen(QColor("white"), 3))
        painter.setBrush(QColor(217, 72, 95))
        painter.drawEllipse(point, 9, 9)
