"""The image canvas: drop or paste a picture, see how it is fitted, paint a mask.

The dropped picture is shown whole; the part the model will see (centre-cropped to the
model's aspect ratio, then resized) is bright and the rest dimmed, so the crop is
visible. The mask lives at the model's resolution and is painted with a round brush whose
softness is a radial fall-off; the eraser removes it. Each stroke, clear or fill is one
undo step.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QRadialGradient,
)
from PySide6.QtWidgets import QApplication, QSizePolicy, QWidget

from engines.errors import BadInput
from engines.imagefile import LoadedImage, Recipe, fit_to_size, load_image
from studio.imageconv import pil_to_qimage, qimage_to_pil

if TYPE_CHECKING:
    from PIL import Image

UNDO_LIMIT = 50


class ImageCanvas(QWidget):
    """Init image and mask for img2img and inpainting."""

    image_changed = Signal()
    mask_changed = Signal()
    message = Signal(str)  # notices and errors for the panel to show
    recipe_found = Signal(object)  # Recipe read from a dropped PNG

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("imageCanvas")
        self.setAcceptDrops(True)
        self.setMinimumSize(256, 256)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.target_size = (64, 64)
        self.source: Image.Image | None = None  # the whole picture as dropped
        self.source_name = ""
        self.crop_box: tuple[int, int, int, int] | None = None
        self.init_image: Image.Image | None = None  # what the model gets
        self._source_q: QImage | None = None
        self.mask_image = self._empty_mask()
        self.brush_size = 8.0  # in model pixels
        self.softness = 0.5  # 0 hard edge .. 1 fully soft
        self.erasing = False
        self._undo: list[QImage] = []
        self._redo: list[QImage] = []
        self._last_point: QPointF | None = None
        self._hover: QPointF | None = None

    # -- image -----------------------------------------------------------------------
    def set_target_size(self, width: int, height: int) -> None:
        """The model's input size; refits the current picture and resets the mask."""
        if (width, height) == self.target_size:
            return
        self.target_size = (width, height)
        if self.source is not None:
            self._fit()
        self.mask_image = self._empty_mask()
        self._undo.clear()
        self._redo.clear()
        self.update()
        self.mask_changed.emit()

    def load_file(self, path: str | Path) -> bool:
        """Load a user's file; on bad input, say why and leave the canvas as it was."""
        try:
            loaded = load_image(path)
        except BadInput as exc:
            self.message.emit(str(exc))
            return False
        self._take(loaded.image, loaded.path.name)
        for notice in loaded.notices:
            self.message.emit(notice)
        self._announce_recipe(loaded)
        return True

    def set_image(self, image: Image.Image, name: str = "result") -> None:
        """Put an image on the canvas (a result sent back for more editing)."""
        self._take(image.convert("RGBA"), name)

    def take_result(self, image: Image.Image, name: str) -> None:
        """Show a result made from this picture as the picture to edit next. The mask is
        cleared so that the new pixels show; one Undo brings it back (to redo the area)."""
        painted = self.mask_image.copy() if self.has_mask() else None
        self.set_image(image, name)
        if painted is not None and painted.size() == self.mask_image.size():
            self._undo.append(painted)

    def paste(self, mime: QMimeData | None = None) -> bool:
        """Paste from the clipboard (or given mime data): an image, or a file URL."""
        data = mime or QApplication.clipboard().mimeData()
        if data is None:
            return False
        if data.hasUrls():
            files = [u.toLocalFile() for u in data.urls() if u.isLocalFile()]
            if files:
                return self.load_file(files[0])
        if data.hasImage():
            image = data.imageData()
            if isinstance(image, QImage) and not image.isNull():
                self._take(qimage_to_pil(image), "pasted image")
                return True
        self.message.emit("The clipboard holds no image.")
        return False

    def clear_image(self) -> None:
        self.source = self.init_image = self._source_q = self.crop_box = None
        self.source_name = ""
        self.mask_image = self._empty_mask()
        self._undo.clear()
        self._redo.clear()
        self.update()
        self.image_changed.emit()
        self.mask_changed.emit()

    def _take(self, image: Image.Image, name: str) -> None:
        self.source = image
        self.source_name = name
        self._source_q = pil_to_qimage(image)
        self._fit()
        self.mask_image = self._empty_mask()
        self._undo.clear()
        self._redo.clear()
        self.update()
        self.image_changed.emit()
        self.mask_changed.emit()

    def _fit(self) -> None:
        assert self.source is not None
        self.init_image, self.crop_box = fit_to_size(self.source, *self.target_size)

    def _announce_recipe(self, loaded: LoadedImage) -> None:
        recipe: Recipe | None = loaded.recipe
        if recipe is not None:
            self.recipe_found.emit(recipe)

    # -- mask ------------------------------------------------------------------------
    def _empty_mask(self) -> QImage:
        mask = QImage(*self.target_size, QImage.Format.Format_Grayscale8)
        mask.fill(0)
        return mask

    def has_mask(self) -> bool:
        return self.mask_pil().getbbox() is not None

    def mask_pil(self) -> Image.Image:
        return qimage_to_pil(self.mask_image).convert("L")

    def set_mask(self, image: Image.Image) -> None:
        """Replace the mask (e.g. loaded from a file), as one undo step."""
        self._push_undo()
        grey = image.convert("L").resize(self.target_size)
        self.mask_image = pil_to_qimage(grey).convertToFormat(QImage.Format.Format_Grayscale8)
        self.update()
        self.mask_changed.emit()

    def clear_mask(self) -> None:
        self._push_undo()
        self.mask_image.fill(0)
        self.update()
        self.mask_changed.emit()

    def undo(self) -> None:
        self._step(self._undo, self._redo)

    def redo(self) -> None:
        self._step(self._redo, self._undo)

    def _step(self, source: list[QImage], target: list[QImage]) -> None:
        """Take the mask from ``source``, keeping the current one on ``target``."""
        if source:
            target.append(self.mask_image.copy())
            self.mask_image = source.pop()
            self.update()
            self.mask_changed.emit()

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def _push_undo(self) -> None:
        self._undo.append(self.mask_image.copy())
        del self._undo[:-UNDO_LIMIT]
        self._redo.clear()

    # -- geometry --------------------------------------------------------------------
    def _source_rect(self) -> QRectF:
        """Where the whole picture is drawn in the widget (fitted, centred)."""
        if self.source is None:
            w, h = self.target_size
        else:
            w, h = self.source.size
        scale = min(self.width() / w, self.height() / h)
        dw, dh = w * scale, h * scale
        return QRectF((self.width() - dw) / 2, (self.height() - dh) / 2, dw, dh)

    def model_rect(self) -> QRectF:
        """Where the model's part (the crop) is drawn in the widget."""
        rect = self._source_rect()
        if self.source is None or self.crop_box is None:
            return rect
        sw, sh = self.source.size
        left, top, right, bottom = self.crop_box
        return QRectF(
            rect.left() + rect.width() * left / sw,
            rect.top() + rect.height() * top / sh,
            rect.width() * (right - left) / sw,
            rect.height() * (bottom - top) / sh,
        )

    def _to_mask(self, pos: QPointF) -> QPointF:
        rect = self.model_rect()
        mw, mh = self.target_size
        return QPointF(
            (pos.x() - rect.left()) * mw / rect.width(),
            (pos.y() - rect.top()) * mh / rect.height(),
        )

    # -- painting the mask ---------------------------------------------------------------
    def _dab(self, painter: QPainter, at: QPointF) -> None:
        radius = max(0.5, self.brush_size / 2)
        value = 0 if self.erasing else 255
        gradient = QRadialGradient(at, radius)
        hard = max(0.0, min(1.0, 1.0 - self.softness))
        gradient.setColorAt(0.0, QColor(value, value, value, 255))
        gradient.setColorAt(hard, QColor(value, value, value, 255))
        gradient.setColorAt(1.0, QColor(value, value, value, 0))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(gradient)
        painter.drawEllipse(at, radius, radius)

    def _stroke(self, start: QPointF, end: QPointF) -> None:
        painter = QPainter(self.mask_image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        distance = max(abs(end.x() - start.x()), abs(end.y() - start.y()))
        steps = max(1, int(distance / max(1.0, self.brush_size / 4)))
        for i in range(steps + 1):
            t = i / steps
            self._dab(painter, start + (end - start) * t)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.init_image is None:
            return super().mousePressEvent(event)
        self._push_undo()
        point = self._to_mask(event.position())
        self._stroke(point, point)
        self._last_point = point
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._hover = event.position()
        if self._last_point is not None and event.buttons() & Qt.MouseButton.LeftButton:
            point = self._to_mask(event.position())
            self._stroke(self._last_point, point)
            self._last_point = point
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._last_point is not None:
            self._last_point = None
            self.mask_changed.emit()
        super().mouseReleaseEvent(event)

    def leaveEvent(self, event: object) -> None:
        self._hover = None
        self.update()

    # -- drawing ---------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.fillRect(self.rect(), self.palette().base())
        if self._source_q is None:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(
                self.rect(),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                "Drop an image here or paste one (Ctrl+V)\nto edit it with img2img or inpainting",
            )
            return
        whole = self._source_rect()
        painter.drawImage(whole, self._source_q)
        crop = self.model_rect()
        if crop != whole:  # dim what the model will not see
            shade = QColor(0, 0, 0, 140)
            painter.fillRect(
                QRectF(whole.left(), whole.top(), whole.width(), crop.top() - whole.top()), shade
            )
            painter.fillRect(
                QRectF(whole.left(), crop.bottom(), whole.width(), whole.bottom() - crop.bottom()),
                shade,
            )
            painter.fillRect(
                QRectF(whole.left(), crop.top(), crop.left() - whole.left(), crop.height()), shade
            )
            painter.fillRect(
                QRectF(crop.right(), crop.top(), whole.right() - crop.right(), crop.height()), shade
            )
        overlay = QImage(self.mask_image.size(), QImage.Format.Format_ARGB32_Premultiplied)
        overlay.fill(QColor(43, 179, 217))  # cyan: visible on the warm colours of most emoji
        overlay.setAlphaChannel(self.mask_image)
        painter.setOpacity(0.55)  # the picture stays visible under the mask
        painter.drawImage(crop, overlay)
        painter.setOpacity(1.0)
        painter.setPen(QPen(QColor(255, 255, 255, 200), 1, Qt.PenStyle.DashLine))
        painter.drawRect(crop)
        if self._hover is not None and crop.contains(self._hover):
            radius = self.brush_size / 2 * crop.width() / self.target_size[0]
            painter.setPen(QPen(QColor(255, 255, 255), 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(self._hover, radius, radius)

    # -- drag and drop -----------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasUrls() or mime.hasImage():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        if mime.hasUrls():
            paths = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
            if not paths:
                self.message.emit("Only files on this computer can be dropped here.")
                return
            if len(paths) > 1:
                self.message.emit(f"{len(paths)} files dropped: using the first.")
            if self.load_file(paths[0]):
                event.acceptProposedAction()
            return
        if self.paste(mime):
            event.acceptProposedAction()
