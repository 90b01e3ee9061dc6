"""The music task's entry for :mod:`engines.registry`: ``load(model_id, ctx) -> Engine``.

Thin adapters over :mod:`engines.music.compose` and :mod:`engines.music.render`; the
requests and results are in :mod:`engines.music.types`:

- the two melody models (``melody-vae-2bar``, ``melody-transformer``) work together, so
  either id gives a :class:`MelodyEngine`. ``generate(MusicRequest)`` samples a melody
  (two bars from the VAE, continued by the Transformer), continues a MIDI file
  (``continue_from``, the Transformer) or morphs one into another (``interpolate``, the
  VAE), and returns a :class:`~engines.music.types.MusicResult`. The in-memory requests
  (continue, encode, interpolate latent codes, attribute edits, variations) are what
  the Music panel does between jobs and slider moves;
- the soundfont gives a :class:`RenderEngine`: ``generate(RenderRequest)`` plays an
  arrangement into stereo audio.

A request an engine cannot do is a one-line :class:`~engines.errors.BadInput`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import numpy as np

from engines.errors import BadInput
from engines.jobs import JobContext
from engines.messages import message
from engines.music.arrangement import Arrangement
from engines.music.types import (
    SOUNDFONT_ID,
    AttributeRequest,
    ContinueRequest,
    EncodeRequest,
    InterpolateRequest,
    InterpolateResult,
    MusicRequest,
    MusicResult,
    RenderRequest,
    VariationsRequest,
)

__all__ = [
    "DEFAULT_MODEL_ID",
    "SOUNDFONT_ID",
    "AttributeRequest",
    "ContinueRequest",
    "EncodeRequest",
    "InterpolateRequest",
    "InterpolateResult",
    "MelodyEngine",
    "RenderEngine",
    "RenderRequest",
    "VariationsRequest",
    "load",
]

DEFAULT_MODEL_ID = "melody-transformer"
SOUNDFONT_MODULE = "engines.music.render"
DEFAULT_TEMPERATURE = 0.9
DEFAULT_TEMPO_BPM = 110.0
# The models continue in 4/4; these read as 4/4 without a notice.
FOUR_FOUR_METERS = ("4/4", "2/4", "2/2")

MelodyRequest = (
    MusicRequest
    | ContinueRequest
    | EncodeRequest
    | InterpolateRequest
    | AttributeRequest
    | VariationsRequest
)


@dataclass
class MelodyEngine:
    """The melody VAE and Transformer behind the one engine interface."""

    model_id: str

    def generate(self, request: MelodyRequest, ctx: JobContext | None = None) -> Any:
        """A :class:`MusicResult` (sample, continue), the latent codes (encode), an
        :class:`InterpolateResult`, the tokens of an attribute edit, or a tuple of
        variations' tokens."""
        from engines.music import compose

        match request:
            case MusicRequest():
                return self._music(request, ctx)
            case ContinueRequest():
                seed = _seed(request.seed)
                prompt = compose.Melody(np.asarray(request.tokens, np.int64), request.key)
                melody = compose.extend(prompt, request.bars, _temperature(request), seed, ctx)
                return self._result(melody, seed, DEFAULT_TEMPO_BPM)
            case EncodeRequest():
                return compose.latents_of(np.asarray(request.tokens, np.int64))
            case InterpolateRequest():
                if request.a.shape != request.b.shape:
                    raise BadInput(
                        message("music.code_shapes", a=request.a.shape, b=request.b.shape)
                    )
                model = compose.vae()
                latents = tuple(
                    model.interpolate(request.a, request.b, t) for t in request.fractions
                )
                return InterpolateResult(tuple(model.decode(z) for z in latents), latents)
            case AttributeRequest():
                return compose.decode(request.latent, dict(request.amounts))
            case VariationsRequest():
                melody = compose.Melody(np.asarray(request.tokens, np.int64))
                found = compose.variations(
                    melody, request.count, request.spread, _seed(request.seed)
                )
                return tuple(m.tokens for m in found)
        raise BadInput(
            message(
                "music.makes_melodies",
                model=self.model_id,
                kind=type(request).__name__,
                soundfont=SOUNDFONT_ID,
            )
        )

    def _music(self, request: MusicRequest, ctx: JobContext | None) -> MusicResult:
        from engines.music import compose
        from engines.music.data import read_midi

        seed = _seed(request.seed)
        temperature = _temperature(request)
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
        return self._result(melody, seed, tempo or DEFAULT_TEMPO_BPM)

    def _result(self, melody: Any, seed: int, tempo: float) -> MusicResult:
        return MusicResult(
            tokens=tuple(int(t) for t in melody.tokens),
            model_id=self.model_id,
            seed=seed,
            tempo_bpm=tempo,
            key=melody.key,
            notices=tuple(melody.notices),
        )


def _seed(seed: int | None) -> int:
    return seed if seed is not None else random.randrange(2**31)


def _temperature(request: MusicRequest | ContinueRequest) -> float:
    return DEFAULT_TEMPERATURE if request.temperature is None else request.temperature


@dataclass
class RenderEngine:
    """The General MIDI soundfont: a :class:`RenderRequest` (or a bare
    :class:`~engines.music.arrangement.Arrangement`) in, stereo float32 audio (N, 2)
    out, normalised to -16 LUFS."""

    model_id: str

    def generate(
        self, request: RenderRequest | Arrangement, ctx: JobContext | None = None
    ) -> np.ndarray:
        from engines.music import render

        if isinstance(request, Arrangement):
            request = RenderRequest(request)
        if not isinstance(request, RenderRequest):
            raise BadInput(
                message(
                    "music.plays_arrangements", model=self.model_id, kind=type(request).__name__
                )
            )
        if ctx is not None:
            ctx.report(0, 1, message=message("progress.rendering"))
        audio = render.render(request.arrangement, tail=request.tail_seconds)
        if ctx is not None:
            ctx.report(1, 1, message=message("progress.rendered"))
        return audio


def load(model_id: str, ctx: JobContext | None = None) -> MelodyEngine | RenderEngine:
    """The engine for a music model; the weights load on first use and are kept."""
    from engines.catalogue import Catalogue

    entry = Catalogue().get(model_id)
    entry.require()  # missing files: a ModelUnavailable saying how to get them
    if entry.engine_module == SOUNDFONT_MODULE:
        return RenderEngine(model_id)
    if ctx is not None:
        ctx.report(0, None, message=message("progress.loading_melody_models"))
    return MelodyEngine(model_id)
