"""The canvas's state: the whole picture at its own resolution, its mask, the brush, the view.

The picture is kept whole (nothing is cropped to the model's aspect: the engine crops
around the mask itself) and the mask is painted at the picture's resolution; each
stroke, rectangle, invert, clear or dropped mask file is one undo step
(:mod:`studio.widgets.canvas.mask_layer` keeps only what changed). Results over the
picture, their flattening and their files are :mod:`studio.widgets.canvas.results`;
the mouse, keys and drawing are :mod:`studio.widgets.canvas.widget`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QMimeData, QPointF, QRect, QRectF, QSizeF, Qt, Signal
from PySide6.QtGui import (
    QImage,
    QResizeEvent,
)
from PySide6.QtWidgets import QApplication, QSizePolicy, QWidget

from engines.errors import BadInput
from engines.imagefile import LoadedImage, Recipe, load_image
from studio.imageconv import pil_to_qimage, qimage_to_pil
from studio.widgets.canvas.export import SourcePhoto
from studio.widgets.canvas.layer_stack import LayerStack
from studio.widgets.canvas.mask_layer import MaskLayer, MaskView
from studio.widgets.canvas.pyramid import ImagePyramid
from studio.widgets.canvas.result_layer import ResultLayer
from studio.widgets.canvas.view import CanvasView

if TYPE_CHECKING:
    from PIL import Image

MAX_BRUSH_SIZE = 2000  # picture pixels: a third of a 6000-pixel photo's short side
WHEEL_STEP = 1.25  # zoom factor per wheel notch and per Ctrl+= / Ctrl+-


class CanvasTool(Enum):
    """What a left-button drag on the picture does to the mask."""

    brush = "brush"
    rectangle = "rectangle"


def fill_in(text: str, *values: object) -> str:
    """A translated text with its %1, %2... filled in (Qt's style, after translation)."""
    for i, value in reversed(list(enumerate(values, start=1))):  # %10 before %1
        text = text.replace(f"%{i}", str(value))
    return text


_PICTURES = itertools.count(1)


def tag(picture: Image.Image) -> None:
    """Number a picture the canvas took (its own copy), so that the state tells it from
    the last one without comparing 96 MB of pixels (PIL compares ``info`` first)."""
    picture.info["canvas picture"] = str(next(_PICTURES))


class CanvasBase(QWidget):
    """The canvas's state: the picture, its mask, the brush, the view.

    :class:`~studio.widgets.canvas.results.CanvasResults` adds the results over the
    picture, :class:`~studio.widgets.canvas.widget.ImageCanvas` the mouse, keys, drawing
    and drops."""

    image_changed = Signal()
    mask_changed = Signal()
    message = Signal(str)  # notices and errors for the panel to show
    recipe_found = Signal(object)  # Recipe read from a dropped PNG
    brush_size_changed = Signal(float)
    erasing_changed = Signal(bool)
    tool_changed = Signal(object)  # CanvasTool
    view_changed = Signal()  # zoom or pan
    result_changed = Signal()  # a result came, went, or its opacity or visibility changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("imageCanvas")
        self.setAcceptDrops(True)
        self.setMinimumSize(256, 256)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.source: Image.Image | None = None  # the whole picture, upright, RGBA
        self.source_name = ""
        self.photo = SourcePhoto()  # the file it was opened from, for its credentials
        self._picture_levels: ImagePyramid | None = None  # the picture to draw, and its halvings
        self.mask_layer = MaskLayer(1, 1)
        self.view = CanvasView()
        self._preview: ResultLayer | None = None  # a result of another size, alone
        self.stack = LayerStack(self)  # the photo and the results kept over it
        self._composite: ImagePyramid | None = None  # the flattened stack, drawn
        self.drag_folder: Path | None = None  # where dragged-out files are written
        # Whether written pictures carry content credentials (the panel: Settings).
        self.signing: Callable[[], bool] = lambda: False
        self._brush_size = 8.0  # in picture pixels
        self.softness = 0.5  # 0 hard edge .. 1 fully soft
        self._erasing = False
        self._tool = CanvasTool.brush
        self._mask_shown = True  # hidden while a new result shows, until painted again
        self._last_point: QPointF | None = None  # picture point of the stroke so far
        self._stroke_erasing = False
        self._rect_from: QPointF | None = None  # picture points of a rectangle drag
        self._rect_to: QPointF | None = None
        self._pan_from: QPointF | None = None
        self._drag_from: QPointF | None = None  # Ctrl + press on a result: a drag out
        self._space_held = False
        self._hover: QPointF | None = None

    # -- brush settings ------------------------------------------------------------------
    @property
    def brush_size(self) -> float:
        return self._brush_size

    @brush_size.setter
    def brush_size(self, size: float) -> None:
        size = float(max(1.0, min(float(MAX_BRUSH_SIZE), size)))
        if size != self._brush_size:
            self._brush_size = size
            self._update_cursor_outline()
            self.brush_size_changed.emit(size)

    @property
    def hardness(self) -> float:
        """1 paints a hard edge, 0 a radial fall-off (the complement of ``softness``)."""
        return 1.0 - self.softness

    @hardness.setter
    def hardness(self, value: float) -> None:
        self.softness = 1.0 - max(0.0, min(1.0, value))

    @property
    def erasing(self) -> bool:
        return self._erasing

    @erasing.setter
    def erasing(self, on: bool) -> None:
        if bool(on) != self._erasing:
            self._erasing = bool(on)
            self.erasing_changed.emit(self._erasing)

    @property
    def tool(self) -> CanvasTool:
        return self._tool

    @tool.setter
    def tool(self, tool: CanvasTool) -> None:
        if tool is not self._tool:
            self._tool = tool
            self._rect_from = self._rect_to = None
            self.update()
            self.tool_changed.emit(tool)

    # -- image -----------------------------------------------------------------------
    @property
    def init_image(self) -> Image.Image | None:
        """The picture the engine gets: the whole picture, at its own size."""
        return self.source

    def load_file(self, path: str | Path) -> bool:
        """Load a user's file; on bad input, say why and leave the canvas as it was."""
        try:
            loaded = load_image(path)
        except BadInput as exc:
            self.message.emit(str(exc))
            return False
        self._take(loaded.image, loaded.path.name, loaded.path)
        for notice in loaded.notices:
            self.message.emit(notice)
        self._announce_recipe(loaded)
        return True

    def set_image(self, image: Image.Image, name: str = "result") -> None:
        """Put a picture on the canvas to edit (a fresh mask, no result layer)."""
        self._take(image.convert("RGBA"), name)

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
                self._take(qimage_to_pil(image), self.tr("pasted image"))
                return True
        self.message.emit(self.tr("The clipboard holds no image."))
        return False

    def clear_image(self) -> None:
        self.source = self._picture_levels = self._preview = None
        self.stack.set_base(None)
        self.source_name = ""
        self.photo.opened(None)
        self.mask_layer = MaskLayer(1, 1)
        self.update()
        self.image_changed.emit()
        self.mask_changed.emit()
        self.result_changed.emit()

    def _take(self, image: Image.Image, name: str, path: Path | None = None) -> None:
        """A new picture to edit, opened from ``path`` (None: pasted or made here)."""
        had_result = self._preview is not None
        tag(image)
        self.source = image
        self.source_name = name
        self.photo.opened(path)
        self._picture_levels = ImagePyramid(pil_to_qimage(image))
        self.mask_layer = MaskLayer(image.width, image.height)
        self._preview = None
        self.stack.set_base(image, name)
        self.fit()
        self.image_changed.emit()
        self.mask_changed.emit()
        if had_result:
            self.result_changed.emit()

    def _announce_recipe(self, loaded: LoadedImage) -> None:
        recipe: Recipe | None = loaded.recipe
        if recipe is not None:
            self.recipe_found.emit(recipe)

    # -- mask ------------------------------------------------------------------------
    @property
    def mask_image(self) -> QImage:
        return self.mask_layer.image

    def has_mask(self) -> bool:
        return self.source is not None and not self.mask_layer.is_empty()

    def mask_pil(self) -> Image.Image:
        return self.mask_layer.to_pil()

    def mask_view(self) -> MaskView:
        """The mask as it is now, without a copy of its pixels (what the state holds)."""
        return MaskView(self.mask_layer)

    def set_mask(self, image: Image.Image | MaskView) -> bool:
        """Replace the mask (e.g. loaded from a file), as one undo step; one of another
        size is scaled to the picture. False when there is no picture to mask."""
        from PIL import Image

        if self.source is None:
            return False
        if isinstance(image, MaskView):
            if image == self.mask_view():
                return True  # this mask as it is
            image = image.to_pil()
        grey = image.convert("L")
        if grey.size != self.source.size:
            grey = grey.resize(self.source.size, Image.Resampling.BILINEAR)
        self._changed(self.mask_layer.replace(np.asarray(grey)))
        return True

    def load_mask_file(self, path: str | Path) -> bool:
        """Use a black-and-white picture file as the mask; another size is scaled."""
        try:
            loaded = load_image(path)
        except BadInput as exc:
            self.message.emit(str(exc))
            return False
        return self._take_mask(loaded)

    def _take_mask(self, loaded: LoadedImage) -> bool:
        if self.source is None:
            return False
        (mw, mh), (pw, ph) = loaded.image.size, self.source.size
        self.set_mask(loaded.image)
        if (mw, mh) != (pw, ph):
            text = self.tr("The mask %1 is %2×%3 and the picture %4×%5: it was scaled to fit.")
            self.message.emit(fill_in(text, loaded.path.name, mw, mh, pw, ph))
        else:
            text = self.tr("%1 is the mask now (hold Shift while dropping to edit it instead).")
            self.message.emit(fill_in(text, loaded.path.name))
        if self.mask_layer.is_empty():
            text = self.tr(
                "The mask %1 is empty: nothing is marked, so the whole picture is redrawn "
                "(plain image to image)."
            )
            self.message.emit(fill_in(text, loaded.path.name))
        return True

    def clear_mask(self) -> None:
        self._changed(self.mask_layer.clear())

    def invert_mask(self) -> None:
        if self.source is not None:
            self._changed(self.mask_layer.invert())

    def undo(self) -> None:
        self._changed(self.mask_layer.undo())

    def redo(self) -> None:
        self._changed(self.mask_layer.redo())

    def _changed(self, rect: QRect) -> None:
        """After a mask edit of ``rect`` (picture pixels; empty: nothing changed)."""
        if rect.isEmpty():
            return
        self._mask_shown = True
        self.update(self._view_rect(rect))
        self.mask_changed.emit()

    @property
    def can_undo(self) -> bool:
        return bool(self.mask_layer.undo_steps)

    @property
    def can_redo(self) -> bool:
        return bool(self.mask_layer.redo_steps)

    # -- geometry --------------------------------------------------------------------
    def picture_rect(self) -> QRectF:
        """Where the whole picture is drawn in the widget."""
        width, height = self.source.size if self.source is not None else (1, 1)
        return self.view.rect_to_view(QRectF(0, 0, width, height))

    def _view_rect(self, rect: QRect) -> QRect:
        return self.view.rect_to_view(QRectF(rect)).toAlignedRect().adjusted(-2, -2, 2, 2)

    def _update_cursor_outline(self) -> None:
        if self._hover is not None:
            radius = self.brush_size / 2 * self.view.zoom + 3
            self.update(
                QRectF(
                    self._hover - QPointF(radius, radius), QSizeF(2 * radius, 2 * radius)
                ).toAlignedRect()
            )

    def to_picture(self, pos: QPointF) -> QPointF:
        return self.view.to_picture(pos)

    def fit(self) -> None:
        """Zoom to show the whole picture, centred."""
        if self.source is not None:
            self.view.fit(QSizeF(*self.source.size), QSizeF(self.size()))
        self.update()
        self.view_changed.emit()

    def actual_size(self) -> None:
        """One picture pixel per screen pixel."""
        if self.source is not None:
            self.view.actual_size(QSizeF(*self.source.size), QSizeF(self.size()))
        self.update()
        self.view_changed.emit()

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom about ``anchor`` (default: the mouse if over the canvas, else the centre)."""
        if anchor is None:
            anchor = self._hover if self._hover is not None else QRectF(self.rect()).center()
        self.view.zoom_about(anchor, factor)
        self.update()
        self.view_changed.emit()

    def zoom_in(self) -> None:
        self.zoom_by(WHEEL_STEP)

    def zoom_out(self) -> None:
        self.zoom_by(1 / WHEEL_STEP)

    def resizeEvent(self, event: QResizeEvent) -> None:
        if self.view.fitted:
            self.fit()
        super().resizeEvent(event)
