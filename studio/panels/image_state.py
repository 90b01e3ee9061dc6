"""What the Image panel generates from, with no widgets in it.

The panel binds its prompt controls, the seed and its lock, the LoRA list and the Edit
tab's canvas (the picture being edited and the painted mask) to an :class:`ImageState`;
:meth:`ImageState.request` builds the :class:`~engines.image.types.ImageRequest` from
the state alone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from engines.errors import BadInput
from engines.image.engine import DirectionRequest, PromptWalkRequest, WalkRequest
from engines.image.types import ImageRequest, LoraWeight
from engines.imagefile import Recipe
from studio.state import StateProperty

MAX_SEED = 2**31 - 1


class ImageState(QObject):
    """The prompt, the model and its settings, and what the chosen model takes."""

    prompt_changed = Signal(str)
    negative_prompt_changed = Signal(str)
    model_id_changed = Signal(object)  # str, or None while no model is listed
    steps_changed = Signal(int)
    guidance_changed = Signal(float)
    batch_changed = Signal(int)
    size_changed = Signal(object)  # (width, height)
    sampler_changed = Signal(object)  # str, or None for the model's own
    upscale_changed = Signal(bool)
    strength_changed = Signal(float)  # img2img: how much of the picture changes, 0.05..1
    seed_changed = Signal(int)
    seed_locked_changed = Signal(bool)  # locked: the seed stays for the next generations
    loras_changed = Signal(object)  # tuple[LoraWeight, ...], in the order they apply
    edit_image_changed = Signal(object)  # PIL picture as the model gets it, or None
    # A PIL "L" mask (white: redraw), or the canvas's MaskView of one; None: unpainted.
    edit_mask_changed = Signal(object)
    use_edit_changed = Signal(bool)  # generate from the edit picture (img2img, inpaint)
    mask_padding_changed = Signal(int)  # pixels of context around the mask's box
    mask_feather_changed = Signal(float)  # blur radius of the mask's edge, pixels
    scale_changed = Signal(float)  # an edit's result size against the picture
    outpaint_changed = Signal(object)  # pixels added left, top, right, bottom

    prompt: StateProperty[str] = StateProperty("")
    negative_prompt: StateProperty[str] = StateProperty("")
    model_id: StateProperty[str | None] = StateProperty(None)
    steps: StateProperty[int] = StateProperty(25)
    guidance: StateProperty[float] = StateProperty(2.5)
    batch: StateProperty[int] = StateProperty(4)
    size: StateProperty[tuple[int, int]] = StateProperty((256, 256))
    sampler: StateProperty[str | None] = StateProperty(None)
    upscale: StateProperty[bool] = StateProperty(True)
    strength: StateProperty[float] = StateProperty(0.6)
    seed: StateProperty[int] = StateProperty(0)
    seed_locked: StateProperty[bool] = StateProperty(False)
    loras: StateProperty[tuple[LoraWeight, ...]] = StateProperty(())
    edit_image: StateProperty[Any] = StateProperty(None)
    edit_mask: StateProperty[Any] = StateProperty(None)
    use_edit: StateProperty[bool] = StateProperty(False)
    mask_padding: StateProperty[int] = StateProperty(32)
    mask_feather: StateProperty[float] = StateProperty(8.0)
    scale: StateProperty[float] = StateProperty(1.0)
    outpaint: StateProperty[tuple[int, int, int, int]] = StateProperty((0, 0, 0, 0))

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # What the chosen model takes (set from its defaults): the rest is not sent.
        self.takes_steps = True
        self.takes_upscale = True
        self.takes_loras = False
        self.seed = random.randint(0, 99_999)

    def roll_seed(self) -> int:
        """Draw a new random seed now."""
        self.seed = random.randint(0, MAX_SEED)
        return self.seed

    def next_seed(self) -> int:
        """The seed for a generation about to start: a new one unless it is locked."""
        return self.seed if self.seed_locked else self.roll_seed()

    @property
    def editing(self) -> bool:
        """Whether the next generation starts from the edit picture."""
        return self.use_edit and self.edit_image is not None

    def edit_files(self, folder: Path) -> tuple[Path | None, Path | None]:
        """(init picture, mask) written into ``folder`` for the engine when generating
        from the edit picture (the mask only where one is painted); else (None, None)."""
        if not self.editing:
            return None, None
        # Uncompressed TIFF, not PNG: this runs on the GUI thread, and a 6000x4000 photo
        # takes 0.2 s this way against 6 to 60 s as PNG (the engine reads either).
        init = folder / "init.tiff"
        self.edit_image.save(init, format="TIFF", compression="raw")
        if self.edit_mask is None:
            return init, None
        mask = folder / "mask.png"
        self.edit_mask.save(mask)
        return init, mask

    def apply_edit_recipe(self, recipe: Recipe) -> None:
        """Take a result's mask padding, mask feather and scale from its recipe (those
        it records; the rest stay as they are). Not its outpainting: that result already
        has the added strips, and growing it again is a choice of its own."""
        if recipe.mask_padding is not None:
            self.mask_padding = recipe.mask_padding
        if recipe.mask_feather is not None:
            self.mask_feather = recipe.mask_feather
        if recipe.scale is not None:
            self.scale = recipe.scale

    def request(
        self,
        seed: int,
        *,
        init_image: Path | None = None,
        mask: Path | None = None,
    ) -> ImageRequest:
        """The request for these settings and ``seed``; an init image makes it img2img
        (with the state's strength and result scale), a mask makes it inpainting (with
        its padding and feather). LoRA files go only to a model that takes them."""
        if self.model_id is None:
            raise BadInput(
                self.tr("Choose an image model first (Tools → Models lists what is installed).")
            )
        return ImageRequest(
            prompt=self.prompt.strip(),
            negative_prompt=self.negative_prompt.strip(),
            model_id=self.model_id,
            seed=seed,
            steps=self.steps,
            guidance=self.guidance,
            batch=self.batch,
            init_image=init_image,
            strength=self.strength if init_image is not None else None,
            mask=mask,
            mask_padding=self.mask_padding,
            mask_feather=self.mask_feather,
            scale=self.scale if init_image is not None else 1.0,
            outpaint=self.outpaint if init_image is not None else (0, 0, 0, 0),
            size=self.size[0],
            sampler=self.sampler if self.takes_steps else None,
            upscale=self.upscale if self.takes_upscale else None,
            loras=self.loras if self.takes_loras else (),
        )


# -- the Explore tab ---------------------------------------------------------------------
# Latents are tensors: the walk and the pad corners are compared by identity (a new walk
# is a new object), never element by element.


@dataclass(frozen=True, eq=False)
class LatentWalk:
    """A walk through the latent between two results' latents."""

    a: Any
    b: Any


@dataclass(frozen=True, eq=False)
class PromptWalk:
    """A diffusion walk between two results made from prompts: their (prompt, seed) and
    the sampler steps and guidance of the first."""

    a: tuple[str, int]
    b: tuple[str, int]
    steps: int
    guidance: float | None


@dataclass(frozen=True, eq=False)
class PadCorners:
    """The four latents at the pad's corners (top left, top right, bottom left, bottom
    right)."""

    latents: tuple[Any, Any, Any, Any]


class ExploreState(QObject):
    """What the Explore tab shows, with no widgets in it: the A→B walk and where on it the
    slider is, the pad's four corners and its point, and the direction sliders' amounts.
    The tab's widgets are views over it; the frames' requests are built from it."""

    walk_changed = Signal(object)  # LatentWalk | PromptWalk | None
    position_changed = Signal(float)  # 0: result A, 1: result B
    corners_changed = Signal(object)  # PadCorners | None
    pad_point_changed = Signal(object)  # (u, v) in [0, 1]^2
    direction_amounts_changed = Signal(object)  # ((direction index, amount), ...)

    walk: StateProperty[LatentWalk | PromptWalk | None] = StateProperty(None)
    position: StateProperty[float] = StateProperty(0.0)
    corners: StateProperty[PadCorners | None] = StateProperty(None)
    pad_point: StateProperty[tuple[float, float]] = StateProperty((0.5, 0.5))
    direction_amounts: StateProperty[tuple[tuple[int, float], ...]] = StateProperty(())

    def set_amount(self, index: int, amount: float) -> None:
        """One direction slider's amount (0 removes it)."""
        amounts = dict(self.direction_amounts)
        amounts[index] = amount
        self.direction_amounts = tuple(sorted((i, a) for i, a in amounts.items() if a != 0))

    def clear(self) -> None:
        """Another model: its latents mean nothing to the next one."""
        self.walk = None
        self.corners = None
        self.direction_amounts = ()

    def walk_request(
        self, t: float, *, upscale: bool, draft_steps: int | None = None
    ) -> WalkRequest | PromptWalkRequest | None:
        """The frame at ``t`` of the walk (None: no walk yet). ``draft_steps`` caps a
        diffusion walk's sampler steps while its slider is dragged."""
        walk = self.walk
        if isinstance(walk, PromptWalk):
            steps = min(walk.steps, draft_steps) if draft_steps else walk.steps
            return PromptWalkRequest(walk.a, walk.b, t, steps, walk.guidance, upscale)
        if isinstance(walk, LatentWalk):
            return WalkRequest(walk.a, walk.b, t, upscale)
        return None

    def pad_request(self, weights: tuple[float, ...], *, upscale: bool) -> DirectionRequest | None:
        """The pad's frame for the corners' ``weights`` and the direction amounts (None: no
        corners yet)."""
        if self.corners is None:
            return None
        return DirectionRequest(
            corners=self.corners.latents,
            weights=weights,
            amounts=self.direction_amounts,
            upscale=upscale,
        )
