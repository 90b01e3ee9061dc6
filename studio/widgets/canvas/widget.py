"""The image canvas widget: mouse, keys, drawing and drops over :class:`CanvasResults`.

The view zooms (wheel, Ctrl+= / Ctrl+-, Ctrl+0 fit, Ctrl+1 100%) and pans (space + drag,
or the middle button); the brush (left button; right button or E: eraser; [ and ] resize
it) and the rectangle tool paint the mask. Ctrl + drag on a result drags the flattened
picture out as a PNG with its recipe. A black-and-white file dropped on a picture is its
mask; any other file (or any file with Shift held) is the new picture.

Only the part of the widget that changed is repainted, and painting draws only the
exposed part of the picture and mask, so a stroke on a 6000x4000 photo stays quick.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QDrag,
    QDragEnterEvent,
    QDropEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication

from engines.errors import BadInput
from engines.imagefile import LoadedImage, load_image
from studio.widgets.canvas.base import WHEEL_STEP, CanvasTool, fill_in
from studio.widgets.canvas.results import CanvasResults

MASK_COLOUR = QColor(43, 179, 217)  # cyan: visible on the warm colours of most pictures
MASK_OPACITY = 0.55  # the picture stays visible under the mask


def looks_like_a_mask(loaded: LoadedImage) -> bool:
    """Whether a dropped file is a black-and-white mask rather than a picture to edit:
    grey, opaque, no recipe, and nearly every pixel black or white (a soft edge allowed)."""
    if loaded.recipe is not None:
        return False
    rgba = np.asarray(loaded.image)[::4, ::4]  # a sample is enough to tell
    if not (rgba[..., 3] == 255).all():
        return False
    red, green, blue = rgba[..., 0], rgba[..., 1], rgba[..., 2]
    if not ((red == green) & (green == blue)).all():
        return False
    extreme = (red <= 16) | (red >= 239)
    return float(extreme.mean()) >= 0.9


class ImageCanvas(CanvasResults):
    """The picture to edit (img2img, inpainting), its mask, and a result to compare."""

    # -- mouse -------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        button, pos = event.button(), event.position()
        if button == Qt.MouseButton.MiddleButton or (
            button == Qt.MouseButton.LeftButton and self._space_held
        ):
            self._pan_from = pos
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
            return
        if self.source is None or button not in (
            Qt.MouseButton.LeftButton,
            Qt.MouseButton.RightButton,
        ):
            return super().mousePressEvent(event)
        if (
            button == Qt.MouseButton.LeftButton
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
            and self.result is not None
        ):
            self._drag_from = pos
            return
        point = self.to_picture(pos)
        self._stroke_erasing = self.erasing or button == Qt.MouseButton.RightButton
        if self.tool is CanvasTool.rectangle:
            self._rect_from = self._rect_to = point
            return
        self.mask_layer.begin_stroke()
        self._paint_segment(point, point)

    def _paint_segment(self, start: QPointF, end: QPointF) -> None:
        self._mask_shown = True
        dirty = self.mask_layer.stroke(
            start, end, self.brush_size, self.hardness, self._stroke_erasing
        )
        self._last_point = end
        if not dirty.isEmpty():
            self.update(self._view_rect(dirty))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        self._update_cursor_outline()
        self._hover = pos
        self._update_cursor_outline()
        if self._pan_from is not None:
            self.view.pan(pos - self._pan_from)
            self._pan_from = pos
            self.update()
            self.view_changed.emit()
        elif self._drag_from is not None:
            if (pos - self._drag_from).manhattanLength() >= QApplication.startDragDistance():
                self._drag_from = None
                self._drag_out()
        elif self._last_point is not None:
            self._paint_segment(self._last_point, self.to_picture(pos))
        elif self._rect_from is not None:
            self._update_rect_preview()
            self._rect_to = self.to_picture(pos)
            self._update_rect_preview()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            self._pan_from = None
            self.setCursor(
                Qt.CursorShape.OpenHandCursor if self._space_held else Qt.CursorShape.CrossCursor
            )
        elif self._last_point is not None:
            self._last_point = None
            if not self.mask_layer.end_stroke().isEmpty():
                self.mask_changed.emit()
        elif self._rect_from is not None and self._rect_to is not None:
            self._update_rect_preview()
            rect = self._rect_in_picture(self._rect_from, self._rect_to)
            self._rect_from = self._rect_to = None
            self._changed(self.mask_layer.fill_rect(rect, self._stroke_erasing))
        self._drag_from = None
        super().mouseReleaseEvent(event)

    @staticmethod
    def _rect_in_picture(a: QPointF, b: QPointF) -> QRect:
        """The picture pixels a rectangle drag between two picture points covers."""
        left, right = math.floor(min(a.x(), b.x())), math.ceil(max(a.x(), b.x()))
        top, bottom = math.floor(min(a.y(), b.y())), math.ceil(max(a.y(), b.y()))
        return QRect(left, top, max(1, right - left), max(1, bottom - top))

    def _update_rect_preview(self) -> None:
        if self._rect_from is not None and self._rect_to is not None:
            self.update(self._view_rect(self._rect_in_picture(self._rect_from, self._rect_to)))

    def _drag_out(self) -> None:
        mime = self.result_mime_data()
        if mime is None:
            return
        drag = QDrag(self)
        drag.setMimeData(mime)
        drag.exec(Qt.DropAction.CopyAction)

    def leaveEvent(self, event: object) -> None:
        self._update_cursor_outline()
        self._hover = None

    def wheelEvent(self, event: QWheelEvent) -> None:
        notches = event.angleDelta().y() / 120
        if not notches or self.source is None:
            return super().wheelEvent(event)
        self.zoom_by(WHEEL_STEP**notches, event.position())
        event.accept()

    # -- keys --------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if ctrl and key in (Qt.Key.Key_Equal, Qt.Key.Key_Plus):
            self.zoom_in()
        elif ctrl and key == Qt.Key.Key_Minus:
            self.zoom_out()
        elif ctrl and key == Qt.Key.Key_0:
            self.fit()
        elif ctrl and key == Qt.Key.Key_1:
            self.actual_size()
        elif ctrl:
            return super().keyPressEvent(event)
        elif key == Qt.Key.Key_BracketRight:
            self.brush_size = max(self.brush_size + 1, round(self.brush_size * 1.25))
        elif key == Qt.Key.Key_BracketLeft:
            self.brush_size = max(1, min(self.brush_size - 1, round(self.brush_size / 1.25)))
        elif key == Qt.Key.Key_E:
            self.erasing = not self.erasing
        elif key == Qt.Key.Key_Space:
            if not event.isAutoRepeat():
                self._space_held = True
                self.setCursor(Qt.CursorShape.OpenHandCursor)
        else:
            return super().keyPressEvent(event)
        event.accept()

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_held = False
            if self._pan_from is None:
                self.setCursor(Qt.CursorShape.CrossCursor)
            event.accept()
            return
        super().keyReleaseEvent(event)

    # -- drawing ---------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        area = event.rect()
        painter = QPainter(self)
        painter.fillRect(area, self.palette().base())
        if self._picture_levels is None:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(
                self.rect(),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.tr(
                    "Drop a picture here or paste one (Ctrl+V)\n"
                    "to edit it with img2img or inpainting"
                ),
            )
            return
        whole = self.picture_rect()
        drawn = whole
        if self.result is not None and self.result.visible and self.source is not None:
            # An outpainted result reaches past the picture: its new strips show too.
            placed = QRectF(*self.result.placement(self.source.size))
            drawn = whole.united(self.view.rect_to_view(placed))
        visible = drawn.toAlignedRect() & area
        if not visible.isEmpty():
            self._draw_layers(painter, visible)
        painter.setClipping(False)
        painter.resetTransform()
        painter.setOpacity(1.0)
        painter.setPen(QPen(QColor(255, 255, 255, 160), 1, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(whole)
        if self._rect_from is not None and self._rect_to is not None:
            rect = self._rect_in_picture(self._rect_from, self._rect_to)
            painter.setPen(QPen(QColor(255, 255, 255), 1, Qt.PenStyle.DashLine))
            painter.drawRect(self.view.rect_to_view(QRectF(rect)))
        if self._hover is not None and self.tool is CanvasTool.brush:
            radius = self.brush_size / 2 * self.view.zoom  # the brush at this zoom
            for colour, r in ((QColor(0, 0, 0, 160), radius + 1), (QColor(255, 255, 255), radius)):
                painter.setPen(QPen(colour, 1))
                painter.drawEllipse(self._hover, r, r)

    def _draw_layers(self, painter: QPainter, visible: QRect) -> None:
        """The picture, the result over it and the mask over both, in ``visible`` only."""
        assert self._picture_levels is not None and self.source is not None
        smooth = self.view.zoom < 2  # zoomed in, the picture's pixels show crisp
        painter.setClipRect(visible)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, smooth)
        painter.setTransform(self.view.transform())
        size = QRectF(0, 0, *self.source.size)
        zoom = self.view.zoom
        shown = self.shown_levels() or self._picture_levels  # the flattened layer stack
        painter.drawImage(size, shown.level_for(zoom)[1])
        result = self._preview  # a result of another size, drawn over the stack
        if result is not None and result.visible:
            painter.setOpacity(result.opacity)
            place = QRectF(*result.placement(self.source.size))  # outpainted: larger
            scale = result.image.width / place.width()  # a result at another scale
            painter.drawImage(place, result.pyramid.level_for(zoom / scale)[1])
            painter.setOpacity(1.0)
        chosen = self.result
        comparing = chosen is not None and not chosen.visible
        if not (self._mask_shown or comparing):
            return
        if self._last_point is None and self.mask_layer.is_empty():  # (mid-stroke: not)
            return
        # The mask, scaled to the screen for the exposed part only, tints it cyan.
        grey = QImage(visible.size(), QImage.Format.Format_Grayscale8)
        grey.fill(0)
        mask_painter = QPainter(grey)  # nearest: as good as bilinear zoomed out, and quicker
        mask_painter.setTransform(
            self.view.transform() * QTransform.fromTranslate(-visible.x(), -visible.y())
        )
        mask_painter.drawImage(QPointF(0, 0), self.mask_layer.image)
        mask_painter.end()
        overlay = QImage(visible.size(), QImage.Format.Format_ARGB32_Premultiplied)
        overlay.fill(MASK_COLOUR)
        overlay.setAlphaChannel(grey)
        painter.resetTransform()
        painter.setOpacity(MASK_OPACITY)
        painter.drawImage(visible.topLeft(), overlay)

    # -- drag and drop -----------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if event.source() is self:  # our own result, dragged out: not a drop onto us
            event.ignore()
        elif mime.hasUrls() or mime.hasImage():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        if mime.hasUrls():
            paths = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
            if not paths:
                self.message.emit(self.tr("Only files on this computer can be dropped here."))
                return
            if len(paths) > 1:
                text = self.tr("%1 files dropped: using the first.")
                self.message.emit(fill_in(text, len(paths)))
            as_picture = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            if self._drop_file(paths[0], as_picture):
                event.acceptProposedAction()
            return
        if self.paste(mime):
            event.acceptProposedAction()

    def _drop_file(self, path: str, as_picture: bool) -> bool:
        """A black-and-white file dropped on a picture is its mask; anything else is the
        new picture (Shift: always the picture)."""
        try:
            loaded = load_image(path)
        except BadInput as exc:
            self.message.emit(str(exc))
            return False
        if self.source is not None and not as_picture and looks_like_a_mask(loaded):
            return self._take_mask(loaded)
        self._take(loaded.image, loaded.path.name, loaded.path)
        for notice in loaded.notices:
            self.message.emit(notice)
        self._announce_recipe(loaded)
        return True
