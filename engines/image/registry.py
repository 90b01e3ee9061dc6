"""Which engine runs a catalogue entry, and what its controls offer before it loads.

The top of ``engines.image``: it imports the families (``emoji`` here, ``sd`` and
``face_gan`` when an entry needs them), and no family imports it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from engines.errors import ModelUnavailable
from engines.image.base import ImageEngine
from engines.image.emoji import (
    EMOJI_SAMPLERS,
    EmojiDiffusionEngine,
    EmojiGANEngine,
    EmojiVAEEngine,
)

DEFAULT_MODEL = "emoji-ldm"
EMOJI_MODULE = "engines.image.emoji"


_engines: dict[str, ImageEngine] = {}
_lock = threading.Lock()


def load_engine(model_id: str | None = None) -> ImageEngine:
    """The engine for a catalogue entry, loaded once and kept."""
    from engines.catalogue import Catalogue

    model_id = model_id or DEFAULT_MODEL
    with _lock:
        if model_id in _engines:
            return _engines[model_id]
        entry = Catalogue().get(model_id)
        files = entry.require()
        if entry.engine_module == "engines.image.sd":
            from engines.image.sd import StableDiffusionEngine

            engine: ImageEngine = StableDiffusionEngine(model_id, files[0])
        elif entry.family == "latent-diffusion":
            engine = EmojiDiffusionEngine(model_id, files[0], files[1], files[2])
        elif entry.family == "vae":
            engine = EmojiVAEEngine(model_id, files[0])
        elif entry.engine_module == "engines.image.face_gan":
            from engines.image.face_gan import FaceGANEngine

            engine = FaceGANEngine(model_id, files[0], entry.licence_note)
        elif entry.family == "gan" and entry.engine_module == EMOJI_MODULE:
            engine = EmojiGANEngine(model_id, files[0], files[1] if len(files) > 1 else None)
        else:
            raise ModelUnavailable(f"The model {model_id} is not run by the emoji image engine.")
        _engines[model_id] = engine
        return engine


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
    if entry.family == "latent-diffusion":
        return ModelDefaults(
            EmojiDiffusionEngine.default_steps,
            EmojiDiffusionEngine.default_guidance,
            EMOJI_SAMPLERS,
            upscales=True,
        )
    emoji = entry.engine_module == EMOJI_MODULE and entry.family in ("vae", "gan")
    return ModelDefaults(1, 0.0, upscales=emoji)
