"""A generated result shown as a layer over the picture it was made from.

The layer is drawn over the whole picture (a result made at another scale is stretched
over it), at an opacity the user sets; hiding it compares with the original. Flattening
blends it over the picture at that opacity, at the result's own size: that is what a drag
out of the canvas writes (with the result's recipe, studio.widgets.canvas.results) and what
"keep" makes the new picture.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from engines.imagefile import Recipe
from studio.imageconv import pil_to_qimage
from studio.widgets.canvas.pyramid import ImagePyramid

if TYPE_CHECKING:
    from PIL import Image


@dataclass
class ResultLayer:
    """The result's pixels, its file name and recipe, and how it is shown."""

    image: Image.Image  # RGBA, at the size the engine made it
    name: str
    recipe: Recipe | None = None
    opacity: float = 1.0  # 0 shows only the picture, 1 only the result
    visible: bool = True  # False: comparing with the original
    pyramid: ImagePyramid = field(init=False)  # what is drawn, with its halvings

    def __post_init__(self) -> None:
        self.image = self.image.convert("RGBA")
        self.pyramid = ImagePyramid(pil_to_qimage(self.image))

    def outpainted(self) -> tuple[int, int, int, int]:
        """The pixels the result added left, top, right, bottom of its picture (0s when
        it was not outpainted), in the picture's pixels."""
        sides = self.recipe.outpaint if self.recipe is not None else None
        return sides if sides else (0, 0, 0, 0)

    def placement(self, picture: tuple[int, int]) -> tuple[int, int, int, int]:
        """Where the result lies over a picture of size ``picture``: (x, y, width, height)
        in the picture's pixels. An outpainted result reaches past the picture's edges;
        one made at another scale is stretched over it."""
        left, top, right, bottom = self.outpainted()
        return -left, -top, picture[0] + left + right, picture[1] + top + bottom

    def flattened(self, picture: Image.Image) -> Image.Image:
        """The result blended over ``picture`` at the layer's opacity, at the result's size
        (an outpainted result's new strips are the result's own pixels)."""
        from PIL import Image

        if self.opacity >= 1.0:
            return self.image.copy()
        base = picture.convert("RGBA")
        x, y, width, height = self.placement(picture.size)
        if (x, y) != (0, 0) or (width, height) != picture.size:
            grown = self.image.resize((width, height), Image.Resampling.LANCZOS)
            grown.paste(base, (-x, -y))
            base = grown
        if base.size != self.image.size:
            base = base.resize(self.image.size, Image.Resampling.LANCZOS)
        return Image.blend(base, self.image, max(0.0, self.opacity))

    def flattened_recipe(self) -> Recipe | None:
        """The result's recipe; a blend says so, since the recipe alone remakes the result."""
        if self.recipe is None or self.opacity >= 1.0:
            return self.recipe
        extra = {**self.recipe.extra, "Layer opacity": f"{round(self.opacity * 100)}%"}
        return replace(self.recipe, extra=extra)
