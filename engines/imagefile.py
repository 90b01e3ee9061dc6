"""Image files in and out: reading what users drop safely, and PNGs that carry their recipe.

Reading: anything a user drops is checked before it touches the canvas. A folder, a
missing or non-image file, a corrupt file or a decompression bomb is a :class:`BadInput`
with a readable message; an animated image gives its first frame, CMYK, 16-bit and
palette images are converted, and each such change is reported as a notice.

Writing: the recipe goes into a PNG ``tEXt`` chunk named ``parameters`` in the layout
AUTOMATIC1111's web UI made common (prompt, ``Negative prompt:``, then ``Key: value``
pairs), so other tools read it and we read theirs. Files are never overwritten.
"""

from __future__ import annotations

import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engines import __version__
from engines.errors import BadInput

if TYPE_CHECKING:
    from PIL import Image

MAX_PIXELS = 40_000_000  # ~6300x6300; larger is refused as a likely decompression bomb
APP_TAG = f"Sōzō Studio {__version__}"


@dataclass(frozen=True)
class Recipe:
    """How an image was made. ``None`` fields are left out of the text."""

    prompt: str
    negative_prompt: str = ""
    model: str | None = None
    seed: int | None = None
    steps: int | None = None
    guidance: float | None = None
    strength: float | None = None
    width: int | None = None
    height: int | None = None
    sampler: str | None = None
    app: str | None = APP_TAG
    extra: dict[str, str] = field(default_factory=dict)

    _KEYS = (
        ("Steps", "steps"),
        ("Sampler", "sampler"),
        ("CFG scale", "guidance"),
        ("Seed", "seed"),
        ("Size", None),
        ("Model", "model"),
        ("Denoising strength", "strength"),
        ("App", "app"),
    )

    def to_parameters(self) -> str:
        """The ``parameters`` text."""
        lines = [self.prompt]
        if self.negative_prompt:
            lines.append(f"Negative prompt: {self.negative_prompt}")
        pairs: list[str] = []
        for key, attr in self._KEYS:
            if attr is None:
                if self.width and self.height:
                    pairs.append(f"Size: {self.width}x{self.height}")
                continue
            value = getattr(self, attr)
            if value is not None:
                pairs.append(f"{key}: {_quote(str(value))}")
        pairs.extend(f"{k}: {_quote(v)}" for k, v in self.extra.items())
        lines.append(", ".join(pairs))
        return "\n".join(lines)

    @classmethod
    def from_parameters(cls, text: str) -> Recipe:
        """Parse a ``parameters`` text written by us or by another tool."""
        lines = text.strip().split("\n")
        settings_line = ""
        if lines and _looks_like_settings(lines[-1]):
            settings_line = lines.pop()
        prompt_lines: list[str] = []
        negative_lines: list[str] = []
        in_negative = False
        for line in lines:
            if line.startswith("Negative prompt:"):
                in_negative = True
                line = line[len("Negative prompt:") :].lstrip()
            (negative_lines if in_negative else prompt_lines).append(line)
        values = _parse_pairs(settings_line)
        known = {k: a for k, a in cls._KEYS if a is not None}
        # Names other tools (and our own engines) use for the same settings.
        for alias, key in (("Guidance", "CFG scale"), ("Strength", "Denoising strength")):
            if alias in values and key not in values:
                values[key] = values.pop(alias)
        kwargs: dict[str, Any] = {}
        for key, attr in known.items():
            if key in values:
                kwargs[attr] = values.pop(key)
        size = values.pop("Size", None)
        if size and re.fullmatch(r"\d+x\d+", size):
            w, h = size.split("x")
            kwargs["width"], kwargs["height"] = int(w), int(h)
        for attr, convert in (
            ("seed", int),
            ("steps", int),
            ("guidance", float),
            ("strength", float),
        ):
            if attr in kwargs:
                try:
                    kwargs[attr] = convert(kwargs[attr])
                except ValueError:
                    kwargs.pop(attr)
        kwargs.setdefault("app", None)
        return cls(
            prompt="\n".join(prompt_lines).strip(),
            negative_prompt="\n".join(negative_lines).strip(),
            extra=values,
            **kwargs,
        )


_PAIR_RE = re.compile(r'\s*([A-Za-z][\w .\-]*):\s*("(?:[^"\\]|\\.)*"|[^,]*)\s*(?:,|$)')


def _looks_like_settings(line: str) -> bool:
    """The last line holds settings when it is ``Key: value`` pairs with a key we know
    (so a one-line prompt such as "Style: watercolour" stays a prompt)."""
    if not re.match(r"\s*[A-Za-z][\w .\-]*: ", line):
        return False
    pairs = _parse_pairs(line)
    return len(pairs) >= 3 or any(k in pairs for k in ("Steps", "Seed", "Size", "Model"))


def _quote(value: str) -> str:
    if any(c in value for c in ',:"\n'):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'
    return value


def _parse_pairs(line: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, raw in _PAIR_RE.findall(line):
        value = raw.strip()
        if value.startswith('"') and value.endswith('"') and len(value) >= 2:
            value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        values[key.strip()] = value
    return values


@dataclass(frozen=True)
class LoadedImage:
    """An image read from a user's file, as RGBA, with what was changed to read it."""

    image: Image.Image
    path: Path
    notices: tuple[str, ...] = ()
    parameters: str | None = None  # the recipe text chunk, if the file has one

    @property
    def recipe(self) -> Recipe | None:
        return Recipe.from_parameters(self.parameters) if self.parameters else None


def load_image(path: str | os.PathLike[str]) -> LoadedImage:
    """Read a user's image file safely; :class:`BadInput` for anything unusable."""
    from PIL import Image, UnidentifiedImageError

    p = Path(path)
    name = p.name or str(p)
    if p.is_dir():
        raise BadInput(f"{name} is a folder: drop an image file (PNG, JPEG, WebP, GIF...).")
    if not p.exists():
        raise BadInput(f"{name} does not exist.")
    notices: list[str] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(p) as im:
                width, height = im.size
                if width * height > MAX_PIXELS:
                    raise BadInput(
                        f"{name} is {width}x{height} pixels, too large to open safely "
                        f"(at most {MAX_PIXELS // 1_000_000} megapixels)."
                    )
                frames = getattr(im, "n_frames", 1)
                if frames > 1:
                    notices.append(f"{name} is animated ({frames} frames): using the first frame.")
                    im.seek(0)
                parameters = im.info.get("parameters")
                if not isinstance(parameters, str):
                    parameters = None
                im.load()
                image = _to_rgba(im, name, notices)
    except BadInput:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise BadInput(
            f"{name} is too large to open safely (a possible decompression bomb)."
        ) from None
    except UnidentifiedImageError:
        raise BadInput(f"{name} is not an image file Sōzō can read.") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise BadInput(
            f"{name} could not be read: the file is damaged or incomplete ({exc})."
        ) from None
    return LoadedImage(image=image, path=p, notices=tuple(notices), parameters=parameters)


def _to_rgba(im: Image.Image, name: str, notices: list[str]) -> Image.Image:
    mode = im.mode
    if mode == "CMYK":
        notices.append(f"{name} is CMYK: converted to RGB.")
        return im.convert("RGB").convert("RGBA")
    if mode in ("I;16", "I;16B", "I;16L", "I", "I;16N"):
        notices.append(f"{name} has 16-bit (or 32-bit) samples: reduced to 8 bits.")
        import numpy as np

        arr = np.asarray(im).astype("float64")
        top = 65535.0 if arr.max() > 255 else 255.0
        from PIL import Image

        grey = Image.fromarray((arr / top * 255.0).clip(0, 255).astype("uint8"), "L")
        return grey.convert("RGBA")
    if mode == "F":
        notices.append(f"{name} has floating-point samples: reduced to 8 bits.")
        return im.convert("L").convert("RGBA")
    if mode in ("P", "PA"):
        return im.convert("RGBA")
    if mode == "RGBA":
        return im.copy()
    return im.convert("RGBA")


def fit_to_size(
    image: Image.Image, width: int, height: int
) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """Centre-crop ``image`` to the target's aspect ratio, then resize to it.

    Returns the fitted image and the crop box in the source image's pixels, so the UI can
    show what was cut away."""
    from PIL import Image

    src_w, src_h = image.size
    target = width / height
    if src_w / src_h > target:
        crop_w, crop_h = round(src_h * target), src_h
    else:
        crop_w, crop_h = src_w, round(src_w / target)
    left, top = (src_w - crop_w) // 2, (src_h - crop_h) // 2
    box = (left, top, left + crop_w, top + crop_h)
    return image.crop(box).resize((width, height), Image.Resampling.LANCZOS), box


def write_png(
    image: Image.Image,
    path: str | os.PathLike[str],
    parameters: str | None,
    *,
    overwrite: bool = False,
) -> Path:
    """Write ``image`` as PNG with ``parameters`` (the recipe text) in its text chunk.

    Results the studio names itself never overwrite a file; ``overwrite`` is for a path
    the user gave (``sozo image -o``)."""
    from PIL.PngImagePlugin import PngInfo

    p = Path(path)
    info = PngInfo()
    if parameters:
        info.add_text("parameters", parameters)
    info.add_text("Software", APP_TAG)
    with open(p, "wb" if overwrite else "xb") as f:  # "x": fail rather than overwrite
        image.save(f, format="PNG", pnginfo=info)
    return p


def save_png(image: Image.Image, path: str | os.PathLike[str], recipe: Recipe | None) -> Path:
    """Write ``image`` as PNG with the recipe in its ``parameters`` chunk; never overwrites."""
    return write_png(image, path, recipe.to_parameters() if recipe is not None else None)


_UNSAFE = re.compile(r"[^\w\- ]+", re.UNICODE)


def readable_stem(prompt: str, seed: int | None = None, max_words: int = 6) -> str:
    """A file name from the prompt's first words and the seed: 'red-apple-on-a-table-s42'."""
    words = _UNSAFE.sub(" ", prompt).split()[:max_words]
    stem = "-".join(w.lower() for w in words)[:60].strip("-") or "image"
    return f"{stem}-s{seed}" if seed is not None else stem


def unique_path(folder: str | os.PathLike[str], stem: str, suffix: str = ".png") -> Path:
    """``folder/stem.png``, or ``stem-2.png``... whichever does not exist yet."""
    base = Path(folder)
    base.mkdir(parents=True, exist_ok=True)
    candidate = base / f"{stem}{suffix}"
    n = 2
    while candidate.exists():
        candidate = base / f"{stem}-{n}{suffix}"
        n += 1
    return candidate


def save_result(image: Image.Image, folder: str | os.PathLike[str], recipe: Recipe) -> Path:
    """Save a generated image under a readable, unused name in ``folder``."""
    for _ in range(100):  # another process may take the name between check and write
        path = unique_path(folder, readable_stem(recipe.prompt, recipe.seed))
        try:
            return save_png(image, path, recipe)
        except FileExistsError:
            continue
    raise BadInput(f"Could not find a free file name in {folder}.")


WALK_FORMATS = (".gif", ".mp4", ".png")


def save_walk(
    frames: list[Image.Image], path: str | os.PathLike[str], fps: float = 12.0, scale: int = 4
) -> Path:
    """Export a latent walk: an animated GIF, an MP4 (ffmpeg from ``imageio-ffmpeg``) or a
    PNG strip, chosen by the extension. Frames are enlarged ``scale`` times with nearest
    neighbour, so small model outputs stay crisp. Never overwrites."""
    from PIL import Image

    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in WALK_FORMATS:
        raise BadInput(f"Export a walk as .gif, .mp4 or .png, not {p.name}.")
    if not frames:
        raise BadInput("The walk has no frames to export.")
    if p.exists():
        raise BadInput(f"{p} exists already: choose another name.")
    big = [
        f.convert("RGBA").resize((f.width * scale, f.height * scale), Image.Resampling.NEAREST)
        for f in frames
    ]
    on_white = []
    for f in big:
        canvas = Image.new("RGB", f.size, "white")
        canvas.paste(f, mask=f.getchannel("A"))
        on_white.append(canvas)
    if suffix == ".png":
        strip = Image.new("RGB", (sum(f.width for f in on_white), on_white[0].height), "white")
        x = 0
        for f in on_white:
            strip.paste(f, (x, 0))
            x += f.width
        with open(p, "xb") as out:
            strip.save(out, format="PNG")
    elif suffix == ".gif":
        duration = round(1000 / fps)
        with open(p, "xb") as out:
            on_white[0].save(
                out,
                format="GIF",
                save_all=True,
                append_images=on_white[1:],
                duration=duration,
                loop=0,
            )
    else:
        import imageio_ffmpeg
        import numpy as np

        width, height = on_white[0].size
        width, height = width - width % 2, height - height % 2  # H.264 needs even sizes
        writer = imageio_ffmpeg.write_frames(
            str(p),
            (width, height),
            fps=fps,
            codec="libx264",
            pix_fmt_out="yuv420p",
            macro_block_size=1,
            ffmpeg_log_level="error",
        )
        writer.send(None)
        for f in on_white:
            writer.send(np.ascontiguousarray(np.asarray(f)[:height, :width]))
        writer.close()
    return p
