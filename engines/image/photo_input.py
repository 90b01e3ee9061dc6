"""Reading the pictures of a photo edit: the photo upright in RGB(A) and the mask at its
size, each with notices for a person about what was converted, and one clear line for
a file that cannot be used. Used by :mod:`engines.image.compose`.

Nothing full-size is copied that need not be: an RGB photo is the decoded picture
itself (PIL keeps RGB at 4 bytes a pixel: 96 MB for 6000x4000), and a mask is
thresholded in place, only inside the box around its painted pixels.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from engines.errors import BadInput
from engines.messages import message

if TYPE_CHECKING:
    from PIL import Image

MASK_THRESHOLD = 127  # mask values above it are redrawn


def _read(path: Path, what: str, notices: list[str]) -> Image.Image:
    """The first frame of a picture file, decoded once (no copy), or :class:`BadInput`
    with one line naming the file: missing, a folder, damaged, too large to open."""
    from PIL import Image, UnidentifiedImageError

    from engines.imagefile import MAX_PIXELS

    p = Path(path)
    name = p.name or str(p)
    if p.is_dir():
        raise BadInput(message("photo.folder", what=what, name=name))
    if not p.exists():
        raise BadInput(message("photo.missing", what=what, name=name))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im: Image.Image = Image.open(p)
            try:
                if im.width * im.height > MAX_PIXELS:
                    raise BadInput(
                        message(
                            "photo.too_many_pixels",
                            what=what,
                            name=name,
                            size=f"{im.width}x{im.height}",
                            most=MAX_PIXELS // 1_000_000,
                        )
                    )
                frames = getattr(im, "n_frames", 1)
                if frames > 1:
                    notices.append(message("photo.animated", name=name, frames=frames))
                    im.seek(0)
                im.load()  # a single frame's file is closed now; its pixels stay
                if frames > 1:  # keep the first frame, let go of the file
                    first = im.copy()
                    first.info = dict(im.info)
                    im.close()
                    im = first
                return im
            except BaseException:
                im.close()
                raise
    except BadInput:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise BadInput(message("photo.too_large", what=what, name=name)) from None
    except UnidentifiedImageError:
        raise BadInput(message("photo.not_an_image", what=what, name=name)) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise BadInput(message("photo.damaged", what=what, name=name, reason=str(exc))) from None


_UPRIGHT = {  # EXIF orientation -> the turn that shows the picture upright
    2: "FLIP_LEFT_RIGHT",
    3: "ROTATE_180",
    4: "FLIP_TOP_BOTTOM",
    5: "TRANSPOSE",
    6: "ROTATE_270",
    7: "TRANSVERSE",
    8: "ROTATE_90",
}


def open_photo(path: Path, what: str = "") -> tuple[Image.Image, list[str]]:
    """The picture upright as "RGB", or "RGBA" when it has an alpha channel (or a
    palette with transparency), and notices for what was converted: EXIF rotation,
    CMYK, 16-bit, palette, animation.

    Photos stay RGB and are not copied: a 6000x4000 photo is its decoded 72 MB."""
    from PIL import Image

    notices: list[str] = []
    im = _read(path, what or message("photo.what.init_image"), notices)
    name = Path(path).name
    orientation = im.getexif().get(0x0112, 1)  # EXIF Orientation
    picture = _to_rgb_or_rgba(im, name, notices)
    if orientation in _UPRIGHT:
        picture = picture.transpose(getattr(Image.Transpose, _UPRIGHT[orientation]))
        notices.append(message("photo.rotated", name=name, orientation=orientation))
    return picture, notices


def _to_rgb_or_rgba(im: Image.Image, name: str, notices: list[str]) -> Image.Image:
    """(H, W) or (H, W, C) of any mode -> "RGB" (opaque) or "RGBA" (with transparency);
    an RGB or RGBA picture is itself, not a copy."""
    import numpy as np
    from PIL import Image

    mode = im.mode
    if mode == "CMYK":
        notices.append(message("photo.cmyk", name=name))
        return im.convert("RGB")
    if mode.startswith("I;16") or mode in ("I", "F"):
        kind = "photo.float_samples" if mode == "F" else "photo.deep_samples"
        notices.append(message(kind, name=name))
        values = np.asarray(im, dtype=np.float64)  # (H, W)
        top = 65535.0 if values.max() > 255 else 255.0
        grey = (values / top * 255.0).round().clip(0, 255).astype(np.uint8)
        return Image.fromarray(grey, "L").convert("RGB")
    if mode in ("P", "PA"):
        transparent = mode == "PA" or "transparency" in im.info
        notices.append(
            message("photo.palette_alpha" if transparent else "photo.palette", name=name)
        )
        return im.convert("RGBA" if transparent else "RGB")
    if mode in ("RGB", "RGBA"):
        return im  # as decoded: no copy
    if mode in ("LA", "La", "RGBa"):
        return im.convert("RGBA")
    return im.convert("RGB")


def open_mask(path: Path, size: tuple[int, int]) -> tuple[Image.Image, list[str]]:
    """The mask as "L" at ``size`` (white: redraw), binarised; notices for a rescaled
    one. A transparent cut-out marks its transparent part. An empty mask is returned
    as it is (the caller makes the edit a plain img2img).

    Read as one 8-bit band (24 MB for 6000x4000), never as RGBA."""
    from PIL import Image

    notices: list[str] = []
    im = _read(
        path, message("photo.what.mask"), []
    )  # a mask's animation or palette needs no notice
    if im.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in im.info:
        alpha = im.getchannel("A") if "A" in im.getbands() else im.convert("RGBA").getchannel("A")
        if alpha.getextrema() == (255, 255):  # opaque after all: white marks the part
            grey = im.convert("L")
        else:  # a cut-out: the transparent part is redrawn
            grey = alpha.point(lambda v: 255 - v)
    elif im.mode == "L":
        grey = im
    elif im.mode.startswith("I") or im.mode == "F":
        grey = _to_rgb_or_rgba(im, "", []).convert("L")  # 16-bit: scaled to 8
    else:
        grey = im.convert("L")
    if grey.size != size:
        notices.append(
            message(
                "photo.mask_scaled",
                mask=f"{grey.width}x{grey.height}",
                picture=f"{size[0]}x{size[1]}",
            )
        )
        grey = grey.resize(size, Image.Resampling.BILINEAR)
    mask = _binarised(grey)
    return mask, notices


def _binarised(grey: Image.Image) -> Image.Image:
    """An "L" mask thresholded to 0 and 255, in place: only the box around its non-zero
    pixels is touched, so a small mask on a large photo costs a small crop."""
    box = grey.getbbox()
    if box is None:
        return grey
    part = grey.crop(box).point(lambda v: 255 if v > MASK_THRESHOLD else 0)
    grey.paste(part, box[:2])  # a file's pixels are ours to change (PIL copies if mapped)
    return grey


def upright_size(path: Path) -> tuple[int, int]:
    """The picture's (w, h) once turned upright, read from its header alone (so the mask
    can be read, and cropped, before the photo is decoded); a file that cannot be read
    gets :func:`open_photo`'s one line."""
    from PIL import Image

    try:
        with Image.open(path) as im:
            width, height = im.size
            orientation = im.getexif().get(0x0112, 1)
    except Exception:
        open_photo(path)  # raises the reason, for a person
        raise
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)
