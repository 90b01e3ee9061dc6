"""The 4x upscaler and the evaluation's classifier and KID, on tiny random networks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from PIL import Image

from engines.image import base, emoji
from engines.image import classifier as C
from engines.image import upscaler as U
from engines.image.types import ImageRequest
from engines.image.vae import rgba_to_tensor
from engines.jobs import JobContext


def test_upscaler_makes_4x_and_starts_as_bilinear() -> None:
    model = U.Upscaler(U.UpscalerConfig(width=8, blocks=1)).eval()
    x = torch.rand(2, 4, 64, 64) * 2 - 1
    with torch.no_grad():
        y = model(x)
    assert y.shape == (2, 4, 256, 256)
    # The learned residual starts at zero, so training begins from plain bilinear.
    bilinear = torch.nn.functional.interpolate(x, scale_factor=4.0, mode="bilinear")
    assert torch.allclose(y, bilinear.clamp(-1, 1), atol=1e-6)


def test_upscaler_weights_round_trip_and_other_files_are_refused(
    tmp_path: Path, tiny_files: dict[str, Path]
) -> None:
    torch.manual_seed(1)
    model = U.Upscaler(U.UpscalerConfig(width=8, blocks=1))
    torch.nn.init.normal_(model.tail.weight, 0.0, 0.2)
    U.save(model, tmp_path / "up.safetensors")
    again = U.load(tmp_path / "up.safetensors")
    x = torch.rand(1, 4, 16, 16)
    with torch.no_grad():
        assert torch.equal(model.eval()(x), again(x))
    with pytest.raises(ValueError, match="not an emoji upscaler"):
        U.load(tiny_files["vae"])


def test_generate_upscales_by_default_and_lanczos_when_off(
    tiny_gan: Any, tiny_upscaler: U.Upscaler
) -> None:
    on = tiny_gan.generate(ImageRequest("", seed=4, size=256), JobContext())
    off = tiny_gan.generate(ImageRequest("", seed=4, size=256, upscale=False), JobContext())
    assert on.images[0].size == off.images[0].size == (256, 256)
    assert "Upscale: learned 4x" in on.parameters and "Upscale: Lanczos" in off.parameters
    latent = tiny_gan.random_latent(4)
    small = tiny_gan.decode(latent)[0]
    assert np.array_equal(np.asarray(off.images[0]), np.asarray(base.resize_output(small, 256)))
    with torch.no_grad():
        pixels = torch.from_numpy(np.asarray(small).copy())[None]
        expected = emoji._pictures(tiny_upscaler(rgba_to_tensor(pixels)))[0]
        # A slider frame goes from the decoded tensor straight through the upscaler.
        expected_frame = emoji._pictures(tiny_upscaler(tiny_gan._decoded(latent)))[0]
    assert np.array_equal(np.asarray(on.images[0]), np.asarray(expected))
    assert np.abs(np.asarray(on.images[0], np.float32) - np.asarray(off.images[0])).mean() > 2
    frame = tiny_gan.frame(latent)
    assert np.array_equal(np.asarray(frame), np.asarray(expected_frame))
    assert tiny_gan.frame(tiny_gan.random_latent(4), upscale=False).size == (64, 64)
    # At 64 pixels nothing is enlarged.
    native = tiny_gan.generate(ImageRequest("", seed=4, size=64), JobContext())
    assert "Upscale" not in native.parameters


def test_diffusion_and_vae_results_go_through_the_upscaler(
    tiny_diffusion: Any, tiny_upscaler: U.Upscaler
) -> None:
    result = tiny_diffusion.generate(ImageRequest("red heart", seed=1, steps=2), JobContext())
    assert result.images[0].size == (256, 256)
    assert "Upscale: learned 4x" in result.parameters
    latent = tiny_diffusion.random_latent(2)
    assert tiny_diffusion.frame(latent).size == (256, 256)
    walk = tiny_diffusion.walk_frame(("red heart", 1), ("blue star", 2), 0.5, steps=2)
    assert walk.size == (256, 256)
    walk = tiny_diffusion.walk_frame(("red", 1), ("blue", 2), 0.5, steps=2, upscale=False)
    assert walk.size == (64, 64)


def test_a_missing_upscaler_falls_back_to_lanczos_and_says_so(
    tiny_gan: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(emoji, "_upscaler", None)
    monkeypatch.setattr(emoji, "_upscaler_missing", "The model emoji-upscaler is not installed.")
    result = tiny_gan.generate(ImageRequest("", seed=0, batch=2, size=256), JobContext())
    assert result.images[0].size == (256, 256)
    assert "Upscale: Lanczos" in result.parameters
    assert [n for n in result.notices if "Lanczos" in n] == [
        "The model emoji-upscaler is not installed. Pictures were enlarged with Lanczos instead."
    ]
    assert tiny_gan.frame(tiny_gan.random_latent(0)).size == (64, 64)


def test_kid_is_near_zero_for_one_distribution_and_grows_with_a_shift() -> None:
    gen = torch.Generator().manual_seed(0)
    real = torch.randn(400, 16, generator=gen)
    same = torch.randn(400, 16, generator=gen)
    values = [C.kid(real, same + shift, subset=100, subsets=20)[0] for shift in (0.0, 0.3, 1.0)]
    assert abs(values[0]) < 0.02  # unbiased: about zero, either sign
    assert values[0] < values[1] < values[2]


def test_kid_matches_the_estimator_written_out() -> None:
    gen = torch.Generator().manual_seed(1)
    x, y = torch.randn(6, 3, generator=gen), torch.randn(6, 3, generator=gen) + 0.5

    def k(a: torch.Tensor, b: torch.Tensor) -> float:
        return float((a @ b / 3 + 1) ** 3)

    m = 6
    xx = sum(k(x[i], x[j]) for i in range(m) for j in range(m) if i != j) / (m * (m - 1))
    yy = sum(k(y[i], y[j]) for i in range(m) for j in range(m) if i != j) / (m * (m - 1))
    xy = sum(k(x[i], y[j]) for i in range(m) for j in range(m)) / (m * m)
    # Subsets of all rows: every subset is the whole set, in some order.
    assert C.kid(x, y, subset=6, subsets=3)[0] == pytest.approx(xx + yy - 2 * xy, rel=1e-6)


def test_classifier_shapes_and_weights_round_trip(tmp_path: Path) -> None:
    cfg = C.ClassifierConfig(categories=("A", "B", "C"), width=4, features=8)
    model = C.EmojiClassifier(cfg).eval()
    x = torch.rand(2, 4, 64, 64) * 2 - 1
    assert model(x).shape == (2, 3)
    assert model.features(x).shape == (2, 8)
    C.save(model, tmp_path / "c.safetensors")
    again = C.load(tmp_path / "c.safetensors")
    assert again.cfg.categories == ("A", "B", "C")
    assert torch.equal(again(x), model(x))


def test_dataset_renders_the_same_emoji_at_256() -> None:
    from engines.image import build_dataset as B

    font_path = next((Path(p) for p in B.FONT_CANDIDATES if Path(p).exists()), None)
    if font_path is None:
        pytest.skip("Noto Color Emoji is not installed")
    from PIL import ImageFont

    font = ImageFont.truetype(str(font_path), B.RENDER_SIZE)
    small, large = B.render(font, "\u2764"), B.render(font, "\u2764", 256)
    assert small is not None and large is not None
    assert small.shape == (64, 64, 4) and large.shape == (256, 256, 4)
    shrunk = Image.fromarray(large, "RGBA").resize((64, 64), Image.Resampling.LANCZOS)
    # The same square, only resampled to another size.
    assert np.abs(np.asarray(shrunk, np.float32) - small).mean() < 3.0
