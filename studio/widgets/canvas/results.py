"""Results over the canvas's picture: the layer stack, a preview of another size, what
is drawn, and the flattened picture kept, saved or dragged out.

A result of the picture's size joins the layer stack; one of another size (a scale, an
outpainting) shows alone over the picture as a preview, with an opacity and a compare
toggle, until kept or discarded. The flattened picture is saved (the layers list's
Save…) and dragged out as a PNG with its recipe, written off the GUI thread and signed
as an edit of the photo when signing is on (:mod:`studio.widgets.canvas.export`); "keep"
makes it the picture to edit next.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QMimeData, QUrl
from PySide6.QtWidgets import QWidget

from engines.errors import BadInput
from engines.imagefile import Recipe, readable_stem
from studio.imageconv import pil_to_qimage
from studio.widgets.canvas.base import CanvasBase, fill_in, tag
from studio.widgets.canvas.export import Export, off_the_gui_thread
from studio.widgets.canvas.layer_stack import StackLayer
from studio.widgets.canvas.mask_layer import MaskLayer
from studio.widgets.canvas.pyramid import ImagePyramid
from studio.widgets.canvas.result_layer import ResultLayer

if TYPE_CHECKING:
    from PIL import Image


def _remove_folders(folders: list[Path], *_: object) -> None:
    """Delete the canvas's own drag-out folders once it is gone (holds no canvas)."""
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


class CanvasResults(CanvasBase):
    """The canvas's state with the results over its picture."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stack.changed.connect(self._on_stack_changed)
        self._own_folders: list[Path] = []  # made here when no drag_folder is given
        self.destroyed.connect(functools.partial(_remove_folders, self._own_folders))

    # ``result`` is the preview, or else the stack's selected layer.
    @property
    def result(self) -> ResultLayer | StackLayer | None:
        return self._preview if self._preview is not None else self.stack.current

    def take_result(self, image: Image.Image, name: str, recipe: Recipe | None = None) -> None:
        """Show a result made from this picture as a layer over it (the mask is hidden so
        the new pixels show; it comes back when painted on). A result of the picture's
        size goes on top of the layer stack (one already there is selected again); with
        no picture on the canvas the result simply becomes the picture."""
        if self.source is None:
            self.set_image(image, name)
            return
        self._mask_shown = False
        outpainted = bool(recipe is not None and recipe.outpaint and any(recipe.outpaint))
        if self.stack.fits(image) and not outpainted:
            self._preview = None
            there = self.stack.index_of(name)
            if there is not None:
                self.stack.select(there)
            else:
                mask = self.mask_layer.to_pil() if self.has_mask() else None
                self.stack.add(image, name, recipe, mask)
            self.update()
            self.result_changed.emit()
            return
        opacity = self._preview.opacity if self._preview is not None else 1.0
        self._preview = ResultLayer(image, name, recipe, opacity=opacity)
        self.update()
        self.result_changed.emit()

    @property
    def result_name(self) -> str:
        result = self.result
        return result.name if result is not None else ""

    def set_result_opacity(self, opacity: float) -> None:
        preview, chosen = self._preview, self.stack.selected
        if preview is not None and opacity != preview.opacity:
            preview.opacity = max(0.0, min(1.0, opacity))
            self.update()
            self.result_changed.emit()
        elif preview is None and chosen is not None:
            self.stack.set_opacity(chosen, round(opacity * 100))

    def set_show_original(self, on: bool) -> None:
        """Hide the result layer to compare with the picture it was made from."""
        preview, chosen = self._preview, self.stack.selected
        if preview is not None and preview.visible == on:
            preview.visible = not on
            self.update()
            self.result_changed.emit()
        elif preview is None and chosen is not None:
            self.stack.set_visible(chosen, not on)

    def _on_stack_changed(self) -> None:
        self._composite = None  # made again when next drawn
        self.update()
        self.result_changed.emit()

    def shown_levels(self) -> ImagePyramid | None:
        """What is drawn as the picture: flatten() of the photo and its visible layers."""
        if not any(layer.visible and layer.percent for layer in self.stack.layers):
            return self._picture_levels
        if self._composite is None:
            self._composite = ImagePyramid(pil_to_qimage(self.stack.flattened()))
        return self._composite

    def flattened(self) -> Image.Image | None:
        """The preview blended over the picture, or else the flattened layer stack (None
        without a result)."""
        if self.source is None:
            return None
        if self._preview is not None:
            return self._preview.flattened(self.source)
        return self.stack.flattened() if self.stack.layers else None

    def flattened_recipe(self) -> Recipe | None:
        if self._preview is not None:
            return self._preview.flattened_recipe()
        return self.stack.composite_recipe() if self.stack.layers else None

    def keep_result(self) -> None:
        """The flattened result becomes the picture to edit further. The mask is cleared so
        the new pixels show; one Undo brings it back (to redo the same area)."""
        flat, result = self.flattened(), self.result
        if flat is None or result is None:
            return
        name = result.name
        same_size = self.source is not None and flat.size == self.source.size
        tag(flat)
        self.source, self.source_name = flat, name
        self.photo.opened(None)  # an edit of it names this picture, not the old file
        self._picture_levels = ImagePyramid(pil_to_qimage(flat))
        self._preview = None
        self.stack.set_base(flat, name)
        self._mask_shown = True
        if same_size:  # the old history goes; clearing the mask is the one step kept
            self.mask_layer.undo_steps.clear()
            self.mask_layer.redo_steps.clear()
            self.mask_layer.clear()
        else:  # a result at another scale: the mask cannot carry over
            self.mask_layer = MaskLayer(flat.width, flat.height)
            self.fit()
        self.update()
        self.image_changed.emit()
        self.mask_changed.emit()
        self.result_changed.emit()

    def discard_result(self) -> None:
        """Drop the preview, or else delete the selected layer (Undo in the layers list)."""
        if self._preview is not None:
            self._preview = None
            self._mask_shown = True
            self.update()
            self.result_changed.emit()
        elif self.stack.selected is not None:
            self._mask_shown = True
            self.stack.remove(self.stack.selected)

    # -- files -------------------------------------------------------------------------
    def _folder(self) -> Path:
        """Where dragged-out files (and a copy of a photo no file holds) are written."""
        if self.drag_folder is None and not self._own_folders:
            self._own_folders.append(Path(tempfile.mkdtemp(prefix="sozo-canvas-")))
        return self.drag_folder or self._own_folders[0]

    def export(self) -> Export | None:
        """The flattened picture to write, as it is now (None without a result)."""
        source, preview, result = self.source, self._preview, self.result
        if source is None or result is None:
            return None
        flatten: Callable[[], Image.Image]
        if preview is not None:
            recipe = preview.flattened_recipe()
            flatten = functools.partial(preview.flattened, source)
        else:
            recipe = self.stack.composite_recipe()
            flatten = self.stack.flattener()
        model = ((recipe.model if recipe is not None else None) or "") if self.signing() else None
        return Export(
            flatten,
            Path(result.name).stem or readable_stem(recipe.prompt if recipe else ""),
            recipe.to_parameters() if recipe is not None else None,
            model,
            functools.partial(self.photo.file, source, self.source_name, self._folder()),
        )

    def save_flattened(self, path: Path, *, overwrite: bool = False) -> Path:
        """Write the flattened picture with its recipe as a PNG at ``path`` (replacing a
        file only with ``overwrite``: a path the user chose), signed as an edit of the
        photo when signing is on. Raises OSError or BadInput when it cannot be written."""
        export = self.export()
        if export is None:
            raise BadInput(self.tr("There is no result to save yet."))
        return off_the_gui_thread(lambda: export.write(path, overwrite=overwrite))

    def write_flattened(self) -> Path | None:
        """Write the flattened result with its recipe as a new PNG to drag out, whole
        before this returns (None: no result, or it could not be written, said in a
        message)."""
        export = self.export()
        if export is None:
            return None
        folder = self._folder()
        try:
            return off_the_gui_thread(lambda: export.write_new(folder))
        except (OSError, BadInput) as exc:
            self.message.emit(fill_in(self.tr("Could not write the picture to drag out: %1"), exc))
            return None

    def result_mime_data(self) -> QMimeData | None:
        """What a drag out of the canvas carries: the flattened PNG file's URL, and the
        same PNG's bytes as image/png (for programs that take a picture, not a file)."""
        path = self.write_flattened()
        if path is None:
            return None
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(path))])
        mime.setData("image/png", QByteArray(path.read_bytes()))
        return mime
