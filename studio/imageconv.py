"""Conversions between PIL images and Qt images (copies: neither keeps the other's memory)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QImage

if TYPE_CHECKING:
    from PIL import Image


def pil_to_qimage(image: Image.Image) -> QImage:
    if image.mode == "L":
        data = image.tobytes()
        q = QImage(data, image.width, image.height, image.width, QImage.Format.Format_Grayscale8)
        return q.copy()
    rgba = image.convert("RGBA")
    data = rgba.tobytes("raw", "RGBA")
    q = QImage(data, rgba.width, rgba.height, rgba.width * 4, QImage.Format.Format_RGBA8888)
    return q.copy()


def qimage_to_pil(qimage: QImage) -> Image.Image:
    from PIL import Image

    if qimage.format() == QImage.Format.Format_Grayscale8:
        width, height = qimage.width(), qimage.height()
        ptr = qimage.constBits()
        stride = qimage.bytesPerLine()
        raw = bytes(ptr)[: stride * height]
        return Image.frombuffer("L", (width, height), raw, "raw", "L", stride, 1).copy()
    q = qimage.convertToFormat(QImage.Format.Format_RGBA8888)
    raw = bytes(q.constBits())[: q.bytesPerLine() * q.height()]
    return Image.frombuffer(
        "RGBA", (q.width(), q.height()), raw, "raw", "RGBA", q.bytesPerLine(), 1
    ).copy()
