"""The music engines through the one engine interface (``engines.registry``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engines import registry
from engines.catalogue import Task
from engines.jobs import JobContext
from engines.music import compose
from engines.music.engine import MelodyEngine, RenderEngine
from engines.music.types import MusicRequest, MusicResult
from tests.music.conftest import write_band_midi


@pytest.mark.usefixtures("tiny_models")
def test_the_melody_models_sample_and_continue_through_the_registry(tmp_path: Path) -> None:
    for model_id in ("melody-vae-2bar", "melody-transformer"):
        assert isinstance(registry.load(model_id, task=Task.music), MelodyEngine)
    engine = registry.load(None, task=Task.music)
    result = engine.generate(MusicRequest(bars=4, seed=5, temperature=0.9), JobContext())
    assert isinstance(result, MusicResult) and result.seed == 5
    direct = compose.sample(4, 5, 0.9)
    assert result.tokens == tuple(int(t) for t in direct.tokens)
    assert len(result.tokens) == 4 * 16

    band = write_band_midi(tmp_path / "band.mid")
    continued = engine.generate(MusicRequest(bars=2, seed=1, continue_from=band.path), JobContext())
    assert len(continued.tokens) > 2 * 16 and continued.key is not None


def test_the_soundfont_renders_through_the_registry() -> None:
    from engines.music.render import Arrangement

    engine = registry.load("fluidr3mono-gm", task=Task.music)
    assert isinstance(engine, RenderEngine)
    tokens = np.array([2 + 24, 1, 1, 1] * 4, dtype=np.int64)  # middle C held, four times
    audio = engine.generate(Arrangement(tokens, "piano", 120.0), JobContext())
    assert audio.ndim == 2 and audio.shape[1] == 2 and float(np.abs(audio).max()) > 0.01


@pytest.mark.usefixtures("tiny_models")
def test_the_panels_in_memory_requests_go_through_the_melody_engine() -> None:
    from engines.music.types import (
        AttributeRequest,
        ContinueRequest,
        EncodeRequest,
        InterpolateRequest,
        InterpolateResult,
        VariationsRequest,
    )

    engine = registry.load("melody-vae-2bar", task=Task.music)
    ctx = JobContext()
    tokens = np.array(compose.sample(2, 3, 0.9).tokens, dtype=np.int64)
    latent = engine.generate(EncodeRequest(tokens), ctx)
    assert np.array_equal(latent, compose.latents_of(tokens))

    a, b = np.full((1, 4), 3.0, np.float32), np.full((1, 4), -3.0, np.float32)
    found = engine.generate(InterpolateRequest(a, b, (0.0, 0.5, 1.0)), ctx)
    assert isinstance(found, InterpolateResult) and len(found.melodies) == 3
    vae = compose.vae()
    assert np.array_equal(found.melodies[0], vae.decode(a))
    assert np.array_equal(found.melodies[2], vae.decode(b))
    assert np.allclose(found.latents[1], vae.interpolate(a, b, 0.5))

    moved = engine.generate(AttributeRequest(latent, {"density": 2.0}), ctx)
    assert np.array_equal(moved, compose.decode(latent, {"density": 2.0}))

    continued = engine.generate(ContinueRequest(tokens, 2, seed=4, temperature=0.9), ctx)
    direct = compose.extend(compose.Melody(tokens), 2, 0.9, 4)
    assert isinstance(continued, MusicResult)
    assert continued.tokens == tuple(int(t) for t in direct.tokens)

    variations = engine.generate(VariationsRequest(tokens, 3, 0.6, seed=2), ctx)
    expected = compose.variations(compose.Melody(tokens), 3, 0.6, 2)
    assert len(variations) == 3
    assert all(np.array_equal(v, e.tokens) for v, e in zip(variations, expected, strict=True))


@pytest.mark.usefixtures("tiny_models")
def test_a_request_an_engine_cannot_do_is_one_line_bad_input() -> None:
    from engines.errors import BadInput
    from engines.music.render import Arrangement
    from engines.music.types import EncodeRequest, RenderRequest

    melody = registry.load(None, task=Task.music)
    soundfont = registry.load("fluidr3mono-gm", task=Task.music)
    tokens = np.zeros(32, dtype=np.int64)
    with pytest.raises(BadInput, match="cannot take RenderRequest") as raised:
        melody.generate(RenderRequest(Arrangement(tokens)), JobContext())
    assert "\n" not in str(raised.value)
    with pytest.raises(BadInput, match="cannot take EncodeRequest"):
        soundfont.generate(EncodeRequest(tokens), JobContext())
    with pytest.raises(BadInput, match="different shapes"):
        from engines.music.types import InterpolateRequest

        melody.generate(
            InterpolateRequest(np.zeros((1, 4)), np.zeros((2, 4)), (0.5,)), JobContext()
        )


def test_a_render_request_sets_the_release_tail() -> None:
    from engines.music.arrangement import SAMPLE_RATE, Arrangement
    from engines.music.types import RenderRequest

    soundfont = registry.load("fluidr3mono-gm", task=Task.music)
    tokens = np.array([2 + 24, 1, 1, 1] * 4, dtype=np.int64)  # one bar at 120 BPM: 2 s
    short = soundfont.generate(RenderRequest(Arrangement(tokens), tail_seconds=0.0), JobContext())
    long = soundfont.generate(RenderRequest(Arrangement(tokens), tail_seconds=1.0), JobContext())
    assert len(short) == round(2.0 * SAMPLE_RATE) and len(long) == round(3.0 * SAMPLE_RATE)
