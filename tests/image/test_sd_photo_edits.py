"""Stable Diffusion photo edits (issue #15) with the tiny random pipeline of
test_stable_diffusion.py, and a tiny 9-channel inpainting UNet made here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageDraw

from engines.image import compose
from engines.image.types import ImageRequest
from engines.imagefile import Recipe
from engines.jobs import JobContext

pytest.importorskip("diffusers")

from tests.image.test_compose import synthetic_photo
from tests.image.test_stable_diffusion import (
    build_tiny_pipeline,
    config_folder,
    write_single_file,
)

SIZE = (150, 100)  # a small photo, 3:2


def build_tiny_inpainting_pipeline(base: Path, out: Path) -> Path:
    """The tiny pipeline with its UNet swapped for a 9-channel one (4 noisy latent, 1
    mask, 4 masked-picture latent), saved as an inpainting checkpoint is."""
    import torch
    from diffusers import StableDiffusionInpaintPipeline, UNet2DConditionModel

    pipe = StableDiffusionInpaintPipeline.from_pretrained(str(base), safety_checker=None)
    config = dict(UNet2DConditionModel.load_config(str(base / "unet")))
    config["in_channels"] = 9
    torch.manual_seed(0)
    pipe.unet = UNet2DConditionModel.from_config(config)
    pipe.register_to_config(requires_safety_checker=False)
    pipe.save_pretrained(str(out), safe_serialization=True)
    return out


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("sd-photo")
    base = build_tiny_pipeline(root / "base")
    return {"base": base, "inpaint": build_tiny_inpainting_pipeline(base, root / "inpaint")}


@pytest.fixture(scope="module")
def engines(folders: dict[str, Path]) -> dict[str, Any]:
    from engines.image.sd import StableDiffusionEngine

    return {
        "base": StableDiffusionEngine("tiny-sd", folders["base"]),
        "inpaint": StableDiffusionEngine("tiny-sd-inpainting", folders["inpaint"]),
    }


@pytest.fixture(scope="module")
def photo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, np.ndarray, Path]:
    folder = tmp_path_factory.mktemp("sd-photo-files")
    path = folder / "photo.jpg"
    synthetic_photo(SIZE, seed=3).save(path, quality=92)
    with Image.open(path) as im:
        pixels = np.asarray(im.convert("RGB")).copy()
    mask = Image.new("L", SIZE, 0)
    ImageDraw.Draw(mask).rectangle((60, 30, 95, 70), fill=255)
    mask_path = folder / "mask.png"
    mask.save(mask_path)
    return path, pixels, mask_path


def _unet_inputs(engine: Any) -> tuple[list[tuple[int, ...]], Any]:
    """Record the shape of every input the UNet is given."""
    shapes: list[tuple[int, ...]] = []

    def hook(module: Any, args: Any, kwargs: Any) -> None:
        sample = args[0] if args else kwargs["sample"]
        shapes.append(tuple(sample.shape))

    handle = engine.pipe.unet.register_forward_pre_hook(hook, with_kwargs=True)
    return shapes, handle


@pytest.mark.parametrize("kind", ["base", "inpaint"])
def test_inpainting_keeps_the_photo_outside_the_feathered_mask(
    engines: dict[str, Any], photo: Any, kind: str
) -> None:
    engine = engines[kind]
    path, pixels, mask_path = photo
    shapes, handle = _unet_inputs(engine)
    try:
        request = ImageRequest(
            "a cat", seed=0, steps=2, init_image=path, mask=mask_path, mask_feather=3.0
        )
        result = engine.generate(request, JobContext())
    finally:
        handle.remove()
    out = np.asarray(result.images[0])
    assert result.images[0].size == SIZE
    with Image.open(mask_path) as im:
        keep = np.asarray(compose.feathered(im.convert("L"), 3.0)) == 0
    assert np.array_equal(out[keep], pixels[keep])
    # The crop goes through at the native size (16 for the tiny model) in multiples of 8,
    # its aspect padded, and the 9-channel UNet gets mask and masked picture as well.
    channels, height, width = shapes[0][1:]
    assert channels == (9 if kind == "inpaint" else 4)
    assert (height * 2) % 8 == 0 and (width * 2) % 8 == 0 and max(height, width) * 2 == 16
    assert engine.inpainting_unet is (kind == "inpaint")
    recipe = Recipe.from_parameters(result.parameters)
    assert (recipe.width, recipe.height) == SIZE and recipe.mask_feather == 3.0


def test_an_inpainting_checkpoint_also_draws_from_a_prompt_and_a_picture(
    engines: dict[str, Any], photo: Any
) -> None:
    engine = engines["inpaint"]
    path, _, _ = photo
    txt = engine.generate(ImageRequest("a cat", seed=0, steps=2), JobContext())
    assert txt.images[0].size == (16, 16)
    img = engine.generate(
        ImageRequest("a cat", seed=0, steps=2, init_image=path, strength=1.0), JobContext()
    )
    assert img.images[0].size == SIZE
    assert engine.random_latent(0).shape == (1, 4, 8, 8)  # latents, not the UNet's input


@pytest.mark.parametrize("kind", ["base", "inpaint"])
def test_outpainting_extends_the_canvas(engines: dict[str, Any], photo: Any, kind: str) -> None:
    path, pixels, _ = photo
    sides = (24, 0, 40, 8)
    request = ImageRequest("a cat", seed=0, steps=2, init_image=path, outpaint=sides)
    result = engines[kind].generate(request, JobContext())
    out = np.asarray(result.images[0])
    assert result.images[0].size == (150 + 24 + 40, 100 + 8)
    reach = compose.feather_reach(request.mask_feather)
    kept = out[: 100 - reach, 24 + reach : 24 + 150 - reach]
    assert np.array_equal(kept, pixels[: 100 - reach, reach : 150 - reach])
    # The new strips are drawn, not the photo's edge pixels repeated.
    edge_fill = np.repeat(pixels[:, -1:], 40, axis=1)
    assert not np.array_equal(out[:100, -40:], edge_fill)
    assert 'Outpaint: "24,0,40,8"' in result.parameters


def test_scale_sizes_an_sd_result(engines: dict[str, Any], photo: Any) -> None:
    path, _, mask_path = photo
    request = ImageRequest("a cat", seed=0, steps=2, init_image=path, mask=mask_path, scale=1.5)
    result = engines["base"].generate(request, JobContext())
    assert result.images[0].size == (225, 150)
    assert "Scale: 1.5" in result.parameters


def test_a_single_file_inpainting_checkpoint_inpaints_as_its_folder(
    engines: dict[str, Any], folders: dict[str, Path], photo: Any, tmp_path: Path
) -> None:
    from engines.image.sd import StableDiffusionEngine

    path, _, mask_path = photo
    checkpoint = write_single_file(folders["inpaint"], tmp_path / "tiny-inpainting.safetensors")
    config = config_folder(folders["base"], tmp_path / "cfg")  # the 4-channel base's
    single = StableDiffusionEngine("tiny-single-inpainting", checkpoint, config=config)
    assert single.inpainting_unet
    request = ImageRequest("a cat", seed=2, steps=2, init_image=path, mask=mask_path)
    expected = np.asarray(engines["inpaint"].generate(request, JobContext()).images[0])
    assert np.array_equal(np.asarray(single.generate(request, JobContext()).images[0]), expected)
