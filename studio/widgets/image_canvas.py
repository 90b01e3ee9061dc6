"""The image canvas, kept importable from its old place; it lives in :mod:`studio.widgets.canvas`."""

from studio.widgets.canvas import CanvasTool, ImageCanvas
from studio.widgets.canvas.mask_layer import UNDO_LIMIT

__all__ = ["UNDO_LIMIT", "CanvasTool", "ImageCanvas"]
