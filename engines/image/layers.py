"""Flattening kept results over a photo (#15, layers of results): numpy only, no Qt.

A layer is a result of the photo's size with an opacity (0 to 1) and a visibility;
the flattened picture is the photo with each visible layer blended over it in order,
``out = base + (layer - base) * opacity`` rounded half up, so opacity 0 gives the
photo's bytes, opacity 1 the layer's and 0.5 the rounded mean. The photo's array is
never written to. Worked in bands of rows, so a 6000x4000 photo needs one float band
(not a float copy of the whole picture) besides the result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from engines.errors import BadInput
from engines.messages import message

if TYPE_CHECKING:
    import numpy as np

BAND_ROWS = 256  # rows blended at a time: bounds the float working memory


@dataclass
class Layer:
    """A kept result: its pixels (H x W x 3, uint8), opacity 0..1, and whether shown."""

    pixels: np.ndarray
    opacity: float = 1.0
    visible: bool = True


def flatten(photo: np.ndarray, layers: list[Layer]) -> np.ndarray:
    """The photo (H x W x 3, uint8) with the visible layers over it, as a new array."""
    import numpy as np

    if photo.dtype != np.uint8 or photo.ndim != 3 or photo.shape[2] != 3:
        raise ValueError("flatten() takes an H x W x 3 uint8 photo")
    shown = [layer for layer in layers if layer.visible and layer.opacity > 0]
    for layer in shown:
        if layer.pixels.shape != photo.shape:
            height, width = layer.pixels.shape[:2]
            raise BadInput(
                message(
                    "image.layer_size",
                    layer=f"{width}x{height}",
                    photo=f"{photo.shape[1]}x{photo.shape[0]}",
                )
            )
        if not 0.0 <= layer.opacity <= 1.0:
            raise ValueError(f"opacity {layer.opacity} is outside 0 to 1")
    out = photo.copy()
    if not shown:
        return out
    for top in range(0, photo.shape[0], BAND_ROWS):
        rows = slice(top, top + BAND_ROWS)
        band = out[rows].astype(np.float32)
        for layer in shown:
            if layer.opacity >= 1.0:
                band[...] = layer.pixels[rows]
            else:
                over = layer.pixels[rows].astype(np.float32)
                band += (over - band) * np.float32(layer.opacity)
                np.floor(band + np.float32(0.5), out=band)  # each layer lands on bytes
        out[rows] = np.clip(band, 0, 255).astype(np.uint8)
    return out


__all__ = ["BAND_ROWS", "Layer", "flatten"]
