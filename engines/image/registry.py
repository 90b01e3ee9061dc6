"""Which engine family class runs a catalogue entry, loaded once and kept.

(What a model's controls offer before it loads, ``model_defaults``, is model info that
the panel reads: it lives in :mod:`engines.image.engine`.)

The top of ``engines.image``: it imports the families (``emoji`` here, ``sd`` and
``face_gan`` when an entry needs them), and no family imports it.
"""

from __future__ import annotations

import threading

from engines.errors import ModelUnavailable
from engines.image.base import ImageEngine
from engines.image.emoji import EmojiDiffusionEngine, EmojiGANEngine, EmojiVAEEngine

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
