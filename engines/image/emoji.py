"""The emoji model families: the VAE, the latent diffusion model and the GAN, and the
learned 4x upscaler that enlarges their 64-pixel pictures.

Each is an :class:`engines.image.base.ImageEngine`; torch and the weights are imported
and read when an engine is made (by ``engines.image.registry.load_engine``), never at
import time.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engines.errors import BadInput, ModelUnavailable
from engines.image.base import (
    NATIVE_SIZE,
    ImageEngine,
    edit_settings,
    format_parameters,
    resize_output,
    seeded_noise,
    slerp,
    to_model_rgba,
)
from engines.image.captions_ja import read_japanese
from engines.image.compose import PhotoEdit
from engines.image.types import ImageRequest, ImageResult, LatentDirection
from engines.jobs import JobContext
from engines.messages import message

if TYPE_CHECKING:
    import torch
    from PIL import Image

EMOJI_SAMPLERS = ("ddim", "dpm++2m")


def _pictures(batch: torch.Tensor) -> list[Image.Image]:
    from PIL import Image

    from engines.image.vae import tensor_to_rgba

    return [Image.fromarray(a.cpu().numpy(), "RGBA") for a in tensor_to_rgba(batch)]


# --- the learned 4x upscaler (emoji families) -----------------------------------------

UPSCALER_ID = "emoji-upscaler"
_upscaler: Any = None
_upscaler_missing = ""  # why it could not be loaded: a notice with pictures made without it
_upscaler_lock = threading.Lock()


def load_upscaler() -> Any:
    """The shipped emoji upscaler (``engines.image.upscaler.Upscaler``), loaded once, or
    None when its weights are missing (then pictures are enlarged with Lanczos)."""
    global _upscaler, _upscaler_missing
    with _upscaler_lock:
        if _upscaler is None and not _upscaler_missing:
            from engines import device
            from engines.catalogue import Catalogue
            from engines.image import upscaler as U

            try:
                path = Catalogue().get(UPSCALER_ID).require()[0]
                _upscaler = U.load(path, device.current().torch_device)
            except ModelUnavailable as exc:
                _upscaler_missing = str(exc)
            except Exception as exc:  # a damaged file must not stop pictures being made
                _upscaler_missing = f"The upscaler's weights could not be read ({exc})."
        return _upscaler


def _upscaled(batch: torch.Tensor, device: Any) -> torch.Tensor | None:
    """(B, 4, 64, 64) in [-1, 1] -> (B, 4, 256, 256) through the upscaler, or None."""
    model = load_upscaler()
    if model is None:
        return None
    import torch

    with torch.no_grad():
        return model(batch.to(device))


def _finished(
    pictures: list[Image.Image], size: int, upscale: bool | None, device: Any, notices: list[str]
) -> tuple[list[Image.Image], str | None]:
    """64x64 pictures at the asked size, and how they were enlarged (None: they were not):
    through the learned upscaler when the size is above 64 and it is wanted (the
    default), else with Lanczos."""
    if size <= NATIVE_SIZE:
        return [resize_output(p, size) for p in pictures], None
    if upscale is not False:
        import numpy as np
        import torch

        from engines.image.vae import rgba_to_tensor

        batch = rgba_to_tensor(torch.from_numpy(np.stack([np.asarray(p) for p in pictures])))
        large = _upscaled(batch, device)
        if large is not None:
            return [resize_output(p, size) for p in _pictures(large)], "learned 4x"
        notice = f"{_upscaler_missing} Pictures were enlarged with Lanczos instead."
        if notice not in notices:
            notices.append(notice)
    return [resize_output(p, size) for p in pictures], "Lanczos"


def _put_back(
    pictures: list[Image.Image],
    edit: PhotoEdit,
    upscale: bool | None,
    device: Any,
    notices: list[str],
    last: bool = True,
) -> tuple[list[Image.Image], str | None]:
    """64x64 pictures of an edit's crop back in the photo, at the photo's size: through
    the learned upscaler first when the crop is larger than 64 pixels in the result."""
    need = max(edit.crop_size) * edit.output_size[0] / edit.photo.width
    size = NATIVE_SIZE * 4 if need > NATIVE_SIZE else NATIVE_SIZE
    large, enlarged = _finished(pictures, size, upscale, device, notices)
    count = len(large)
    return [edit.finish(p, last=last and i == count - 1) for i, p in enumerate(large)], enlarged


def _frame(batch: torch.Tensor, upscale: bool, device: Any) -> Image.Image:
    """The first decoded picture of (B, 4, 64, 64), at 256 through the upscaler if wanted
    and there (straight from the tensor: a slider frame has no time for round trips)."""
    if upscale:
        large = _upscaled(batch[:1], device)
        if large is not None:
            return _pictures(large)[0]
    return _pictures(batch[:1])[0]


# --- the VAE and the latent diffusion model -------------------------------------------


class EmojiVAEEngine(ImageEngine):
    """The emoji VAE alone: samples from its prior, encodes, decodes, interpolates."""

    family = "vae"
    can_encode = True

    def _edit(self, request: ImageRequest, notices: list[str]) -> PhotoEdit | None:
        """The photo edit, with the plain word that an emoji model draws emoji (#15)."""
        edit = super()._edit(request, notices)
        if edit is not None:
            part = "the masked part" if edit.mask is not None else "the picture"
            notices.append(
                f"{self.model_id} is an emoji model: it redraws {part} as emoji-style "
                f"content from a {NATIVE_SIZE}x{NATIVE_SIZE} crop, not as photo detail "
                "(a Stable Diffusion model redraws photos)."
            )
        return edit

    def __init__(self, model_id: str, vae_path: Path) -> None:
        import torch

        from engines import device
        from engines.image import vae as V

        self.model_id = model_id
        self.model_file = vae_path
        self.torch = torch
        self.device = device.current().torch_device
        try:
            self.vae = V.load(vae_path, self.device)
        except Exception as exc:
            raise BadInput(
                message(
                    "image.bad_weights",
                    path=str(vae_path),
                    kind=message("image.kind.vae"),
                    reason=str(exc),
                )
            ) from None
        # Codes of real training emoji, saved beside the weights: the VAE's random codes.
        self.codes = None
        bank = vae_path.with_name(vae_path.stem + "-codes.safetensors")
        if bank.exists():
            from safetensors.torch import load_file

            self.codes = load_file(str(bank))["codes"].float()

    def latent_shape(self) -> tuple[int, ...]:
        cfg = self.vae.cfg
        return (cfg.latent_channels, NATIVE_SIZE // 4, NATIVE_SIZE // 4)

    def _centre(self) -> torch.Tensor:
        return self.torch.tensor(self.vae.cfg.latent_mean)[None, :, None, None]

    def random_latent(self, seed: int) -> torch.Tensor:
        """The code of a training emoji chosen by the seed, from the bank shipped beside
        the weights. (Plain Gaussian draws decode to noise: the VAE's light KL weight
        leaves its codes far from N(0, I).) Without a bank: a draw with the codes' spread."""
        if self.codes is not None:
            return self.codes[seed % len(self.codes)][None].clone()
        return (
            self._centre()
            + seeded_noise((1, *self.latent_shape()), seed) / self.vae.cfg.latent_scale
        )

    def interpolate(self, a: torch.Tensor, b: torch.Tensor, t: float) -> torch.Tensor:
        # Slerp about the codes' centre, where they are roughly Gaussian.
        centre = self._centre()
        return centre + slerp(a - centre, b - centre, t)

    def decode(self, latent: torch.Tensor) -> list[Image.Image]:
        with self.torch.no_grad():
            return _pictures(self.vae.decode(latent.to(self.device)))

    def frame(self, latent: torch.Tensor, *, upscale: bool = True) -> Image.Image:
        with self.torch.no_grad():
            return _frame(self.vae.decode(latent[:1].to(self.device)), upscale, self.device)

    def encode(self, image: Image.Image) -> torch.Tensor:
        import numpy as np

        from engines.image.vae import rgba_to_tensor

        pixels = self.torch.from_numpy(np.array(to_model_rgba(image)))[None]
        with self.torch.no_grad():
            mean, _ = self.vae.encode(rgba_to_tensor(pixels).to(self.device))
        return mean.cpu()

    def generate(self, request: ImageRequest, ctx: JobContext) -> ImageResult:
        seed, size, notices = self._checked(request)
        edit = self._edit(request, notices)
        strength = request.strength if request.strength is not None else 0.5
        start = None
        if edit is not None:
            # The picture's code, once: partial "noising" for a VAE walks from it toward
            # a random one.
            start = self.encode(edit.model_input(NATIVE_SIZE)[0])
        if request.init_image is None:
            notices.append(message("image.vae_decodes_training", model=self.model_id))
        pictures: list[Image.Image] = []
        enlarged: str | None = None
        for i in range(request.batch):
            z = self.random_latent(seed + i)
            if start is not None:
                z = self.interpolate(start, z, strength)
            picture = self.decode(z)[0]
            if edit is not None:
                last = i == request.batch - 1
                large, enlarged = _put_back(
                    [picture], edit, request.upscale, self.device, notices, last
                )
            else:
                large, enlarged = _finished([picture], size, request.upscale, self.device, notices)
            pictures += large
            ctx.keep_partial(pictures)
            ctx.report(i + 1, request.batch, preview=picture)
        settings = {
            "Strength": strength if request.init_image else None,
            "Size": f"{size}x{size}",
            "Upscale": enlarged,
            **edit_settings(request, edit),
        }
        params = format_parameters(
            request.prompt, self.model_id, seed, settings, model_hash=self.model_hash()
        )
        return ImageResult(tuple(pictures), self.model_id, seed, params, tuple(notices))


class EmojiDiffusionEngine(EmojiVAEEngine):
    """Text to emoji: latent diffusion in the VAE's latent, guided by a sentence encoder."""

    family = "latent-diffusion"
    takes_prompt = True
    can_inpaint = True
    default_steps = 25
    default_guidance = 3.0

    def __init__(self, model_id: str, unet_path: Path, vae_path: Path, encoder_dir: Path) -> None:
        super().__init__(model_id, vae_path)
        self.model_file = unet_path
        from engines.image import latent_diffusion as L

        try:
            unet = L.load(unet_path, self.device)
        except Exception as exc:
            raise BadInput(
                message(
                    "image.bad_weights",
                    path=str(unet_path),
                    kind=message("image.kind.diffusion"),
                    reason=str(exc),
                )
            ) from None
        self.diffusion = L.LatentDiffusion(unet)
        self.encoder = L.CaptionEncoder(encoder_dir, unet.cfg.max_tokens)
        self.scale = self.vae.cfg.latent_scale
        self._walk_prompts: tuple[str, str] | None = None
        self._walk_caption: Any = None

    def walk_frame(
        self,
        a: tuple[str, int],
        b: tuple[str, int],
        t: float,
        *,
        steps: int = 10,
        guidance: float | None = None,
        upscale: bool = True,
    ) -> Image.Image:
        """A picture between two results ``(prompt, seed)``: their starting noise slerped
        and their prompt conditioning blended, then sampled. At t=0 and t=1 it remakes
        the results themselves (with ``steps`` as they were made). ``upscale``: at 256
        pixels through the learned upscaler, as :meth:`frame` gives them."""
        import torch
        import torch.nn.functional as F

        from engines.image import latent_diffusion as L

        prompts = (a[0].strip(), b[0].strip())
        if not all(prompts):
            raise BadInput(message("image.walk_prompts"))
        # As generate read them, so that the walk's ends remake the results.
        prompts = (self._english(prompts[0], []), self._english(prompts[1], []))
        if self._walk_prompts != prompts:  # encode a pair once while the slider moves
            self._walk_caption = self.encoder.encode(list(prompts))
            self._walk_prompts = prompts
        c = self._walk_caption
        pooled = F.normalize((1 - t) * c.pooled[0:1] + t * c.pooled[1:2], dim=-1)
        caption = L.Caption(
            ((1 - t) * c.tokens[0:1] + t * c.tokens[1:2]).to(self.device),
            (c.mask[0:1] | c.mask[1:2]).to(self.device),
            pooled.to(self.device),
            False,
        )
        shape = (1, *self.latent_shape())
        noise = slerp(seeded_noise(shape, a[1]), seeded_noise(shape, b[1]), t).to(self.device)
        g = guidance if guidance is not None else self.default_guidance
        with torch.no_grad():
            z = self.diffusion.sample(caption, noise, steps=steps, guidance=g)
            return _frame(self.vae.decode(z / self.scale), upscale, self.device)

    @staticmethod
    def _english(prompt: str, notices: list[str]) -> str:
        """The prompt the encoder is given: one with Japanese in it as the English caption
        words it stands for (engines.image.captions_ja), said in ``notices``."""
        reading = read_japanese(prompt)
        if reading is None:
            return prompt
        if not reading.english:
            raise BadInput(reading.refusal())
        notices += reading.notices()
        return reading.english

    def generate(self, request: ImageRequest, ctx: JobContext) -> ImageResult:
        import numpy as np
        import torch
        import torch.nn.functional as F

        from engines.image import latent_diffusion as L

        seed, size, notices = self._checked(request)
        steps = request.steps or self.default_steps
        guidance = request.guidance if request.guidance is not None else self.default_guidance
        sampler = request.sampler or "ddim"
        if sampler not in EMOJI_SAMPLERS:
            raise BadInput(message("image.sampler", sampler=repr(sampler)))
        if not 0.0 <= guidance <= 30.0:
            raise BadInput(message("image.guidance", value=guidance))
        prompt = self._english(request.prompt.strip(), notices)
        batch = request.batch
        ctx.report(0, steps, message=message("progress.reading_prompt"))
        if prompt:
            caption = self.encoder.encode([prompt] * batch)
            if caption.truncated:
                notices.append(message("image.prompt_cut", pieces=self.encoder.max_tokens))
        else:
            notices.append(message("image.unconditional"))
            tokens, mask, pooled = self.diffusion.unet.null_condition(batch)
            caption = L.Caption(tokens.detach(), mask, pooled.detach(), False)
            guidance = 1.0
        caption = L.Caption(
            caption.tokens.to(self.device),
            caption.mask.to(self.device),
            caption.pooled.to(self.device),
            caption.truncated,
        )
        shape = (1, *self.latent_shape())
        noise = torch.cat([seeded_noise(shape, seed + i) for i in range(batch)]).to(self.device)
        init = latent_mask = None
        init_rgba = mask_image = None
        strength = 1.0
        edit = self._edit(request, notices)
        if edit is not None:
            # The crop the model redraws (the whole picture for img2img), aspect kept.
            picture, mask_image = edit.model_input(NATIVE_SIZE)
            init_rgba = picture.convert("RGBA")  # (64, 64) RGBA
            init = self.encode(init_rgba).to(self.device).repeat(batch, 1, 1, 1) * self.scale
            strength = request.strength if request.strength is not None else 0.6
            if mask_image is not None:
                mask_t = torch.from_numpy(np.array(mask_image)).float() / 255.0  # (64, 64)
                # Latent cells that any masked pixel touches are redrawn.
                latent_mask = F.max_pool2d(mask_t[None, None], 4).to(self.device)
                latent_mask = (latent_mask > 0.1).float().expand(batch, 1, -1, -1)
                if request.strength is None:
                    strength = 1.0

        def on_step(i: int, total: int, x0: torch.Tensor) -> None:
            preview = self.decode(x0[:1] / self.scale)[0]
            ctx.report(
                i + 1,
                total,
                message=message("progress.step", step=i + 1, total=total),
                preview=preview,
            )

        with torch.no_grad():
            z = self.diffusion.sample(
                caption,
                noise,
                steps=steps,
                guidance=guidance,
                sampler=sampler,
                init=init,
                strength=strength,
                mask=latent_mask,
                callback=on_step,
            )
            pictures = self.decode(z / self.scale)
        if init_rgba is not None and mask_image is not None:
            from PIL import Image

            # Outside the mask the crop's own pixels are kept, before it goes back.
            pictures = [Image.composite(p, init_rgba, mask_image) for p in pictures]
        if edit is not None:
            pictures, enlarged = _put_back(pictures, edit, request.upscale, self.device, notices)
        else:
            pictures, enlarged = _finished(pictures, size, request.upscale, self.device, notices)
        settings: dict[str, Any] = {
            "Steps": steps,
            "Sampler": sampler,
            "Guidance": guidance,
            "Size": f"{size}x{size}",
            "Upscale": enlarged,
            "Strength": strength if init is not None else None,
            "Inpaint": "yes" if latent_mask is not None else None,
            **edit_settings(request, edit),
        }
        params = format_parameters(
            request.prompt, self.model_id, seed, settings, model_hash=self.model_hash()
        )
        return ImageResult(tuple(pictures), self.model_id, seed, params, tuple(notices))


# --- the GAN --------------------------------------------------------------------------


class EmojiGANEngine(ImageEngine):
    """The emoji DCGAN: one-pass sampling, interpolation and GANSpace sliders."""

    family = "gan"

    def __init__(self, model_id: str, weights: Path, directions: Path | None) -> None:
        import torch

        from engines import device
        from engines.image import gan as G

        self.model_id = model_id
        self.model_file = weights
        self.torch = torch
        self.device = device.current().torch_device
        try:
            self.generator = G.load(weights, self.device)
        except Exception as exc:
            raise BadInput(
                message(
                    "image.bad_weights",
                    path=str(weights),
                    kind=message("image.kind.gan"),
                    reason=str(exc),
                )
            ) from None
        self._directions = self._spread = None
        if directions is not None and directions.exists():
            from safetensors.torch import load_file

            found = load_file(str(directions))
            self._directions, self._spread = found["directions"], found["spread"]

    def latent_shape(self) -> tuple[int, ...]:
        return (self.generator.cfg.z_dim,)

    def _decoded(self, latent: torch.Tensor) -> torch.Tensor:
        """(B, z_dim) -> (B, 4, 64, 64) in [-1, 1]: the 32-pixel output, enlarged."""
        import torch.nn.functional as F

        with self.torch.no_grad():
            images = self.generator(latent.to(self.device))
            return F.interpolate(images, size=NATIVE_SIZE, mode="bilinear", align_corners=False)

    def decode(self, latent: torch.Tensor) -> list[Image.Image]:
        return _pictures(self._decoded(latent))

    def frame(self, latent: torch.Tensor, *, upscale: bool = True) -> Image.Image:
        return _frame(self._decoded(latent[:1]), upscale, self.device)

    def directions(self) -> list[LatentDirection]:
        if self._directions is None or self._spread is None:
            return []
        return [
            LatentDirection(i, f"component {i + 1}", float(s))
            for i, s in enumerate(self._spread.tolist())
        ]

    def move(self, latent: torch.Tensor, index: int, amount: float) -> torch.Tensor:
        if self._directions is None or not 0 <= index < len(self._directions):
            raise BadInput(message("image.no_direction", model=self.model_id, index=index))
        return latent + amount * self._directions[index].to(latent.dtype)

    def generate(self, request: ImageRequest, ctx: JobContext) -> ImageResult:
        seed, size, notices = self._checked(request)
        pictures: list[Image.Image] = []
        enlarged: str | None = None
        for i in range(request.batch):
            picture = self.decode(self.random_latent(seed + i))[0]
            large, enlarged = _finished([picture], size, request.upscale, self.device, notices)
            pictures += large
            ctx.keep_partial(pictures)
            ctx.report(i + 1, request.batch, preview=picture)
        settings = {"Size": f"{size}x{size}", "Upscale": enlarged}
        params = format_parameters(
            request.prompt, self.model_id, seed, settings, model_hash=self.model_hash()
        )
        return ImageResult(tuple(pictures), self.model_id, seed, params, tuple(notices))
