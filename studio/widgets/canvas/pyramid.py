"""A picture and its halvings, so a zoomed-out view samples a small copy.

Drawing a 6000x4000 photo at 1/6 scale samples four source pixels per screen pixel from
96 MB scattered in memory (slow, and aliased); drawing the 1500x1000 quarter copy is
several times quicker and smoother. Each level is made once, with Qt's smooth (averaging)
scaling, when the picture arrives.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

SMALLEST_SIDE = 512  # no level with a longer side shorter than this


class ImagePyramid:
    """Levels of (scale, image): 1.0 the picture itself, then halves."""

    def __init__(self, image: QImage) -> None:
        self.levels: list[tuple[float, QImage]] = [(1.0, image)]
        scale, level = 1.0, image
        while max(level.width(), level.height()) >= 2 * SMALLEST_SIDE:
            scale /= 2
            level = level.scaled(
                max(1, level.width() // 2),
                max(1, level.height() // 2),
                Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            self.levels.append((scale, level))

    @property
    def image(self) -> QImage:
        return self.levels[0][1]

    def level_for(self, zoom: float) -> tuple[float, QImage]:
        """The smallest level still at least as detailed as the screen at ``zoom``."""
        chosen = self.levels[0]
        for scale, level in self.levels:
            if scale < zoom:
                break
            chosen = (scale, level)
        return chosen
