"""Requests and results of the image engines. ``None`` means "the model's default"."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class LoraWeight:
    """A LoRA file applied to a Stable Diffusion model, and how strongly (1 = as trained)."""

    path: Path
    weight: float = 1.0


@dataclass(frozen=True)
class LatentDirection:
    """A direction in a model's latent space that a slider can move along."""

    index: int
    name: str
    spread: float  # a typical distance along it; sliders span about ±3 of these


@dataclass(frozen=True)
class ImageRequest:
    """txt2img when ``init_image`` is None; img2img with it; inpainting with ``mask`` too.

    With an init image the result keeps its size and aspect (times ``scale``); a mask is
    redrawn in its bounding box grown by ``mask_padding`` and blended back through an
    edge blurred by ``mask_feather`` (see :mod:`engines.image.compose`); ``outpaint``
    grows the canvas and redraws the new strips."""

    prompt: str
    negative_prompt: str = ""
    model_id: str | None = None
    seed: int | None = None
    steps: int | None = None
    guidance: float | None = None
    width: int | None = None
    height: int | None = None
    batch: int = 1
    init_image: Path | None = None
    strength: float | None = None
    mask: Path | None = None
    mask_padding: int = 32  # pixels of context around the mask's bounding box
    mask_feather: float = 8.0  # blur radius of the composited mask edge, in pixels
    scale: float = 1.0  # the result's size relative to the input picture
    outpaint: tuple[int, int, int, int] = (0, 0, 0, 0)  # pixels added left, top, right, bottom
    sampler: str | None = None  # diffusion: "ddim" or "dpm++2m"
    size: int | None = None  # output side in pixels (square); the models make 64x64
    # Enlarge emoji models' pictures with the learned 4x upscaler (None: yes, when the
    # output is larger than 64); False enlarges with Lanczos instead.
    upscale: bool | None = None
    loras: tuple[LoraWeight, ...] = ()  # Stable Diffusion only: LoRA files and weights


@dataclass(frozen=True)
class ImageResult:
    images: tuple[Any, ...]  # PIL images
    model_id: str
    seed: int
    parameters: str  # the recipe, written to the PNG's ``parameters`` text chunk
    notices: tuple[str, ...] = ()  # what was changed about the request, said for a person
