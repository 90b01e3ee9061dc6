"""The image engines through the one engine interface (``engines.registry``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engines import registry
from engines.catalogue import Catalogue, Task
from engines.errors import BadInput
from engines.image.engine import UpscaleEngine, UpscaleRequest
from engines.image.types import ImageRequest, ImageResult
from engines.jobs import JobContext

torch = pytest.importorskip("torch")


def test_an_imported_vae_draws_through_the_registry(tmp_path: Path) -> None:
    from engines.image import vae as V

    torch.manual_seed(0)
    path = tmp_path / "registry-vae.safetensors"
    V.save(V.EmojiVAE(V.VAEConfig(channels=(4, 8, 8))), path)
    entry = Catalogue().import_model(
        path, "image", "vae", name="Registry VAE", engine_module="engines.image.emoji"
    )
    engine = registry.load(entry.id, task=Task.image)
    request = ImageRequest(prompt="", model_id=entry.id, seed=3, size=64)
    result = engine.generate(request, JobContext())
    assert isinstance(result, ImageResult) and result.model_id == entry.id
    assert result.images[0].size == (64, 64)
    again = engine.generate(request, JobContext())
    assert again.images[0].tobytes() == result.images[0].tobytes()  # seeded


def test_the_upscaler_enlarges_through_the_registry(tiny_upscaler) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    engine = registry.load("emoji-upscaler", task=Task.image)
    assert isinstance(engine, UpscaleEngine)
    picture = Image.new("RGBA", (64, 64), (200, 30, 30, 255))
    result = engine.generate(UpscaleRequest(picture), JobContext())
    assert result.images[0].size == (256, 256)
    with pytest.raises(BadInput, match="enlarges pictures"):
        engine.generate(ImageRequest(prompt="heart"), JobContext())
