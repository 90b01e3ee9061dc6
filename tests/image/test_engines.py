"""The image engines with tiny random models: shapes, seeds, cancel, previews, bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from PIL import Image

from engines.errors import BadInput
from engines.image import base, emoji
from engines.image.types import ImageRequest
from engines.imagefile import Recipe, write_png
from engines.jobs import Cancelled, JobContext, Progress


def _context(cancel_at: int | None = None) -> tuple[JobContext, list[Progress]]:
    seen: list[Progress] = []
    ctx = JobContext()

    def on_progress(progress: Progress) -> None:
        seen.append(progress)
        if cancel_at is not None and progress.step == cancel_at:
            ctx.cancel()

    ctx._on_progress = on_progress
    return ctx, seen


def _pixels(image: Image.Image) -> np.ndarray:
    return np.asarray(image)


def test_txt2img_shapes_and_a_preview_at_every_step(tiny_diffusion: Any) -> None:
    ctx, seen = _context()
    result = tiny_diffusion.generate(ImageRequest("red heart", seed=1, steps=3, size=96), ctx)
    assert len(result.images) == 1
    assert result.images[0].size == (96, 96) and result.images[0].mode == "RGBA"
    previews = [p for p in seen if p.preview is not None]
    assert [p.step for p in previews] == [1, 2, 3]
    assert all(p.preview.size == (64, 64) for p in previews)


def test_same_seed_same_pixels_other_seed_other_pixels(tiny_diffusion: Any) -> None:
    def make(seed: int, sampler: str = "ddim") -> np.ndarray:
        request = ImageRequest("green apple", seed=seed, steps=2, sampler=sampler, size=64)
        return _pixels(tiny_diffusion.generate(request, JobContext()).images[0])

    assert np.array_equal(make(7), make(7))
    assert not np.array_equal(make(7), make(8))
    assert np.array_equal(make(7, "dpm++2m"), make(7, "dpm++2m"))


def test_the_prompt_and_guidance_change_the_picture(tiny_diffusion: Any) -> None:
    def make(prompt: str, guidance: float) -> np.ndarray:
        request = ImageRequest(prompt, seed=3, steps=2, guidance=guidance, size=64)
        return _pixels(tiny_diffusion.generate(request, JobContext()).images[0])

    assert not np.array_equal(make("red heart", 3.0), make("blue star", 3.0))
    assert not np.array_equal(make("red heart", 3.0), make("red heart", 6.0))


def test_cancel_at_a_step_stops_there(tiny_diffusion: Any) -> None:
    ctx, seen = _context(cancel_at=2)
    calls = []
    unet = tiny_diffusion.diffusion.unet
    handle = unet.register_forward_hook(lambda *_: calls.append(1))
    try:
        with pytest.raises(Cancelled):
            tiny_diffusion.generate(ImageRequest("cat face", seed=0, steps=5), ctx)
    finally:
        handle.remove()
    assert seen[-1].step == 2
    assert len(calls) == 2  # one batched (guided) network call per step, none after the cancel


def test_empty_and_long_prompts_are_said_so(tiny_diffusion: Any) -> None:
    empty = tiny_diffusion.generate(ImageRequest("", seed=0, steps=1), JobContext())
    assert any("unconditional" in n for n in empty.notices)
    long = tiny_diffusion.generate(ImageRequest("red heart " * 40, seed=0, steps=1), JobContext())
    assert any("longer than" in n for n in long.notices)


def _init_picture(tmp_path: Path, mode: str = "RGB", size: tuple[int, int] = (100, 80)) -> Path:
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 255, (size[1], size[0], 3), dtype=np.uint8)
    path = tmp_path / "init.png"
    Image.fromarray(pixels, "RGB").convert(mode).save(path)
    return path


def test_img2img_accepts_any_mode_and_size(tiny_diffusion: Any, tmp_path: Path) -> None:
    for mode in ("RGB", "L", "P", "RGBA"):
        init = _init_picture(tmp_path, mode)
        ctx, seen = _context()
        request = ImageRequest("red heart", seed=0, steps=4, init_image=init, strength=0.5)
        result = tiny_diffusion.generate(request, ctx)
        assert result.images[0].size == (100, 80)  # the picture's own size (issue #15)
        # strength 0.5 of 4 steps: only the last two run.
        assert [p.step for p in seen if p.preview is not None] == [1, 2]
        assert "Denoising strength: 0.5" in result.parameters


def test_inpainting_keeps_the_pixels_outside_the_mask(tiny_diffusion: Any, tmp_path: Path) -> None:
    init_path = tmp_path / "init.png"
    init = Image.new("RGBA", (64, 64), (200, 30, 30, 255))
    init.save(init_path)
    mask = Image.new("L", (200, 200), 0)  # a different size: resized to fit
    mask.paste(255, (0, 0, 100, 100))  # redraw the top-left quarter
    mask_path = tmp_path / "mask.png"
    mask.save(mask_path)
    request = ImageRequest(
        "blue star", seed=0, steps=2, init_image=init_path, mask=mask_path, size=64
    )
    out = _pixels(tiny_diffusion.generate(request, JobContext()).images[0])
    assert np.array_equal(out[40:, 40:], np.asarray(init)[40:, 40:])
    assert not np.array_equal(out[:20, :20], np.asarray(init)[:20, :20])


def test_bad_pictures_get_clear_errors(tiny_diffusion: Any, tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.png"
    corrupt.write_bytes(b"\x89PNG\r\n\x1a\n not really")
    with pytest.raises(BadInput, match=r"corrupt\.png"):
        tiny_diffusion.generate(ImageRequest("x", steps=1, init_image=corrupt), JobContext())
    huge = tmp_path / "huge.png"
    Image.new("1", (8000, 6000)).save(huge)
    with pytest.raises(BadInput, match="too large"):
        tiny_diffusion.generate(ImageRequest("x", steps=1, init_image=huge), JobContext())
    with pytest.raises(BadInput, match="does not exist"):
        tiny_diffusion.generate(ImageRequest("x", init_image=tmp_path / "nope.png"), JobContext())
    with pytest.raises(BadInput, match="needs the picture"):
        tiny_diffusion.generate(ImageRequest("x", mask=corrupt), JobContext())
    with pytest.raises(BadInput, match="Strength"):
        tiny_diffusion.generate(
            ImageRequest("x", init_image=_init_picture(tmp_path), strength=1.5), JobContext()
        )
    with pytest.raises(BadInput, match="sampler"):
        tiny_diffusion.generate(ImageRequest("x", sampler="euler"), JobContext())


def test_a_weights_file_of_another_kind_is_refused(tiny_files: dict[str, Path]) -> None:
    with pytest.raises(BadInput, match=r"gan\.safetensors"):
        emoji.EmojiVAEEngine("wrong", tiny_files["gan"])
    not_weights = tiny_files["vae"].with_name("text.safetensors")
    not_weights.write_text("hello")
    with pytest.raises(BadInput, match=r"text\.safetensors"):
        emoji.EmojiGANEngine("wrong", not_weights, None)


def test_vae_encode_decode_and_interpolate(tiny_diffusion: Any, tmp_path: Path) -> None:
    picture = Image.open(_init_picture(tmp_path))
    z = tiny_diffusion.encode(picture)
    assert z.shape == (1, 4, 16, 16)
    assert tiny_diffusion.decode(z)[0].size == (64, 64)
    b = tiny_diffusion.random_latent(5)
    assert torch.equal(tiny_diffusion.interpolate(z, b, 0.0), z)
    assert torch.allclose(tiny_diffusion.interpolate(z, b, 1.0), b, atol=1e-6)


def test_slerp_keeps_gaussian_norms() -> None:
    g = torch.Generator().manual_seed(0)
    a, b = torch.randn(1024, generator=g), torch.randn(1024, generator=g)
    assert torch.allclose(base.slerp(a, b, 0.0), a)
    assert torch.allclose(base.slerp(a, b, 1.0), b, atol=1e-6)
    middle = base.slerp(a, b, 0.5)
    # A straight line's midpoint shrinks to ~0.71 of the norm; slerp's does not.
    assert abs(float(middle.norm() / a.norm()) - 1.0) < 0.05
    assert float(((a + b) / 2).norm() / a.norm()) < 0.8


def test_gan_samples_directions_and_sliders(tiny_gan: Any) -> None:
    ctx, seen = _context()
    result = tiny_gan.generate(ImageRequest("ignored", seed=4, batch=2, size=64), ctx)
    assert len(result.images) == 2 and [p.step for p in seen] == [1, 2]
    assert any("ignored" in n for n in result.notices)
    again = tiny_gan.generate(ImageRequest("", seed=4, batch=2, size=64), JobContext())
    assert np.array_equal(_pixels(result.images[1]), _pixels(again.images[1]))
    directions = tiny_gan.directions()
    assert len(directions) == 3 and all(d.spread > 0 for d in directions)
    z = tiny_gan.random_latent(0)
    moved = tiny_gan.move(z, 0, 2.0)
    assert torch.allclose((moved - z).norm(), torch.tensor(2.0), atol=1e-5)
    with pytest.raises(BadInput):
        tiny_gan.encode(Image.new("RGB", (8, 8)))
    with pytest.raises(BadInput, match="cannot start from a picture"):
        tiny_gan.generate(ImageRequest("", init_image=Path("x.png")), JobContext())


def test_png_parameters_round_trip(tmp_path: Path) -> None:
    text = base.format_parameters("red heart", "emoji-ldm", 42, {"Steps": 25, "Guidance": 3.0})
    path = tmp_path / "out.png"
    write_png(Image.new("RGBA", (8, 8)), path, text)
    with Image.open(path) as image:
        assert image.text["parameters"] == text  # type: ignore[attr-defined]
    assert text.startswith("red heart\n") and "Seed: 42" in text and "App: Sōzō Studio" in text
    # The panel's reader gets every setting back, from the one writer both use.
    recipe = Recipe.from_parameters(text)
    assert (recipe.model, recipe.seed, recipe.steps, recipe.guidance) == ("emoji-ldm", 42, 25, 3.0)


def test_recipes_speak_a1111s_words_with_the_model_files_hash(
    tiny_diffusion: Any, tiny_gan: Any, tiny_files: dict[str, Path]
) -> None:
    import hashlib

    request = ImageRequest("red heart", seed=4, steps=2, sampler="dpm++2m", size=64)
    text = tiny_diffusion.generate(request, JobContext()).parameters
    unet_hash = hashlib.sha256(tiny_files["ldm"].read_bytes()).hexdigest()[:10]
    assert (
        f"Sampler: DPM++ 2M, CFG scale: 3.0, Seed: 4, Size: 64x64, Model hash: {unet_hash}, "
        in text
    )
    recipe = Recipe.from_parameters(text)
    assert (recipe.sampler, recipe.model_hash) == ("dpm++2m", unet_hash)
    gan_text = tiny_gan.generate(ImageRequest("", seed=1, size=64), JobContext()).parameters
    gan_hash = hashlib.sha256(tiny_files["gan"].read_bytes()).hexdigest()[:10]
    assert f"Model hash: {gan_hash}, Model: tiny-gan" in gan_text
