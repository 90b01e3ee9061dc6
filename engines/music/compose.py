"""What the Music panel and ``sozo music`` do, in one Qt-free place.

Sampling takes the VAE's first two bars and lets the Transformer continue them (the VAE
alone would give unrelated 2-bar pieces); morphing, variations and attribute sliders
are the VAE's; continuation is the Transformer's. Models load once per process.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from engines.errors import BadInput
from engines.jobs import JobContext
from engines.messages import message
from engines.music.data import STEPS_PER_BAR, canonical, estimate_key
from engines.music.types import check_bars

if TYPE_CHECKING:
    from engines.music.melody_transformer import MelodyTransformer
    from engines.music.melody_vae import MelodyVAE

_load_lock = threading.Lock()


@functools.cache
def _vae() -> MelodyVAE:
    from engines.music.melody_vae import MelodyVAE

    return MelodyVAE.load()


@functools.cache
def _transformer() -> MelodyTransformer:
    from engines.music.melody_transformer import MelodyTransformer

    return MelodyTransformer.load()


def vae() -> MelodyVAE:
    with _load_lock:
        return _vae()


def transformer() -> MelodyTransformer:
    with _load_lock:
        return _transformer()


@dataclass
class Melody:
    """A melody with what is known of it (key and meter may be None: estimated)."""

    tokens: np.ndarray
    key: tuple[int, str] | None = None
    meter: str = "4/4"
    notices: list[str] = field(default_factory=list)

    @property
    def bars(self) -> int:
        return -(-len(self.tokens) // STEPS_PER_BAR)

    def key_or_estimate(self) -> tuple[int, str]:
        return self.key or estimate_key(self.tokens)


def sample(bars: int, seed: int, temperature: float, ctx: JobContext | None = None) -> Melody:
    """A new melody: two bars from the VAE's prior, continued by the Transformer."""
    check_bars(bars)
    # The VAE decodes greedily: the seed's latent is the randomness; the temperature is
    # the Transformer's.
    start = vae().sample(2, seed=seed, temperature=0.0)
    melody = Melody(start[: bars * STEPS_PER_BAR])
    if bars > 2:
        melody = extend(melody, bars - 2, temperature, seed, ctx)
    return melody


def extend(
    melody: Melody, bars: int, temperature: float, seed: int, ctx: JobContext | None = None
) -> Melody:
    """The melody followed by ``bars`` bars from the Transformer (the prompt unchanged)."""
    check_bars(bars)
    tokens = canonical(melody.tokens)
    whole = -(-len(tokens) // STEPS_PER_BAR) * STEPS_PER_BAR
    padded = np.concatenate([tokens, np.zeros(whole - len(tokens), dtype=np.int64)])

    def on_bar(done: int, total: int) -> None:
        if ctx is not None:
            ctx.report(done, total, message=message("progress.bar", done=done, total=total))

    key = melody.key_or_estimate()
    out = transformer().continue_melody(
        padded, bars, temperature, seed, key=key, meter="4/4", on_bar=on_bar
    )
    return Melody(out, melody.key, melody.meter, list(melody.notices))


def interpolate(a: Melody, b: Melody, steps: int) -> list[Melody]:
    """``steps`` melodies from A to B (both ends included), decoded from slerped latents."""
    if steps < 2:
        raise BadInput(message("music.morph_steps"))
    length = min(len(a.tokens), len(b.tokens))
    length = max(32, length - length % 32)
    model = vae()
    za = model.encode(_fit(a.tokens, length))
    zb = model.encode(_fit(b.tokens, length))
    out = []
    for t in np.linspace(0.0, 1.0, steps):
        out.append(Melody(model.decode(model.interpolate(za, zb, float(t)))))
    return out


def _fit(tokens: np.ndarray, length: int) -> np.ndarray:
    tokens = canonical(tokens)[:length]
    return np.concatenate([tokens, np.zeros(length - len(tokens), dtype=np.int64)])


def latents_of(tokens: np.ndarray) -> np.ndarray:
    return vae().encode(tokens)


def decode(z: np.ndarray, attributes: dict[str, float] | None = None) -> np.ndarray:
    model = vae()
    if attributes:
        z = model.with_attributes(z, attributes)
    return model.decode(z)


def variations(melody: Melody, count: int, spread: float, seed: int) -> list[Melody]:
    model = vae()
    z = model.encode(melody.tokens)
    return [Melody(model.decode(v), melody.key) for v in model.variations(z, count, spread, seed)]


def join(melodies: list[Melody]) -> Melody:
    """Melodies one after another, each padded to whole bars."""
    parts = []
    for m in melodies:
        whole = -(-len(m.tokens) // STEPS_PER_BAR) * STEPS_PER_BAR
        parts.append(_fit(m.tokens, whole))
    return Melody(canonical(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64))


def info() -> dict[str, Any]:
    """The figures stored with the two models (training steps, held-out accuracy...)."""
    return {"vae": vae().info, "transformer": transformer().info}
