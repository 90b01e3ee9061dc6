"""What the Image panel generates from, with no widgets in it.

The panel binds its prompt controls, the seed and its lock, the LoRA list and the Edit
tab's canvas (the picture being edited and the painted mask) to an :class:`ImageState`;
:meth:`ImageState.request` builds the :class:`~engines.image.types.ImageRequest` from
the state alone.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from engines.errors import BadInput
from engines.image.types import ImageRequest, LoraWeight
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
    edit_mask_changed = Signal(object)  # PIL "L" mask (white: redraw), or None: unpainted
    use_edit_changed = Signal(bool)  # generate from the edit picture (img2img, inpaint)

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
        init = folder / "init.png"
        self.edit_image.save(init)
        if self.edit_mask is None:
            return init, None
        mask = folder / "mask.png"
        self.edit_mask.save(mask)
        return init, mask

    def request(
        self,
        seed: int,
        *,
        init_image: Path | None = None,
        mask: Path | None = None,
    ) -> ImageRequest:
        """The request for these settings and ``seed``; an init image makes it img2img
        (with the state's strength), a mask makes it inpainting. LoRA files go only to a
        model that takes them."""
        if self.model_id is None:
            raise BadInput("Choose an image model first (Tools → Models lists what is installed).")
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
            size=self.size[0],
            sampler=self.sampler if self.takes_steps else None,
            upscale=self.upscale if self.takes_upscale else None,
            loras=self.loras if self.takes_loras else (),
        )
