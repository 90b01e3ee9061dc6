"""The Edit tab's layer stack (#15, layers of results), with no widgets in it.

The opened photo is the base layer; each result made from it at its size comes in as a
new layer above (with the mask it was made with). A layer can be shown or hidden, given
an opacity from 0 to 100 %, moved up or down, renamed or deleted, and each of those is
one step of the stack's own undo (the canvas's Ctrl+Z undoes mask strokes; the layers
list has its own Undo and Redo). Layers are frozen records shared between steps, so an
undo step costs a tuple, not a copy of pixels. The picture shown, saved and dragged out
is :func:`engines.image.layers.flatten` of the photo and the visible layers, bottom to
top; its recipe names every layer (:meth:`LayerStack.composite_recipe`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from engines.image.layers import Layer, flatten
from engines.imagefile import Recipe

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

UNDO_LIMIT = 100  # layer steps kept (each a tuple of shared records)
_KEYS = itertools.count(1)


@dataclass(frozen=True, eq=False)  # pixels: compared by identity, never by value
class StackLayer:
    """A result kept over the photo: its pixels (H x W x 3 uint8, never written), name,
    recipe, the mask it was made with (PIL "L", or None), opacity and visibility."""

    pixels: np.ndarray
    name: str
    recipe: Recipe | None = None
    mask: Any = None
    percent: int = 100  # opacity, 0 to 100
    visible: bool = True
    key: int = field(default_factory=lambda: next(_KEYS))  # the same layer across steps

    @property
    def opacity(self) -> float:
        return self.percent / 100

    @property
    def image(self) -> Image.Image:
        from PIL import Image

        return Image.fromarray(self.pixels, "RGB")

    def placement(self, picture: tuple[int, int]) -> tuple[int, int, int, int]:
        """Where it lies over the photo: all of it (a stacked layer has the photo's size)."""
        return 0, 0, picture[0], picture[1]

    def describe(self) -> str:
        """One line for the composite's recipe: name, opacity, shown, and its recipe."""
        parts = [self.name, f"{self.percent}%"]
        if not self.visible:
            parts.append("hidden")
        if self.recipe is not None:
            recipe = self.recipe
            parts.append(recipe.prompt or "(no prompt)")
            if recipe.seed is not None:
                parts.append(f"seed {recipe.seed}")
            if recipe.model:
                parts.append(f"model {recipe.model}")
            if recipe.strength is not None:
                parts.append(f"strength {recipe.strength:g}")
        if self.mask is not None:
            parts.append("masked")
        return "; ".join(parts)


LIVE_PIXELS = 4_000_000  # flattening a 6000x4000 photo's layers takes about 0.6 s


def live_opacity(stack: LayerStack) -> bool:
    """Whether an opacity slider's drag re-flattens as it moves: on photos up to 4 MP;
    a larger one takes the value when the slider is let go."""
    size = stack.size
    return size is None or size[0] * size[1] <= LIVE_PIXELS


def _opaque(image: Image.Image) -> bool:
    """Whether every pixel is fully opaque (no alpha band, or its least value is 255)."""
    if "A" not in image.getbands():
        return True
    low, _high = image.getchannel("A").getextrema()
    return bool(low == 255)


_State = tuple[tuple[StackLayer, ...], int | None]  # (layers, selected)


class LayerStack(QObject):
    """The photo and the result layers over it, bottom to top; observable."""

    changed = Signal()  # layers, their settings, order, the selection or the photo

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._photo: Image.Image | None = None
        self._photo_pixels: np.ndarray | None = None
        self._photo_opaque: bool | None = None
        self.base_name = ""
        self.layers: tuple[StackLayer, ...] = ()
        self.selected: int | None = None  # index into layers
        self._undo: list[_State] = []
        self._redo: list[_State] = []
        self._last_op: tuple[str, int] | None = None  # to merge an opacity drag

    # -- the photo -----------------------------------------------------------------------
    def set_base(self, photo: Image.Image | None, name: str = "") -> None:
        """A new photo: no layers, no layer history."""
        self._photo, self._photo_pixels, self.base_name = photo, None, name
        self._photo_opaque = None  # found when first asked
        self.layers, self.selected = (), None
        self._undo.clear()
        self._redo.clear()
        self._last_op = None
        self.changed.emit()

    @property
    def size(self) -> tuple[int, int] | None:
        return self._photo.size if self._photo is not None else None

    def base_pixels(self) -> np.ndarray:
        """The photo as H x W x 3 uint8 (made once per photo, when first needed)."""
        import numpy as np

        assert self._photo is not None, "no photo"
        if self._photo_pixels is None:
            self._photo_pixels = np.asarray(self._photo.convert("RGB"))
        return self._photo_pixels

    def fits(self, image: Image.Image) -> bool:
        """Whether a result can be stacked: it has the photo's size, and both are opaque.
        flatten() blends opaque pixels; a transparent picture (the emoji models' own)
        is shown alone over the picture instead, as before layers."""
        if self._photo is None or image.size != self._photo.size or not _opaque(image):
            return False
        if self._photo_opaque is None:
            self._photo_opaque = _opaque(self._photo)
        return self._photo_opaque

    # -- edits (each one undo step) ------------------------------------------------------
    def _apply(self, layers: tuple[StackLayer, ...], selected: int | None, op: str = "") -> None:
        merge = bool(op) and self._last_op == (op, selected) and op == "opacity"
        if not merge:
            self._undo.append((self.layers, self.selected))
            del self._undo[:-UNDO_LIMIT]
        self._redo.clear()
        self._last_op = (op, selected) if op and selected is not None else None
        self.layers, self.selected = layers, selected
        self.changed.emit()

    def add(
        self, image: Image.Image, name: str, recipe: Recipe | None = None, mask: Any = None
    ) -> int:
        """Put a result of the photo's size on top (selected); its index."""
        import numpy as np

        if not self.fits(image):
            raise ValueError("a stacked layer is opaque and has the photo's size")
        pixels = np.array(image.convert("RGB"))  # our own copy
        pixels.setflags(write=False)
        layer = StackLayer(pixels, name, recipe, mask)
        self._apply((*self.layers, layer), len(self.layers))
        return len(self.layers) - 1

    def _edit(self, index: int, op: str, **changes: Any) -> None:
        layer = self.layers[index]
        if all(getattr(layer, name) == value for name, value in changes.items()):
            return
        new = replace(layer, **changes)
        layers = (*self.layers[:index], new, *self.layers[index + 1 :])
        self._apply(layers, index, op)

    def set_visible(self, index: int, on: bool) -> None:
        self._edit(index, "visible", visible=bool(on))

    def set_opacity(self, index: int, percent: float) -> None:
        """Opacity in percent (0 to 100); a drag of the slider is one undo step."""
        self._edit(index, "opacity", percent=max(0, min(100, round(percent))))

    def rename(self, index: int, name: str) -> None:
        name = name.strip()
        if name:
            self._edit(index, "rename", name=name)

    def move(self, index: int, delta: int) -> bool:
        """Move a layer up (+1) or down (-1); False at the top or the bottom."""
        to = index + delta
        if not (0 <= index < len(self.layers) and 0 <= to < len(self.layers)):
            return False
        layers = list(self.layers)
        layers[index], layers[to] = layers[to], layers[index]
        self._apply(tuple(layers), to)
        return True

    def remove(self, index: int) -> None:
        layers = self.layers[:index] + self.layers[index + 1 :]
        selected = min(index, len(layers) - 1) if layers else None
        self._apply(layers, selected)

    def select(self, index: int | None) -> None:
        """Not an undo step: which layer the opacity and the buttons act on."""
        if index is not None and not 0 <= index < len(self.layers):
            index = None
        if index != self.selected:
            self.selected = index
            self._last_op = None
            self.changed.emit()

    def index_of(self, name: str) -> int | None:
        return next((i for i, layer in enumerate(self.layers) if layer.name == name), None)

    # -- undo ----------------------------------------------------------------------------
    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> None:
        self._swap(self._undo, self._redo)

    def redo(self) -> None:
        self._swap(self._redo, self._undo)

    def _swap(self, source: list[_State], target: list[_State]) -> None:
        if not source:
            return
        target.append((self.layers, self.selected))
        self.layers, self.selected = source.pop()
        self._last_op = None
        self.changed.emit()

    # -- the picture -------------------------------------------------------------------
    @property
    def current(self) -> StackLayer | None:
        return self.layers[self.selected] if self.selected is not None else None

    def flatten(self) -> np.ndarray:
        """The photo with the visible layers over it (engines.image.layers.flatten)."""
        return flatten(
            self.base_pixels(),
            [Layer(layer.pixels, layer.opacity, layer.visible) for layer in self.layers],
        )

    def flattened(self) -> Image.Image:
        """:meth:`flatten` as an RGBA picture (the canvas's pictures are RGBA)."""
        return self.flattener()()

    def flattener(self) -> Callable[[], Image.Image]:
        """:meth:`flattened` of the stack as it is now, to be made later on any thread
        (the photo's and the layers' pixels are never written to; later edits of the
        stack make new records and leave these as they are)."""
        base = self.base_pixels()
        layers = [Layer(layer.pixels, layer.opacity, layer.visible) for layer in self.layers]

        def flattened() -> Image.Image:
            from PIL import Image

            return Image.fromarray(flatten(base, layers), "RGB").convert("RGBA")

        return flattened

    def composite_recipe(self) -> Recipe:
        """The flattened picture's recipe: the top visible layer's (what remakes most of
        it), saying it is a composite of N layers and listing each one, the photo first."""
        shown = [layer for layer in self.layers if layer.visible and layer.percent > 0]
        top = shown[-1] if shown else None
        base = top.recipe if top is not None and top.recipe is not None else None
        extra: dict[str, str] = dict(base.extra) if base is not None else {}
        if top is not None and top.percent < 100:
            extra["Layer opacity"] = f"{top.percent}%"
        extra["Composite"] = f"{len(self.layers) + 1} layers"
        extra["Layer 1"] = f"{self.base_name or 'photo'}; source photo"
        for n, layer in enumerate(self.layers, start=2):
            extra[f"Layer {n}"] = layer.describe()
        if base is None:
            return Recipe(prompt="", extra=extra)
        return replace(base, extra=extra)


__all__ = ["LIVE_PIXELS", "UNDO_LIMIT", "LayerStack", "StackLayer", "live_opacity"]
