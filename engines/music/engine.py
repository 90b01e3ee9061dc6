"""The music task's entry for :mod:`engines.registry`: ``load(model_id, ctx) -> Engine``.

Thin adapters over :mod:`engines.music.compose` and :mod:`engines.music.render`:

- the two melody models (``melody-vae-2bar``, ``melody-transformer``) work together, so
  either id gives a :class:`MelodyEngine`: ``generate(MusicRequest)`` samples a melody
  (two bars from the VAE, continued by the Transformer), continues a MIDI file
  (``continue_from``, the Transformer) or morphs one into another (``interpolate``, the
  VAE), and returns a :class:`~engines.music.types.MusicResult`;
- the soundfont gives a :class:`RenderEngine`: ``generate(Arrangement)`` plays the notes
  into stereo audio.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from engines.jobs import JobContext
from engines.music.types import MusicRequest, MusicResult

DEFAULT_MODEL_ID = "melody-transformer"
SOUNDFONT_ID = "fluidr3mono-gm"
SOUNDFONT_MODULE = "engines.music.render"
DEFAULT_TEMPERATURE = 0.9
DEFAULT_TEMPO_BPM = 110.0
# The models continue in 4/4; these read as 4/4 without a notice.
FOUR_FOUR_METERS = ("4/4", "2/4", "2/2")


@dataclass
class MelodyEngine:
    """The melody VAE and Transformer behind the one engine interface."""

    model_id: str

    def generate(self, request: MusicRequest, ctx: JobContext | None = None) -> MusicResult:
        from engines.music import compose
        from engines.music.data import read_midi

        seed = request.seed if request.seed is not None else random.randrange(2**31)
        temperature = DEFAULT_TEMPERATURE if request.temperature is None else request.temperature
        tempo = request.tempo_bpm
        if request.interpolate is not None:
            a, b = (read_midi(path) for path in request.interpolate)
            steps = compose.interpolate(
                compose.Melody(a.tokens, notices=a.notices),
                compose.Melody(b.tokens),
                request.steps,
            )
            melody = compose.join(steps)
            melody.notices = [f"A: {n}" for n in a.notices] + [f"B: {n}" for n in b.notices]
        elif request.continue_from is not None:
            read = read_midi(request.continue_from)
            prompt = compose.Melody(read.tokens, read.key, "4/4", notices=read.notices)
            melody = compose.extend(prompt, request.bars, temperature, seed, ctx)
            tempo = tempo or read.tempo_bpm
            if read.meter not in FOUR_FOUR_METERS:
                melody.notices.append(
                    f"the file is in {read.time_signature}; the models continue in 4/4, "
                    "so the new bars are in 4/4"
                )
        else:
            melody = compose.sample(request.bars, seed, temperature, ctx)
        return MusicResult(
            tokens=tuple(int(t) for t in melody.tokens),
            model_id=self.model_id,
            seed=seed,
            tempo_bpm=tempo or DEFAULT_TEMPO_BPM,
            key=melody.key,
            notices=tuple(melody.notices),
        )


@dataclass
class RenderEngine:
    """The General MIDI soundfont: an :class:`~engines.music.render.Arrangement` in,
    stereo float32 audio (N, 2) out, normalised to -16 LUFS."""

    model_id: str

    def generate(self, request: Any, ctx: JobContext | None = None) -> Any:
        from engines.music import render

        if ctx is not None:
            ctx.report(0, 1, message="rendering")
        audio = render.render(request)
        if ctx is not None:
            ctx.report(1, 1, message="rendered")
        return audio


def load(model_id: str, ctx: JobContext | None = None) -> MelodyEngine | RenderEngine:
    """The engine for a music model; the weights load on first use and are kept."""
    from engines.catalogue import Catalogue

    entry = Catalogue().get(model_id)
    entry.require()  # missing files: a ModelUnavailable saying how to get them
    if entry.engine_module == SOUNDFONT_MODULE:
        return RenderEngine(model_id)
    if ctx is not None:
        ctx.report(0, None, message="loading the melody models")
    return MelodyEngine(model_id)
