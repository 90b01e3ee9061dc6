"""What the Image panel generates from, with no widgets in it.

The panel binds its prompt controls to an :class:`ImageState`; :meth:`ImageState.request`
builds the :class:`~engines.image.types.ImageRequest` from the state alone.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from engines.errors import BadInput
from engines.image.types import ImageRequest, LoraWeight
from studio.state import StateProperty


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

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # What the chosen model takes (set from its defaults): the rest is not sent.
        self.takes_steps = True
        self.takes_upscale = True
        self.takes_loras = False

    def request(
        self,
        seed: int,
        *,
        init_image: Path | None = None,
        mask: Path | None = None,
        loras: tuple[LoraWeight, ...] = (),
    ) -> ImageRequest:
        """The request for these settings; an init image makes it img2img (with the
        state's strength), a mask makes it inpainting."""
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
            loras=loras if self.takes_loras else (),
        )
