"""The Explore tab's requests through the one engine interface: ``PictureEngine.generate``
dispatches on the request type to the model family, and a request it cannot do is a
one-line ``BadInput``. Tiny random models (tests/image/conftest.py), no Qt."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engines import registry
from engines.catalogue import Catalogue, Task
from engines.errors import BadInput
from engines.image.engine import (
    DirectionRequest,
    ExploreInfo,
    ExploreInfoRequest,
    FrameRequest,
    LatentRequest,
    PictureEngine,
    PromptWalkRequest,
    UpscaleRequest,
    WalkRequest,
    model_defaults,
)
from engines.jobs import JobContext

torch = pytest.importorskip("torch")
CTX = JobContext()


def pixels(picture: object) -> np.ndarray:
    return np.asarray(picture, dtype=np.float64)


@pytest.fixture
def tiny_vae_engine(tmp_path: Path) -> PictureEngine:
    from engines.image import vae as V

    torch.manual_seed(0)
    path = tmp_path / "explore-vae.safetensors"
    V.save(V.EmojiVAE(V.VAEConfig(channels=(4, 8, 8))), path)
    entry = Catalogue().import_model(
        path, "image", "vae", name="Explore VAE", engine_module="engines.image.emoji"
    )
    engine = registry.load(entry.id, task=Task.image)
    assert isinstance(engine, PictureEngine)
    return engine


def test_a_vae_explores_through_the_registry(tiny_vae_engine: PictureEngine) -> None:
    engine = tiny_vae_engine
    info = engine.generate(ExploreInfoRequest(), CTX)
    assert info == ExploreInfo(engine.model_id, True, False, ())
    a = engine.generate(LatentRequest(seed=1), CTX)
    b = engine.generate(LatentRequest(seed=2), CTX)
    assert torch.equal(a, engine.generate(LatentRequest(seed=1), CTX))  # seeded
    assert not torch.equal(a, b)
    start = engine.generate(FrameRequest(a, upscale=False), CTX)
    assert start.size == (64, 64)
    # The walk starts and ends at its latents' own pictures and passes elsewhere between.
    walk = [engine.generate(WalkRequest(a, b, t, upscale=False), CTX) for t in (0.0, 0.5, 1.0)]
    end = engine.generate(FrameRequest(b, upscale=False), CTX)
    assert np.abs(pixels(walk[0]) - pixels(start)).mean() < 0.5
    assert np.abs(pixels(walk[2]) - pixels(end)).mean() < 0.5
    assert np.abs(pixels(walk[1]) - pixels(start)).mean() > 0.5
    # A picture's latent: encoded, so it decodes near the picture it came from.
    latent = engine.generate(LatentRequest(image=start.convert("RGBA")), CTX)
    assert latent.shape == a.shape
    # The pad at a corner is that corner's picture; the VAE has no directions to move.
    corners = (a, b, a, b)
    at_corner = engine.generate(DirectionRequest(corners, (1.0, 0.0, 0.0, 0.0), (), False), CTX)
    assert np.abs(pixels(at_corner) - pixels(start)).mean() < 0.5
    with pytest.raises(BadInput, match="no latent directions"):
        engine.generate(DirectionRequest(corners, (1.0, 0.0, 0.0, 0.0), ((0, 1.0),)), CTX)
    with pytest.raises(BadInput, match="one weight for each corner"):
        engine.generate(DirectionRequest(corners, (1.0,)), CTX)


def test_requests_an_engine_cannot_do_are_one_line_errors(
    tiny_vae_engine: PictureEngine,
) -> None:
    engine = tiny_vae_engine
    a = engine.generate(LatentRequest(seed=1), CTX)
    with pytest.raises(BadInput, match="cannot walk between prompts"):
        engine.generate(PromptWalkRequest(("a cat", 1), ("a dog", 2), 0.5, steps=2), CTX)
    with pytest.raises(BadInput, match="cannot do a UpscaleRequest"):
        engine.generate(UpscaleRequest(engine.generate(FrameRequest(a), CTX)), CTX)
    with pytest.raises(BadInput, match="picture to encode or a seed"):
        engine.generate(LatentRequest(), CTX)


def test_a_gans_direction_sliders_move_the_pad(tiny_gan, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    engine = PictureEngine(tiny_gan)
    info = engine.generate(ExploreInfoRequest(), CTX)
    assert not info.can_encode and len(info.directions) == 3
    with pytest.raises(BadInput, match="cannot encode"):
        engine.generate(LatentRequest(image=object()), CTX)
    corners = tuple(engine.generate(LatentRequest(seed=s), CTX) for s in range(4))
    moves: list[tuple[object, int, float]] = []
    real_move = tiny_gan.move

    def move(latent, index, amount):  # type: ignore[no-untyped-def]
        moves.append((latent, index, amount))
        return real_move(latent, index, amount)

    monkeypatch.setattr(tiny_gan, "move", move)
    direction = info.directions[0]
    amounts = ((direction.index, 3 * direction.spread), (2, -1.0))
    weights = (0.4, 0.3, 0.2, 0.1)
    picture = engine.generate(DirectionRequest(corners, weights, amounts, False), CTX)
    assert picture.size == (64, 64)
    assert [(i, a) for _, i, a in moves] == list(amounts)  # every slider, in order
    blended = moves[0][0]
    # The blend of Gaussian corners is brought back to their weighted typical length.
    expected = sum(w * z.norm() for w, z in zip(weights, corners, strict=True))
    assert float(blended.norm()) == pytest.approx(float(expected), rel=1e-5)
    mean = sum(w * z for w, z in zip(weights, corners, strict=True))
    cosine = torch.nn.functional.cosine_similarity(blended.flatten(), mean.flatten(), dim=0)
    assert float(cosine) == pytest.approx(1.0, abs=1e-5)


def test_a_diffusion_model_walks_between_prompts(tiny_diffusion) -> None:  # type: ignore[no-untyped-def]
    engine = PictureEngine(tiny_diffusion)
    assert engine.generate(ExploreInfoRequest(), CTX).prompt_walks
    walk = PromptWalkRequest(("a red heart", 1), ("a blue star", 2), 0.0, steps=2, upscale=False)
    start = engine.generate(walk, CTX)
    direct = tiny_diffusion.walk_frame(walk.a, walk.b, 0.0, steps=2, upscale=False)
    assert np.array_equal(pixels(start), pixels(direct))


def test_model_defaults_are_read_from_the_entry_module() -> None:
    from engines.image.emoji import EMOJI_SAMPLERS, EmojiDiffusionEngine

    entries = {e.family: e for e in Catalogue().for_task(Task.image)}
    diffusion = model_defaults(entries["latent-diffusion"])
    assert diffusion.samplers == EMOJI_SAMPLERS and diffusion.upscales
    assert diffusion.steps == EmojiDiffusionEngine.default_steps
    assert model_defaults(entries["gan"]).samplers == ()
