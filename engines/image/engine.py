"""The image task's entry for :mod:`engines.registry`: ``load(model_id, ctx) -> Engine``.

Picture models are the :class:`~engines.image.base.ImageEngine` family classes
(``load_engine`` keeps one per model); their ``generate(ImageRequest, ctx)`` already is
the engine interface. The learned upscaler enlarges other models' pictures: its thin
adapter, :class:`UpscaleEngine`, takes an :class:`UpscaleRequest`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engines.errors import BadInput, ModelUnavailable
from engines.jobs import JobContext

DEFAULT_MODEL_ID = "emoji-ldm"


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
            raise BadInput(
                f"{self.model_id} enlarges pictures, it does not draw them: choose a model "
                "that draws (e.g. emoji-ldm)."
            )
        if ctx is not None:
            ctx.report(0, 1, message="upscaling")
        small = np.array(to_model_rgba(request.image))[None]  # (1, 64, 64, 4), writable
        device = next(self.model.parameters()).device
        with torch.no_grad():
            big = self.model(rgba_to_tensor(torch.from_numpy(small)).to(device))
        picture = Image.fromarray(tensor_to_rgba(big)[0].cpu().numpy(), "RGBA")
        if ctx is not None:
            ctx.report(1, 1, message="upscaled")
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
        ctx.report(0, None, message="loading the model")
    return registry.load_engine(model_id)
