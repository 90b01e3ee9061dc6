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
