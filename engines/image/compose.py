"""Photo-true editing: the geometry that puts a model's small picture back into a photo.

A person drops a 720x477 photo, paints over part of it and expects the rest back
untouched, at its own size. The image models work at one small resolution (64 pixels
for the emoji models, 512 or so for Stable Diffusion), so every edit goes through the
same four steps, as "inpaint only masked" does in A1111, Krita AI Diffusion and
InvokeAI's canvas:

1. read the photo upright in RGB(A), saying what was converted, and the mask at the
   photo's size (:mod:`engines.image.photo_input`);
2. crop the mask's bounding box grown by ``padding`` pixels of context
   (:func:`edit_box`; the whole picture for img2img);
3. fit the crop into the model's working frame keeping its aspect by *padding* the
   short side with its own edge pixels, never by squashing (:func:`fit_frame`,
   :meth:`PhotoEdit.model_input`);
4. scale the model's picture back to the crop's size and composite it over the photo
   through the mask blurred by ``feather`` pixels (:meth:`PhotoEdit.finish`). Pixels
   where the feathered mask is 0 are the photo's own bytes.

The full-size photo stays one uint8 PIL image: only the crop goes to numpy and the
model, and the patched crop is pasted back in place, so a 6000x4000 photo costs about
its own 72 MB (tests/bench/bench_inpaint_memory.py measures it).

Outpainting (``outpaint``: pixels added left, top, right, bottom) grows the canvas with
the photo's edge pixels and marks the new strips as masked, so it is inpainting of the
new strips. Qt-free: numpy and PIL only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from engines.errors import BadInput
from engines.image.photo_input import MASK_THRESHOLD, open_mask, open_photo, upright_size
from engines.messages import message

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

    from engines.image.types import ImageRequest

# Ranges the request is checked against (the CLI and the panel offer the same).
MAX_PADDING = 1024
MAX_FEATHER = 128.0
MIN_SCALE, MAX_SCALE = 0.1, 4.0
MAX_OUTPAINT = 2048
MAX_OUTPUT_PIXELS = 40_000_000  # the same ceiling as the files we agree to open

Box = tuple[int, int, int, int]  # left, top, right, bottom (right/bottom exclusive)


# --- geometry ---------------------------------------------------------------------------


def feather_reach(feather: float) -> int:
    """How far (pixels) PIL's Gaussian blur of ``feather`` spreads a mask edge outward.
    PIL runs three box blurs whose radius is about the standard deviation, so the
    support is a little over three radii."""
    return math.ceil(3 * feather) + 2 if feather > 0 else 0


def edit_box(mask: Image.Image, padding: int, feather: float) -> Box:
    """The mask's bounding box grown by the padding (and at least by the feather's
    reach, so the soft edge is never cut by the crop), clamped to the picture."""
    bbox = mask.getbbox()  # (l, t, r, b) of the non-zero pixels
    if bbox is None:
        raise BadInput(message("image.mask_nothing"))
    grow = max(padding, feather_reach(feather))
    left, top, right, bottom = bbox
    return (
        max(0, left - grow),
        max(0, top - grow),
        min(mask.width, right + grow),
        min(mask.height, bottom + grow),
    )


@dataclass(frozen=True)
class Frame:
    """Where a crop sits inside the model's working picture: the model works on
    ``width`` x ``height``; the crop, scaled (aspect kept) to ``inner``, sits at
    ``offset``; the rest is padding."""

    width: int
    height: int
    inner: tuple[int, int]  # (w, h) of the scaled crop
    offset: tuple[int, int]  # (x, y) of its top-left corner


def fit_frame(crop: tuple[int, int], side: int, multiple: int = 1, square: bool = True) -> Frame:
    """Fit a (w, h) crop into the model's frame with its long side ``side`` pixels.

    ``square``: the frame is ``side`` x ``side`` (models of one size, the emoji ones);
    else it is the crop's aspect rounded up to ``multiple`` (Stable Diffusion's 8).
    The crop is scaled, aspect kept, and centred; what is left over is padding."""
    w, h = crop
    scale = side / max(w, h)
    inner = (max(1, round(w * scale)), max(1, round(h * scale)))
    if square:
        width = height = side
    else:
        width = multiple * math.ceil(inner[0] / multiple)
        height = multiple * math.ceil(inner[1] / multiple)
    return Frame(width, height, inner, ((width - inner[0]) // 2, (height - inner[1]) // 2))


def pad_to_frame(crop: np.ndarray, frame: Frame) -> np.ndarray:
    """(h, w, C) or (h, w) uint8 at the frame's inner size -> the frame's size, the short
    side padded with the crop's own edge pixels (so the model sees no hard border)."""
    import numpy as np

    x, y = frame.offset
    right = frame.width - frame.inner[0] - x
    bottom = frame.height - frame.inner[1] - y
    spec = [(y, bottom), (x, right)] + [(0, 0)] * (crop.ndim - 2)
    return np.pad(crop, spec, mode="edge")


def feathered(mask: Image.Image, feather: float) -> Image.Image:
    """The binary "L" mask with its edge blurred by ``feather`` pixels (0: hard)."""
    from PIL import ImageFilter

    if feather <= 0:
        return mask
    return mask.filter(ImageFilter.GaussianBlur(feather))


def composite(original: np.ndarray, drawn: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """(h, w, C) uint8 photo and model picture, (h, w) uint8 weight -> the blend.

    Integer arithmetic rounded half up: where ``alpha`` is 0 the result is ``original``
    byte for byte, where it is 255 it is ``drawn``."""
    import numpy as np

    a = alpha.astype(np.int32)[..., None]  # (h, w, 1)
    blend = (original.astype(np.int32) * (255 - a) + drawn.astype(np.int32) * a + 127) // 255
    return blend.astype(np.uint8)


@dataclass(frozen=True)
class SeamMeasure:
    """Mean absolute step between neighbouring pixels across the mask's border, and the
    same measure between neighbours in the untouched photo: a ratio near 1 means the
    border shows no more than the photo's own texture."""

    border: float
    photo: float

    @property
    def ratio(self) -> float:
        return self.border / max(self.photo, 1e-6)


def seam_measure(image: np.ndarray, mask: np.ndarray, feather: float = 0.0) -> SeamMeasure:
    """(H, W, C) uint8 result, (H, W) mask (non-zero: redrawn) -> the seam measure.

    Border pairs: horizontal or vertical neighbours with one pixel in the mask and one
    out. Photo pairs: neighbours both further than the feather's reach from the mask."""
    import numpy as np
    from PIL import Image, ImageFilter

    inside = mask > MASK_THRESHOLD  # (H, W) bool
    x = image.astype(np.int16)
    reach = feather_reach(feather) + 1
    grown = Image.fromarray(inside.astype(np.uint8) * 255, "L").filter(
        ImageFilter.MaxFilter(2 * reach + 1)
    )
    far = np.asarray(grown) == 0  # (H, W): untouched photo
    border, photo = [], []
    for axis in (0, 1):
        step = np.abs(np.diff(x, axis=axis)).mean(axis=-1)  # (H-1, W) or (H, W-1)
        a = inside[1:] if axis == 0 else inside[:, 1:]
        b = inside[:-1] if axis == 0 else inside[:, :-1]
        fa = far[1:] if axis == 0 else far[:, 1:]
        fb = far[:-1] if axis == 0 else far[:, :-1]
        border.append(step[a != b])
        photo.append(step[fa & fb])
    across = np.concatenate(border)
    untouched = np.concatenate(photo)
    return SeamMeasure(
        float(across.mean()) if across.size else 0.0,
        float(untouched.mean()) if untouched.size else 0.0,
    )


# --- the edit of one request -------------------------------------------------------------


@dataclass
class PhotoEdit:
    """One img2img or inpainting request's picture work: the upright canvas (outpainted
    strips added), the box the model redraws with the mask inside it, and the result
    size.

    ``model_input`` gives what the model works on; ``finish`` puts its picture back."""

    photo: Image.Image  # "RGB" or "RGBA", the whole canvas
    mask: Image.Image | None  # "L", binary, the mask inside ``box``; None: img2img of it all
    box: Box
    feather: float
    output_size: tuple[int, int]  # (w, h): the canvas size times the request's scale
    notices: list[str] = field(default_factory=list)
    frame: Frame | None = None  # set by model_input

    @property
    def crop_size(self) -> tuple[int, int]:
        left, top, right, bottom = self.box
        return right - left, bottom - top

    def model_input(
        self, side: int, multiple: int = 1, square: bool = True
    ) -> tuple[Image.Image, Image.Image | None]:
        """The crop (aspect kept, padded) at the model's frame, and its mask there (the
        padding is never redrawn), or None for img2img."""
        import numpy as np
        from PIL import Image

        self.frame = frame = fit_frame(self.crop_size, side, multiple, square)
        crop = self.photo.crop(self.box).resize(frame.inner, Image.Resampling.LANCZOS)
        picture = Image.fromarray(pad_to_frame(np.asarray(crop), frame), crop.mode)
        if self.mask is None:
            return picture, None
        small = self.mask.resize(frame.inner, Image.Resampling.BILINEAR)
        x, y = frame.offset
        mask = Image.new("L", (frame.width, frame.height), 0)
        mask.paste(small.point(lambda v: 255 if v > MASK_THRESHOLD else 0), (x, y))
        return picture, mask

    def finish(self, drawn: Image.Image, *, last: bool = True) -> Image.Image:
        """The model's picture (any size, the frame's aspect) back in the photo.

        Inpainting: the crop's part of it is scaled to the box and blended through the
        feathered mask; the photo is changed in place when ``last`` (a batch's earlier
        pictures work on a copy). img2img: the whole picture, scaled to the result size.
        A model picture with transparency (the emoji models draw on none) over an opaque
        photo is laid over it: where the model drew nothing the photo shows."""
        import numpy as np
        from PIL import Image

        frame = self.frame
        if frame is None:
            raise RuntimeError("model_input() comes before finish()")
        # The frame may have been drawn larger (an upscaler): find the crop in it.
        sx, sy = drawn.width / frame.width, drawn.height / frame.height
        x, y = frame.offset
        inner = drawn.crop(
            (
                round(x * sx),
                round(y * sy),
                round((x + frame.inner[0]) * sx),
                round((y + frame.inner[1]) * sy),
            )
        )
        # Only an opaque photo takes the model's own transparency as a weight; an RGBA
        # photo keeps the model's alpha as its pixels' alpha.
        coverage = inner.getchannel("A") if "A" in inner.getbands() else None
        if coverage is not None and (self.photo.mode == "RGBA" or coverage.getextrema()[0] == 255):
            coverage = None
        inner = inner.convert(self.photo.mode)
        if self.mask is None:
            result = inner.resize(self.output_size, Image.Resampling.LANCZOS)
            if coverage is not None:
                under = self.photo.resize(self.output_size, Image.Resampling.LANCZOS)
                cover = coverage.resize(self.output_size, Image.Resampling.BILINEAR)
                result = Image.composite(result, under, cover)
            return result
        patch = inner.resize(self.crop_size, Image.Resampling.LANCZOS)
        alpha = np.asarray(feathered(self.mask, self.feather))  # (h, w)
        if coverage is not None:  # weight times the model's coverage, still 0 where 0
            weight = coverage.resize(self.crop_size, Image.Resampling.BILINEAR)
            covered = alpha.astype(np.uint16) * np.asarray(weight, dtype=np.uint16)
            alpha = ((covered + 127) // 255).astype(np.uint8)
        original = np.asarray(self.photo.crop(self.box))  # (h, w, C)
        blended = composite(original, np.asarray(patch), alpha)
        canvas = self.photo if last else self.photo.copy()
        canvas.paste(Image.fromarray(blended, self.photo.mode), self.box[:2])
        if canvas.size != self.output_size:
            return canvas.resize(self.output_size, Image.Resampling.LANCZOS)
        return canvas


def check_edit_settings(request: ImageRequest) -> None:
    """One clear line for an edit setting out of its range."""
    if not 0 <= request.mask_padding <= MAX_PADDING:
        raise BadInput(message("image.mask_padding", most=MAX_PADDING, value=request.mask_padding))
    if not 0 <= request.mask_feather <= MAX_FEATHER:
        raise BadInput(
            message(
                "image.mask_feather", most=f"{MAX_FEATHER:g}", value=f"{request.mask_feather:g}"
            )
        )
    if not MIN_SCALE <= request.scale <= MAX_SCALE:
        raise BadInput(
            message(
                "image.scale",
                low=f"{MIN_SCALE:g}",
                high=f"{MAX_SCALE:g}",
                value=f"{request.scale:g}",
            )
        )
    if len(request.outpaint) != 4 or any(
        not 0 <= side <= MAX_OUTPAINT for side in request.outpaint
    ):
        raise BadInput(
            message(
                "image.outpaint",
                most=MAX_OUTPAINT,
                value=",".join(str(s) for s in request.outpaint),
            )
        )


def outpaint_photo(photo: Image.Image, sides: tuple[int, int, int, int]) -> Image.Image:
    """The canvas grown by ``sides`` (left, top, right, bottom), the new strips filled
    with the photo's edge pixels (the model then sees no hard border to continue)."""
    import numpy as np
    from PIL import Image

    left, top, right, bottom = sides
    pixels = np.asarray(photo)  # (H, W, C)
    spec = [(top, bottom), (left, right), (0, 0)]
    return Image.fromarray(np.pad(pixels, spec, mode="edge"), photo.mode)


def outpaint_mask(
    size: tuple[int, int], mask: Image.Image | None, sides: tuple[int, int, int, int]
) -> Image.Image:
    """The mask of the grown canvas: the new strips marked, any painted mask kept."""
    from PIL import Image

    left, top, right, bottom = sides
    width, height = size
    grown = Image.new("L", (width + left + right, height + top + bottom), 255)
    grown.paste(0, (left, top, left + width, top + height))
    if mask is not None:
        grown.paste(mask, (left, top))
    return grown


def prepare_edit(request: ImageRequest) -> PhotoEdit | None:
    """The :class:`PhotoEdit` of an img2img or inpainting request (None: txt2img).

    The mask is read first, at the photo's size, and only its box kept; then the photo
    is decoded: the full-size mask and the full-size photo never exist together."""
    if request.init_image is None:
        return None
    check_edit_settings(request)
    notices: list[str] = []
    box: Box | None = None
    mask_crop = None
    if request.mask is not None or any(request.outpaint):
        size = upright_size(request.init_image)
        mask = None
        if request.mask is not None:
            mask, notices = open_mask(request.mask, size)
            extrema = mask.getextrema()
            if extrema == (0, 0):
                notices.append(message("image.mask_empty"))
                mask = None  # nothing painted: the whole picture is redrawn (img2img)
            elif extrema == (255, 255):
                notices.append(message("image.mask_full"))
        if any(request.outpaint):
            mask = outpaint_mask(size, mask, request.outpaint)
        if mask is not None:
            box = edit_box(mask, request.mask_padding, request.mask_feather)
            mask_crop = mask.crop(box)
            del mask
    photo, photo_notices = open_photo(request.init_image)
    notices = photo_notices + notices
    if any(request.outpaint):
        photo = outpaint_photo(photo, request.outpaint)
    width = max(1, round(photo.width * request.scale))
    height = max(1, round(photo.height * request.scale))
    if width * height > MAX_OUTPUT_PIXELS:
        raise BadInput(
            message(
                "image.result_too_large",
                size=f"{width}x{height}",
                most=MAX_OUTPUT_PIXELS // 1_000_000,
            )
        )
    if box is None:
        box = (0, 0, photo.width, photo.height)
    return PhotoEdit(photo, mask_crop, box, request.mask_feather, (width, height), notices)
