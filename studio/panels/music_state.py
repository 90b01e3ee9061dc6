"""What the Music panel shows and generates from, with no widgets in it.

The panel binds its controls to this state (``studio.state.bind``), its piano roll
follows ``melody``, the melody A and B thumbnails follow ``melody_a`` and ``melody_b``
and the strip under the morph slider follows ``strip``. Every request the panel sends to
an engine is built here, from the state, never from widgets.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from engines.music.arrangement import Arrangement, describe
from engines.music.data import STEPS_PER_BAR, MidiPart
from engines.music.instruments import INSTRUMENT_NAMES
from engines.music.types import (
    AttributeRequest,
    ContinueRequest,
    InterpolateRequest,
    MusicRequest,
    RenderRequest,
    VariationsRequest,
)
from engines.recipes import MusicRecipe
from studio.state import StateProperty

EXPORT_FORMATS = ("wav", "flac", "ogg", "mp3")
MODELS = "melody-vae-2bar+melody-transformer"
# The VAE's attribute directions (the keys of its ``attributes``); ``<name>_amount`` is
# how far the melody is moved along each.
ATTRIBUTES = ("density", "range", "syncopation")
ATTRIBUTE_SCALE = 50  # an attribute slider's step: its -100..100 are amounts -2..2
STRIP_MELODIES = 5  # in-between melodies (or variations) shown under the morph slider
VARIATION_SPREAD = 0.6  # how far from the melody's code variations are drawn
SLOT_BARS = 2  # melody A or B sampled into its slot: one VAE window


class MusicState(QObject):
    """The melody in the roll (tokens padded to whole bars), its render settings, the
    tracks of the MIDI file it came from that play under it (``kept``), melody A and B
    of the morph with their latent codes, the morph position, the strip of in-between
    melodies or variations, and the attribute amounts."""

    melody_changed = Signal(object)  # np.ndarray of tokens
    temperature_changed = Signal(float)
    instrument_changed = Signal(str)
    tempo_changed = Signal(int)  # BPM
    accompaniment_changed = Signal(bool)  # bass and chords under the melody
    bars_changed = Signal(int)  # how many bars Sample makes and Continue adds
    export_format_changed = Signal(str)
    melody_a_changed = Signal(object)  # np.ndarray of tokens, or None: empty
    melody_b_changed = Signal(object)
    latent_a_changed = Signal(object)  # (chunks, latent) codes of melody A, or None
    latent_b_changed = Signal(object)
    morph_changed = Signal(float)  # 0: melody A, 1: melody B
    strip_changed = Signal(object)  # np.ndarray (melodies, steps)
    density_amount_changed = Signal(float)  # attribute amounts, -2..2 (0: the melody as it is)
    range_amount_changed = Signal(float)
    syncopation_amount_changed = Signal(float)

    melody: StateProperty[np.ndarray] = StateProperty(np.zeros(2 * STEPS_PER_BAR, np.int64))
    temperature: StateProperty[float] = StateProperty(0.9)
    instrument: StateProperty[str] = StateProperty(INSTRUMENT_NAMES[0])
    tempo: StateProperty[int] = StateProperty(110)
    accompaniment: StateProperty[bool] = StateProperty(False)
    bars: StateProperty[int] = StateProperty(8)
    export_format: StateProperty[str] = StateProperty(EXPORT_FORMATS[0])
    melody_a: StateProperty[np.ndarray | None] = StateProperty(None)
    melody_b: StateProperty[np.ndarray | None] = StateProperty(None)
    latent_a: StateProperty[np.ndarray | None] = StateProperty(None)
    latent_b: StateProperty[np.ndarray | None] = StateProperty(None)
    morph: StateProperty[float] = StateProperty(0.0)
    strip: StateProperty[np.ndarray] = StateProperty(np.zeros((0, 2 * STEPS_PER_BAR), np.int64))
    density_amount: StateProperty[float] = StateProperty(0.0)
    range_amount: StateProperty[float] = StateProperty(0.0)
    syncopation_amount: StateProperty[float] = StateProperty(0.0)

    def __init__(self, seed: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.seed = seed  # the last seed used; each sampling takes the next one
        self.kept: tuple[MidiPart, ...] = ()
        # The code the attribute amounts move from: the melody's, or the morph's point.
        self.base_latent: np.ndarray | None = None

    def next_seed(self) -> int:
        self.seed += 1
        return self.seed

    def has_notes(self) -> bool:
        return bool((self.melody >= 2).any())  # tokens 0 and 1 are rest and hold

    # -- melody A and B ------------------------------------------------------------------
    def set_slot(self, name: str, tokens: np.ndarray) -> None:
        """Melody ``name`` ("A" or "B") is ``tokens``; its code is unknown until encoded."""
        setattr(self, f"latent_{name.lower()}", None)
        setattr(self, f"melody_{name.lower()}", tokens)

    def morph_latents(self) -> tuple[np.ndarray, np.ndarray] | None:
        """Melody A's and B's codes cut to the same number of chunks, or None."""
        a, b = self.latent_a, self.latent_b
        if a is None or b is None:
            return None
        chunks = min(len(a), len(b))
        return a[:chunks], b[:chunks]

    # -- attributes ----------------------------------------------------------------------
    def attribute_amounts(self) -> dict[str, float]:
        return {name: float(getattr(self, f"{name}_amount")) for name in ATTRIBUTES}

    def reset_attributes(self) -> None:
        for name in ATTRIBUTES:
            setattr(self, f"{name}_amount", 0.0)

    # -- requests ------------------------------------------------------------------------
    def sample_request(self, bars: int | None = None) -> MusicRequest:
        """A new melody of ``bars`` (None: the state's bars) with the next seed."""
        bars = self.bars if bars is None else bars
        return MusicRequest(bars=bars, seed=self.next_seed(), temperature=self.temperature)

    def continue_request(self) -> ContinueRequest:
        return ContinueRequest(
            self.melody.copy(), self.bars, seed=self.next_seed(), temperature=self.temperature
        )

    def variations_request(self) -> VariationsRequest:
        return VariationsRequest(
            self.melody.copy(), STRIP_MELODIES, VARIATION_SPREAD, seed=self.next_seed()
        )

    def strip_request(self) -> InterpolateRequest | None:
        """The in-between melodies from A to B (both ends included), or None."""
        pair = self.morph_latents()
        if pair is None:
            return None
        fractions = tuple(float(t) for t in np.linspace(0, 1, STRIP_MELODIES))
        return InterpolateRequest(pair[0], pair[1], fractions)

    def morph_request(self) -> InterpolateRequest | None:
        """The melody at the morph slider's point between A and B, or None."""
        pair = self.morph_latents()
        return None if pair is None else InterpolateRequest(pair[0], pair[1], (self.morph,))

    def attribute_request(self) -> AttributeRequest | None:
        """The base code moved by the attribute amounts, or None with no base code."""
        if self.base_latent is None:
            return None
        return AttributeRequest(self.base_latent, self.attribute_amounts())

    def arrangement(self) -> Arrangement:
        """What the renderer plays: the melody, its settings and the kept tracks."""
        return Arrangement(
            self.melody.copy(),
            self.instrument,
            float(self.tempo),
            self.accompaniment,
            kept=self.kept,
        )

    def render_request(self) -> RenderRequest:
        return RenderRequest(self.arrangement())

    def recipe(self) -> MusicRecipe:
        """The settings written into an exported file as its recipe (engines.recipes)."""
        return MusicRecipe(
            models=MODELS,
            seed=self.seed,
            temperature=float(self.temperature),
            instrument=self.instrument,
            tempo=int(self.tempo),
            bars=int(self.bars),
            accompaniment=bool(self.accompaniment),
        )

    def apply_recipe(self, recipe: MusicRecipe) -> list[str]:
        """Take a file's recipe as the settings; returns what could not be taken (an
        instrument this studio does not have, another model)."""
        skipped: list[str] = []
        self.seed = recipe.seed
        self.temperature = float(recipe.temperature)
        if recipe.instrument in INSTRUMENT_NAMES:
            self.instrument = recipe.instrument
        else:
            skipped.append(recipe.instrument)
        if recipe.models != MODELS:
            skipped.append(recipe.models)
        self.tempo = int(recipe.tempo)
        self.bars = int(recipe.bars)
        self.accompaniment = bool(recipe.accompaniment)
        return skipped

    def settings_comment(self) -> str:
        """The settings written into an exported file's comment tag."""
        return describe(
            {
                "models": MODELS,
                "seed": self.seed,
                "temperature": self.temperature,
                "instrument": self.instrument,
                "tempo": self.tempo,
                "accompaniment": self.accompaniment,
            }
        )
