"""What every image engine shares: the base class, the request checks and the helpers.

:class:`ImageEngine` is the interface all image model families offer:

- ``generate(request, ctx)``: txt2img, img2img (``init_image`` + ``strength``) or
  inpainting (``mask`` too), whichever the request asks for and the family can do;
- ``random_latent(seed)``, ``decode(latent)``, ``frame(latent, upscale=)`` (one
  picture for a live slider), ``encode(image)`` (where the family has an encoder),
  ``interpolate(a, b, t)`` (slerp: the latents are Gaussian), and
  ``directions()`` / ``move(latent, index, amount)`` for sliders.

Progress goes through the job context with a preview picture at every step, and every
step is a cancel point. The same seed and settings give the same pixels on the CPU.

This module is the bottom of ``engines.image``: the families (``emoji``, ``sd``,
``face_gan``) import it, and ``registry`` imports them; nothing here imports upward
(an import-linter ``layers`` contract in pyproject.toml holds it so).
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engines.errors import BadInput
from engines.image.compose import PhotoEdit, prepare_edit
from engines.image.types import ImageRequest, ImageResult, LatentDirection, LoraWeight
from engines.imagefile import LoraTag, Recipe, load_image, lora_stem, short_hash
from engines.jobs import JobContext
from engines.messages import message

if TYPE_CHECKING:
    import torch
    from PIL import Image

NATIVE_SIZE = 64
DEFAULT_SIZE = 256
MAX_SIZE = 1024


# --- pictures in and out --------------------------------------------------------------


def open_image(path: Path, what: str | None = None) -> Image.Image:
    """A picture file of any mode as RGBA, or :class:`BadInput` naming the file.

    The same safe reader as files dropped on the panel (size limit, damaged files,
    animations, CMYK and 16-bit images): :func:`engines.imagefile.load_image`."""
    try:
        return load_image(path).image
    except BadInput as exc:
        reason = exc.message or str(exc)  # a message stays one, to be said in Japanese
        what = what or message("image.what.image")
        raise BadInput(message("image.cannot_use", what=what, reason=reason)) from None


def to_model_rgba(image: Image.Image) -> Image.Image:
    """Any mode, any size -> 64x64 RGBA (letter-boxed on transparent, aspect kept)."""
    from PIL import Image

    rgba = image.convert("RGBA")
    rgba.thumbnail((NATIVE_SIZE, NATIVE_SIZE), Image.Resampling.LANCZOS)
    square = Image.new("RGBA", (NATIVE_SIZE, NATIVE_SIZE), (255, 255, 255, 0))
    square.paste(rgba, ((NATIVE_SIZE - rgba.width) // 2, (NATIVE_SIZE - rgba.height) // 2))
    return square


def resize_output(image: Image.Image, size: int) -> Image.Image:
    from PIL import Image

    if image.width == size:
        return image
    return image.resize((size, size), Image.Resampling.LANCZOS)


def format_parameters(
    prompt: str,
    model_id: str,
    seed: int,
    settings: dict[str, Any],
    *,
    loras: Sequence[LoraWeight] = (),
    model_hash: str | None = None,
) -> str:
    """The recipe as PNG ``parameters`` text, written by the one writer the panel also
    uses (:class:`engines.imagefile.Recipe`): the prompt with its LoRAs as A1111's
    ``<lora:name:weight>`` tags, then ``Key: value`` pairs in A1111's words."""
    fields: dict[str, Any] = {}
    extra: dict[str, str] = {}
    for key, value in settings.items():
        if value is None:
            continue
        if key in _RECIPE_FIELDS:
            fields[_RECIPE_FIELDS[key]] = value
        elif key == "Size" and isinstance(value, str) and "x" in value:
            w, h = value.split("x", 1)
            fields["width"], fields["height"] = int(w), int(h)
        else:
            extra[key] = str(value)
    tags = tuple(LoraTag(lora_stem(Path(lora.path).name), lora.weight) for lora in loras)
    recipe = Recipe(
        prompt=prompt,
        model=model_id,
        seed=seed,
        model_hash=model_hash,
        loras=tags,
        extra=extra,
        **fields,
    )
    return recipe.to_parameters()


_RECIPE_FIELDS = {
    "Steps": "steps",
    "Sampler": "sampler",
    "Guidance": "guidance",
    "Strength": "strength",
    "Negative prompt": "negative_prompt",
    "Masked area padding": "mask_padding",
    "Mask blur": "mask_feather",
    "Scale": "scale",
    "Outpaint": "outpaint",
}


def edit_settings(request: ImageRequest, edit: PhotoEdit | None) -> dict[str, Any]:
    """The recipe's settings for a photo edit: the result's size, and the padding, the
    feather, the scale and the outpainted sides that made it (None: not an edit)."""
    if edit is None:
        return {}
    masked = edit.mask is not None
    width, height = edit.output_size
    return {
        "Size": f"{width}x{height}",
        "Masked area padding": request.mask_padding if masked else None,
        "Mask blur": request.mask_feather if masked else None,
        "Scale": request.scale if request.scale != 1.0 else None,
        "Outpaint": tuple(request.outpaint) if any(request.outpaint) else None,
    }


# --- latent helpers (torch) -----------------------------------------------------------


def slerp(a: torch.Tensor, b: torch.Tensor, t: float) -> torch.Tensor:
    """Spherical interpolation, so in-between Gaussian latents keep a typical norm."""
    import torch

    af, bf = a.flatten().double(), b.flatten().double()
    cos = torch.dot(af, bf) / (af.norm() * bf.norm()).clamp_min(1e-12)
    omega = math.acos(float(cos.clamp(-1.0, 1.0)))
    if omega < 1e-4:  # (nearly) the same direction: a straight line is the same thing
        return (1 - t) * a + t * b
    so = math.sin(omega)
    return (math.sin((1 - t) * omega) / so) * a + (math.sin(t * omega) / so) * b


def _seed_of(request: ImageRequest) -> int:
    return request.seed if request.seed is not None else secrets.randbelow(2**31)


def seeded_noise(shape: tuple[int, ...], seed: int) -> torch.Tensor:
    """CPU noise from a seed: the same numbers on every device."""
    import torch

    return torch.randn(shape, generator=torch.Generator().manual_seed(seed))


class ImageEngine:
    """What every image model offers; families override what they can do."""

    model_id: str = ""
    family: str = ""
    takes_prompt = False
    can_encode = False
    can_inpaint = False
    takes_loras = False
    default_steps = 1
    # The one file the model is, for its recipe's "Model hash" (None: a folder of files).
    model_file: Path | None = None

    def model_hash(self) -> str | None:
        """A1111's short hash of :attr:`model_file` (first 10 hex digits of its SHA-256)."""
        if self.model_file is None:
            return None
        try:
            return short_hash(self.model_file)
        except OSError:  # moved or deleted since it was loaded: the recipe goes without
            return None

    # -- latents --
    def latent_shape(self) -> tuple[int, ...]:
        raise NotImplementedError

    def random_latent(self, seed: int) -> torch.Tensor:
        return seeded_noise((1, *self.latent_shape()), seed)

    def decode(self, latent: torch.Tensor) -> list[Image.Image]:
        """Latents (B, ...) -> 64x64 RGBA pictures."""
        raise NotImplementedError

    def frame(self, latent: torch.Tensor, *, upscale: bool = True) -> Image.Image:
        """One picture for a live slider. Families with the learned upscaler give it at
        256 pixels when ``upscale`` is on; the rest give what ``decode`` gives."""
        return self.decode(latent)[0]

    def encode(self, image: Image.Image) -> torch.Tensor:
        raise BadInput(message("image.no_encoder", model=self.model_id))

    def interpolate(self, a: torch.Tensor, b: torch.Tensor, t: float) -> torch.Tensor:
        return slerp(a, b, t)

    def directions(self) -> list[LatentDirection]:
        return []

    def move(self, latent: torch.Tensor, index: int, amount: float) -> torch.Tensor:
        raise BadInput(message("image.no_directions", model=self.model_id))

    # -- generation --
    def txt2img(self, prompt: str, ctx: JobContext, **settings: Any) -> ImageResult:
        return self.generate(ImageRequest(prompt, **settings), ctx)

    def img2img(
        self, prompt: str, init_image: Path, strength: float, ctx: JobContext, **settings: Any
    ) -> ImageResult:
        request = ImageRequest(prompt, init_image=init_image, strength=strength, **settings)
        return self.generate(request, ctx)

    def inpaint(
        self, prompt: str, init_image: Path, mask: Path, ctx: JobContext, **settings: Any
    ) -> ImageResult:
        request = ImageRequest(prompt, init_image=init_image, mask=mask, **settings)
        return self.generate(request, ctx)

    def generate(self, request: ImageRequest, ctx: JobContext) -> ImageResult:
        raise NotImplementedError

    # -- shared checks --
    def _checked(self, request: ImageRequest) -> tuple[int, int, list[str]]:
        """(seed, output size, notices) after validating what every family shares."""
        notices: list[str] = []
        if request.mask is not None and request.init_image is None:
            raise BadInput(message("image.inpaint_needs_init"))
        if request.mask is not None and not self.can_inpaint:
            raise BadInput(message("image.cannot_inpaint", model=self.model_id))
        if request.init_image is not None and not self.can_encode:
            raise BadInput(message("image.cannot_img2img", model=self.model_id))
        if request.loras and not self.takes_loras:
            raise BadInput(message("image.no_loras", model=self.model_id))
        if request.strength is not None and not 0.0 < request.strength <= 1.0:
            raise BadInput(message("image.strength", value=request.strength))
        if request.steps is not None and not 1 <= request.steps <= 1000:
            raise BadInput(message("image.steps", value=request.steps))
        if not 1 <= request.batch <= 64:
            raise BadInput(message("image.batch", value=request.batch))
        size = request.size or DEFAULT_SIZE
        if not NATIVE_SIZE // 2 <= size <= MAX_SIZE:
            raise BadInput(message("image.size", most=MAX_SIZE, value=size))
        if request.init_image is None and any(request.outpaint):
            raise BadInput(message("image.outpaint_needs_init"))
        if any(request.outpaint) and not self.can_inpaint:
            raise BadInput(message("image.cannot_outpaint", model=self.model_id))
        if request.init_image is None and request.scale != 1.0:
            notices.append(message("image.scale_ignored"))
        if request.prompt.strip() and not self.takes_prompt:
            notices.append(message("image.prompt_ignored", model=self.model_id))
        return _seed_of(request), size, notices

    def _edit(self, request: ImageRequest, notices: list[str]) -> PhotoEdit | None:
        """The request's photo edit (None: txt2img), its notices added to ``notices``."""
        edit = prepare_edit(request)
        if edit is not None:
            notices += edit.notices
        return edit
