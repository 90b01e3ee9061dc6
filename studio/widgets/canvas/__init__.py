"""The Edit tab's canvas: the picture at its own size, the mask, the result layer, the view."""

from studio.widgets.canvas.widget import CanvasTool, ImageCanvas

__all__ = ["CanvasTool", "ImageCanvas"]
