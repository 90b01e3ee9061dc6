"""The image task's entry for :mod:`engines.registry`: ``load(model_id, ctx) -> Engine``.

Picture models are the :class:`~engines.image.base.ImageEngine` family classes
(``load_engine`` keeps one per model). :class:`PictureEngine` puts one behind the engine
interface: its ``generate(request, ctx)`` draws for an
:class:`~engines.image.types.ImageRequest` (txt2img, img2img, inpainting) and serves the
Explore tab's requests below (latents, walks, direction sliders), so a caller never
touches the family class. The learned upscaler enlarges other models' pictures: its thin
adapter, :class:`UpscaleEngine`, takes an :class:`UpscaleRequest`. A request an engine
cannot do is a one-line :class:`~engines.errors.BadInput`.

Latents cross this boundary as opaque values: a caller gets them from a
:class:`LatentRequest` and hands them back in later requests to the same engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from engines.errors import BadInput, ModelUnavailable
from engines.image.types import ImageRequest, LatentDirection
from engines.jobs import JobContext
from engines.messages import message

if TYPE_CHECKING:
    from engines.image.base import ImageEngine

DEFAULT_MODEL_ID = "emoji-ldm"


# --- what a model offers, read before and after it loads -------------------------------


@dataclass(frozen=True)
class ModelDefaults:
    """What a model's controls should offer before it is loaded: its default steps and
    guidance, the samplers it takes (the first is its default; empty: it does not sample
    in steps), whether the learned upscaler enlarges its pictures and whether it takes
    LoRA files. ``note`` says anything unusual about the defaults, for a person."""

    steps: int
    guidance: float
    samplers: tuple[str, ...] = ()
    upscales: bool = False
    takes_loras: bool = False
    note: str = ""


def model_defaults(entry: Any) -> ModelDefaults:
    """The defaults for a catalogue entry, read without loading the model (a Stable
    Diffusion file's header at most), so the panel can set its controls at once."""
    if entry.engine_module == "engines.image.sd":
        from engines.image import sd

        files = entry.availability().paths
        turbo = bool(files) and sd.is_turbo(files[0])
        steps, guidance = sd.default_settings(turbo)
        note = "A Turbo model: one step without guidance (up to 4 steps sharpen it)."
        samplers = ("", *sd.SCHEDULERS)  # "": the model's own scheduler
        return ModelDefaults(
            steps, guidance, samplers, takes_loras=True, note=note if turbo else ""
        )
    from engines.image.emoji import EMOJI_SAMPLERS, EmojiDiffusionEngine

    if entry.family == "latent-diffusion":
        return ModelDefaults(
            EmojiDiffusionEngine.default_steps,
            EmojiDiffusionEngine.default_guidance,
            EMOJI_SAMPLERS,
            upscales=True,
        )
    emoji = entry.engine_module == "engines.image.emoji" and entry.family in ("vae", "gan")
    return ModelDefaults(1, 0.0, upscales=emoji)


@dataclass(frozen=True)
class ExploreInfoRequest:
    """Ask a loaded model what its Explore tab can do (answered with :class:`ExploreInfo`)."""


@dataclass(frozen=True)
class ExploreInfo:
    """What a loaded model offers for exploring."""

    model_id: str
    can_encode: bool  # a picture's own latent (else: the starting latent of its seed)
    prompt_walks: bool  # walks between (prompt, seed) pairs: see PromptWalkRequest
    directions: tuple[LatentDirection, ...]  # for the direction sliders; may be empty


# --- the Explore tab's requests --------------------------------------------------------


@dataclass(frozen=True)
class LatentRequest:
    """A latent to explore from: ``image``'s (PIL), encoded, for models with an encoder;
    else (no image) the model's starting latent for ``seed``."""

    image: Any = None
    seed: int | None = None


@dataclass(frozen=True)
class FrameRequest:
    """One picture of a latent. ``upscale``: at 256 pixels through the learned upscaler
    where the model has it; off, the model's own 64 pixels."""

    latent: Any
    upscale: bool = True


@dataclass(frozen=True)
class WalkRequest:
    """The picture at ``t`` in [0, 1] on the walk from latent ``a`` to latent ``b``
    (slerp, or the model's own interpolation)."""

    a: Any
    b: Any
    t: float
    upscale: bool = True


@dataclass(frozen=True)
class PromptWalkRequest:
    """The picture at ``t`` between two diffusion results ``(prompt, seed)``: their noise
    slerped and their prompts blended, then sampled with ``steps`` (t=0 and t=1 remake
    them). Only for models whose :class:`ExploreInfo` says ``prompt_walks``."""

    a: tuple[str, int]
    b: tuple[str, int]
    t: float
    steps: int
    guidance: float | None = None
    upscale: bool = True


@dataclass(frozen=True)
class DirectionRequest:
    """The pad's picture: the ``corners`` latents blended by ``weights`` (one each,
    summing to 1), then moved by each ``(direction index, amount)`` in ``amounts``."""

    corners: tuple[Any, ...]
    weights: tuple[float, ...]
    amounts: tuple[tuple[int, float], ...] = ()
    upscale: bool = True


@dataclass
class PictureEngine:
    """A picture model (an :class:`~engines.image.base.ImageEngine`) behind the one engine
    interface."""

    model: ImageEngine

    @property
    def model_id(self) -> str:
        return self.model.model_id

    def generate(self, request: Any, ctx: JobContext | None = None) -> Any:
        """An :class:`~engines.image.types.ImageResult` for an ``ImageRequest``; for the
        Explore requests a latent (``LatentRequest``), a PIL picture (``FrameRequest``,
        ``WalkRequest``, ``PromptWalkRequest``, ``DirectionRequest``) or an
        :class:`ExploreInfo`. Explore requests are quick and report no progress."""
        model = self.model
        if isinstance(request, ImageRequest):
            return model.generate(request, ctx)  # type: ignore[arg-type]  # families take None
        if isinstance(request, ExploreInfoRequest):
            return ExploreInfo(
                model.model_id,
                model.can_encode,
                hasattr(model, "walk_frame"),
                tuple(model.directions()),
            )
        if isinstance(request, LatentRequest):
            if request.image is not None:
                return model.encode(request.image)  # a one-line BadInput without an encoder
            if request.seed is None:
                raise BadInput(message("image.latent_needs"))
            return model.random_latent(request.seed)
        if isinstance(request, FrameRequest):
            return model.frame(request.latent, upscale=request.upscale)
        if isinstance(request, WalkRequest):
            latent = model.interpolate(request.a, request.b, request.t)
            return model.frame(latent, upscale=request.upscale)
        if isinstance(request, PromptWalkRequest):
            if not hasattr(model, "walk_frame"):
                raise BadInput(message("image.no_prompt_walk", model=self.model_id))
            return model.walk_frame(
                request.a,
                request.b,
                request.t,
                steps=request.steps,
                guidance=request.guidance,
                upscale=request.upscale,
            )
        if isinstance(request, DirectionRequest):
            return model.frame(_moved(model, request), upscale=request.upscale)
        raise BadInput(
            message("image.wrong_request", model=self.model_id, kind=type(request).__name__)
        )


def _moved(model: ImageEngine, request: DirectionRequest) -> Any:
    """The corners' weighted blend at a typical length, moved along the directions."""
    if len(request.weights) != len(request.corners) or not request.corners:
        raise BadInput(message("image.pad_weights"))
    pairs = list(zip(request.weights, request.corners, strict=True))
    blended = sum(w * z for w, z in pairs)
    # A weighted mean of Gaussian latents is too short; restore a typical length.
    norm = sum(w * z.norm() for w, z in pairs)
    latent = blended * (norm / blended.norm().clamp_min(1e-6))
    for index, amount in request.amounts:
        latent = model.move(latent, index, amount)
    return latent


@dataclass(frozen=True)
class UpscaleRequest:
    """A picture (PIL, any mode and size) to enlarge 4x; it is letter-boxed to the
    emoji models' 64x64 first, as their own pictures are."""

    image: Any


@dataclass
class UpscaleEngine:
    """The shipped emoji upscaler behind the one engine interface."""

    model_id: str
    model: Any  # engines.image.upscaler.Upscaler

    def generate(self, request: UpscaleRequest, ctx: JobContext | None = None) -> Any:
        """An :class:`~engines.image.types.ImageResult` with the 256-pixel picture."""
        import numpy as np
        import torch
        from PIL import Image

        from engines.image.base import to_model_rgba
        from engines.image.types import ImageResult
        from engines.image.vae import rgba_to_tensor, tensor_to_rgba

        if not isinstance(request, UpscaleRequest):
            raise BadInput(message("image.upscaler_only", model=self.model_id))
        if ctx is not None:
            ctx.report(0, 1, message=message("progress.upscaling"))
        small = np.array(to_model_rgba(request.image))[None]  # (1, 64, 64, 4), writable
        device = next(self.model.parameters()).device
        with torch.no_grad():
            big = self.model(rgba_to_tensor(torch.from_numpy(small)).to(device))
        picture = Image.fromarray(tensor_to_rgba(big)[0].cpu().numpy(), "RGBA")
        if ctx is not None:
            ctx.report(1, 1, message=message("progress.upscaled"))
        return ImageResult((picture,), self.model_id, 0, f"Upscaled 4x by {self.model_id}")


def load(model_id: str, ctx: JobContext | None = None) -> Any:
    """The image engine for ``model_id``, loaded once and kept."""
    from engines.catalogue import Catalogue
    from engines.image import emoji, registry

    entry = Catalogue().get(model_id)
    if entry.engine_module == "engines.image.upscaler":
        entry.require()  # missing weights: a ModelUnavailable saying how to get them
        model = emoji.load_upscaler()
        if model is None:
            raise ModelUnavailable(f"The weights of {entry.name} could not be read.")
        return UpscaleEngine(model_id, model)
    if ctx is not None:
        ctx.report(0, None, message=message("progress.loading_model"))
    return PictureEngine(registry.load_engine(model_id))
