"""``sozo image`` with a tiny random model put in the engine cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from engines.catalogue import Catalogue
from engines.image import registry
from studio.cli import main


@pytest.fixture
def tiny_model(
    tiny_diffusion: Any, tiny_files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> str:
    # In the catalogue (the CLI finds engines through it, engines.registry), its engine
    # the tiny one put in the engine cache.
    entry = Catalogue().import_model(
        tiny_files["ldm"], "image", "latent-diffusion", engine_module="engines.image.emoji"
    )
    monkeypatch.setitem(registry._engines, entry.id, tiny_diffusion)
    return entry.id


def test_writes_a_png_with_its_recipe(tiny_model: str, tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "heart.png"
    args = ["image", "red heart", "-o", str(out), "--model", tiny_model, "--seed", "3"]
    assert main([*args, "--steps", "2", "--guidance", "2.5", "--size", "128"]) == 0
    with Image.open(out) as image:
        assert image.size == (128, 128)
        recipe = image.text["parameters"]  # type: ignore[attr-defined]
        first = np.asarray(image)
    assert recipe.startswith("red heart\n")
    for part in ("Model: tiny-ldm", "Seed: 3", "Steps: 2", "CFG scale: 2.5", "Sampler: DDIM"):
        assert part in recipe
    assert "seed 3" in capsys.readouterr().out
    # The same command again gives the same pixels (over the first file, as asked).
    again = [*args, "--steps", "2", "--guidance", "2.5", "--size", "128", "--overwrite"]
    assert main(again) == 0
    with Image.open(out) as image:
        assert np.array_equal(np.asarray(image), first)


def test_img2img_and_inpaint_from_the_command_line(tiny_model: str, tmp_path: Path) -> None:
    init, mask, out = tmp_path / "init.jpg", tmp_path / "mask.png", tmp_path / "out.png"
    Image.new("RGB", (50, 70), (10, 200, 10)).save(init)
    Image.new("L", (10, 10), 255).save(mask)
    base = ["image", "apple", "-o", str(out), "--model", tiny_model, "--steps", "2"]
    assert main([*base, "--init", str(init), "--strength", "0.5"]) == 0
    assert main([*base, "--init", str(init), "--mask", str(mask), "--overwrite"]) == 0
    with Image.open(out) as image:
        assert "Inpaint: yes" in image.text["parameters"]  # type: ignore[attr-defined]


def test_an_empty_or_full_mask_from_the_command_line_says_what_it_does(
    tiny_model: str, tmp_path: Path, capsys: Any
) -> None:
    init, mask, out = tmp_path / "photo.jpg", tmp_path / "EMPTY.png", tmp_path / "out.png"
    Image.new("RGB", (90, 60), (10, 120, 200)).save(init)
    Image.new("L", (90, 60), 0).save(mask)
    base = ["image", "apple", "-o", str(out), "--model", tiny_model, "--steps", "2"]
    capsys.readouterr()
    assert main([*base, "--init", str(init), "--mask", str(mask)]) == 0
    said = capsys.readouterr()
    assert "The mask is empty" in said.out + said.err and "img2img" in said.out + said.err
    with Image.open(out) as image:
        assert image.size == (90, 60)
        assert "Inpaint: yes" not in image.text["parameters"]  # type: ignore[attr-defined]
    Image.new("L", (90, 60), 255).save(mask)
    assert main([*base, "--init", str(init), "--mask", str(mask), "--overwrite"]) == 0
    said = capsys.readouterr()
    assert "covers the whole picture" in said.out + said.err
    with Image.open(out) as image:
        assert image.size == (90, 60)


def test_photo_edits_from_the_command_line_keep_the_size(
    tiny_model: str, tmp_path: Path, capsys: Any
) -> None:
    init, mask, out = tmp_path / "photo.jpg", tmp_path / "mask.png", tmp_path / "out.png"
    Image.new("RGB", (90, 60), (10, 120, 200)).save(init)
    painted = Image.new("L", (90, 60), 0)
    painted.paste(255, (30, 20, 50, 40))
    painted.save(mask)
    base = ["image", "apple", "-o", str(out), "--model", tiny_model, "--steps", "2"]
    edit = ["--init", str(init), "--mask", str(mask), "--mask-padding", "16"]
    assert main([*base, *edit, "--mask-feather", "4", "--scale", "2"]) == 0
    with Image.open(out) as image:
        assert image.size == (180, 120)
        recipe = image.text["parameters"]  # type: ignore[attr-defined]
    assert "Masked area padding: 16, Mask blur: 4, Scale: 2" in recipe
    assert main([*base, "--init", str(init), "--outpaint", "0,0,30,0", "--overwrite"]) == 0
    with Image.open(out) as image:
        assert image.size == (120, 60)
    capsys.readouterr()
    for bad, words in (
        (["--mask-padding", "-3"], "--mask-padding -3 is out of range"),
        (["--mask-feather", "1000"], "--mask-feather 1000 is out of range"),
        (["--scale", "0"], "--scale 0 is out of range"),
        (["--outpaint", "1,2,3"], "four whole numbers"),
        (["--outpaint", "0,-4,0,0"], "Outpainting"),
    ):
        assert main([*base, *edit, *bad, "--overwrite"]) == 1
        err = capsys.readouterr().err
        assert words in err and len(err.strip().splitlines()) == 1, err
    assert main([*base, "--scale", "2", "--overwrite"]) == 1
    assert "--scale needs --init" in capsys.readouterr().err
    assert main([*base, "--init", str(init), "--mask-feather", "2", "--overwrite"]) == 1
    assert "needs --mask" in capsys.readouterr().err


def test_bad_input_is_one_line_and_exit_1(tiny_model: str, tmp_path: Path, capsys: Any) -> None:
    assert main(["image", "x", "-o", str(tmp_path / "out.jpg"), "--model", tiny_model]) == 1
    assert "PNG" in capsys.readouterr().err
    assert main(["image", "x", "-o", str(tmp_path / "a.png"), "--model", "no-such-model"]) == 1
    assert "no-such-model" in capsys.readouterr().err
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a picture")
    args = ["image", "x", "-o", str(tmp_path / "a.png"), "--model", tiny_model]
    assert main([*args, "--init", str(broken)]) == 1
    err = capsys.readouterr().err
    assert "broken.png" in err and len(err.strip().splitlines()) == 1
    assert main([*args, "--strength", "0.3"]) == 1
    assert "--init" in capsys.readouterr().err
    # Stable Diffusion's samplers are offered; the emoji model says which it has.
    assert main([*args, "--sampler", "euler"]) == 1
    err = capsys.readouterr().err
    assert "ddim or dpm++2m" in err and len(err.strip().splitlines()) == 1


def test_no_upscale_enlarges_with_lanczos(
    tiny_model: str, tiny_upscaler: Any, tmp_path: Path
) -> None:
    learned, plain = tmp_path / "learned.png", tmp_path / "plain.png"
    base = ["image", "red heart", "--model", tiny_model, "--seed", "5", "--steps", "2"]
    assert main([*base, "-o", str(learned)]) == 0
    assert main([*base, "-o", str(plain), "--no-upscale"]) == 0
    with Image.open(learned) as a, Image.open(plain) as b:
        assert a.size == b.size == (256, 256)
        assert "Upscale: learned 4x" in a.text["parameters"]  # type: ignore[attr-defined]
        assert "Upscale: Lanczos" in b.text["parameters"]  # type: ignore[attr-defined]
        assert not np.array_equal(np.asarray(a), np.asarray(b))


def test_the_picture_is_watermarked_and_signed_and_an_edit_names_its_source(
    tiny_model: str, tmp_path: Path
) -> None:
    from engines import watermark
    from engines.credentials import read_credentials

    out = tmp_path / "heart.png"
    args = ["image", "red heart", "-o", str(out), "--model", tiny_model, "--seed", "3"]
    assert main([*args, "--steps", "2", "--size", "128"]) == 0
    found = read_credentials(out)
    assert found.valid and "c2pa.created" in found.action
    assert watermark.detect_file(out).found
    init, edit = tmp_path / "init.png", tmp_path / "edit.png"
    Image.effect_noise((128, 128), 40).convert("RGB").save(init)  # an unmarked control
    assert not watermark.detect_file(init).found and not read_credentials(init).present
    base = ["image", "apple", "-o", str(edit), "--model", tiny_model, "--steps", "2"]
    assert main([*base, "--init", str(init), "--strength", "0.5"]) == 0
    edited = read_credentials(edit)
    assert edited.valid and "c2pa.edited" in edited.action
    assert edited.ingredients == ("init.png (parentOf)",)
