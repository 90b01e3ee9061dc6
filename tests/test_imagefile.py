"""Reading dropped images safely, and PNG recipes that other tools can read."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from engines.errors import BadInput
from engines.imagefile import (
    Recipe,
    fit_to_size,
    load_image,
    readable_stem,
    save_png,
    save_result,
)


def test_recipe_round_trips_through_a_png(tmp_path: Path) -> None:
    recipe = Recipe(
        prompt="a red apple, shiny\nwith a leaf",
        negative_prompt="blurry, dark",
        model="emoji-ldm",
        seed=42,
        steps=25,
        guidance=2.5,
        strength=0.6,
        width=64,
        height=64,
        sampler="ddim",
        extra={"Mask": "yes"},
    )
    path = save_png(Image.new("RGBA", (8, 8), "red"), tmp_path / "a.png", recipe)
    with Image.open(path) as im:
        text = im.info["parameters"]
    assert text.splitlines()[-1].startswith("Steps: 25, Sampler: DDIM, CFG scale: 2.5, Seed: 42")
    loaded = load_image(path)
    assert loaded.recipe == recipe


def test_reads_a_recipe_written_by_another_tool(tmp_path: Path) -> None:
    text = (
        "masterpiece, a castle on a hill\n"
        "Negative prompt: lowres, watermark\n"
        "Steps: 30, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 1234, Size: 512x768, "
        'Model hash: abc123, Model: v1-5-pruned, Lora hashes: "x: 1, y: 2"'
    )
    info = PngInfo()
    info.add_text("parameters", text)
    path = tmp_path / "other.png"
    Image.new("RGB", (4, 4)).save(path, pnginfo=info)
    recipe = load_image(path).recipe
    assert recipe is not None
    assert recipe.prompt == "masterpiece, a castle on a hill"
    assert recipe.negative_prompt == "lowres, watermark"
    assert (recipe.steps, recipe.seed, recipe.guidance) == (30, 1234, 7.0)
    assert (recipe.width, recipe.height, recipe.model) == (512, 768, "v1-5-pruned")
    assert recipe.extra["Lora hashes"] == "x: 1, y: 2"
    assert recipe.model_hash == "abc123" and recipe.sampler == "dpm++2m-karras"


def test_a_one_line_prompt_with_a_colon_stays_a_prompt() -> None:
    assert Recipe.from_parameters("Style: watercolour").prompt == "Style: watercolour"


def test_never_overwrites_and_names_files_readably(tmp_path: Path) -> None:
    image = Image.new("RGBA", (4, 4))
    recipe = Recipe(prompt="A red apple / on a table!", seed=7)
    first = save_result(image, tmp_path, recipe)
    second = save_result(image, tmp_path, recipe)
    assert first.name == "a-red-apple-on-a-table-s7.png"
    assert second.name == "a-red-apple-on-a-table-s7-2.png"
    with pytest.raises(FileExistsError):
        save_png(image, first, recipe)
    assert readable_stem("", None) == "image"


def test_fit_to_size_crops_to_the_aspect_and_reports_the_box() -> None:
    wide = Image.new("RGBA", (200, 100))
    fitted, box = fit_to_size(wide, 64, 64)
    assert fitted.size == (64, 64)
    assert box == (50, 0, 150, 100)


def _write_png_header_only(path: Path, width: int, height: int) -> None:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b""))


def test_bad_files_are_refused_with_readable_messages(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    good = tmp_path / "good.png"
    Image.new("RGB", (32, 32), "blue").save(good)
    truncated = tmp_path / "truncated.png"
    truncated.write_bytes(good.read_bytes()[:60])
    bomb = tmp_path / "bomb.png"
    _write_png_header_only(bomb, 40_000, 40_000)
    cases = {
        tmp_path: "is a folder",
        tmp_path / "missing.png": "does not exist",
        tmp_path / "notes.txt": "not an image file",
        truncated: "damaged or incomplete",
        bomb: "too large to open safely",
    }
    for path, words in cases.items():
        with pytest.raises(BadInput, match=words):
            load_image(path)


def test_odd_formats_are_converted_with_notices(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (16, 16), c) for c in ("red", "green", "blue")]
    gif = tmp_path / "anim.gif"
    frames[0].save(gif, save_all=True, append_images=frames[1:])
    loaded = load_image(gif)
    assert loaded.image.mode == "RGBA" and "first frame" in loaded.notices[0]

    cmyk = tmp_path / "print.jpg"
    Image.new("CMYK", (16, 16), (0, 255, 255, 0)).save(cmyk)
    loaded = load_image(cmyk)
    assert "CMYK" in loaded.notices[0]
    r, g, b, a = loaded.image.getpixel((8, 8))
    assert r > 200 and g < 60 and b < 60 and a == 255  # still red

    deep = tmp_path / "deep.png"
    Image.fromarray(np.full((16, 16), 65535, dtype=np.uint16)).save(deep)
    loaded = load_image(deep)
    assert "16-bit" in loaded.notices[0]
    assert loaded.image.getpixel((0, 0)) == (255, 255, 255, 255)

    palette = tmp_path / "palette.png"
    Image.new("P", (16, 16), 3).save(palette)
    assert load_image(palette).image.mode == "RGBA"


def test_walk_exports_as_gif_mp4_and_png_strip(tmp_path: Path) -> None:
    from engines.imagefile import save_walk

    frames = [Image.new("RGBA", (16, 16), (i * 40, 0, 255 - i * 40, 255)) for i in range(6)]
    gif = save_walk(frames, tmp_path / "walk.gif", fps=10)
    with Image.open(gif) as im:
        assert im.n_frames == 6 and im.size == (64, 64)
    strip = save_walk(frames, tmp_path / "walk.png")
    with Image.open(strip) as im:
        assert im.size == (6 * 64, 64)
        assert im.getpixel((5, 5)) != im.getpixel((6 * 64 - 5, 5))
    mp4 = save_walk(frames, tmp_path / "walk.mp4", fps=10)
    head = mp4.read_bytes()[:64]
    assert b"ftyp" in head and mp4.stat().st_size > 500
    with pytest.raises(BadInput, match="exists already"):
        save_walk(frames, gif)
    with pytest.raises(BadInput, match=r"\.gif, \.mp4 or \.png"):
        save_walk(frames, tmp_path / "walk.avi")


def test_reads_the_image_engines_own_recipe_names() -> None:
    text = "a cat\nModel: emoji-ldm, Seed: 9, Steps: 25, Sampler: ddim, Guidance: 3.0, Size: 256x256, Strength: 0.6"
    recipe = Recipe.from_parameters(text)
    assert (recipe.guidance, recipe.strength, recipe.width) == (3.0, 0.6, 256)
    assert recipe.extra == {}


def test_a_photo_with_an_exif_rotation_loads_upright(tmp_path: Path) -> None:
    """A phone holds the sensor sideways and records how in EXIF (orientation 6: turn 90°
    clockwise to view); the canvas and the engines must get the picture as it is seen."""
    stored = Image.new("RGB", (40, 20), "blue")
    stored.paste((255, 0, 0), (0, 0, 10, 10))  # red in the stored top-left corner
    exif = Image.Exif()
    exif[0x0112] = 6
    stored.save(tmp_path / "phone.jpg", exif=exif, quality=95)
    loaded = load_image(tmp_path / "phone.jpg")
    assert loaded.image.size == (20, 40)  # upright: taller than wide
    assert list(loaded.notices) == [
        "phone.jpg is stored rotated (EXIF orientation 6): turned upright."
    ]  # said, in the photo reader's words
    red, _green, blue, _alpha = loaded.image.getpixel((15, 4))  # now the top-right corner
    assert red > 200 and blue < 60
    plain = tmp_path / "plain.jpg"
    stored.save(plain, quality=95)
    assert load_image(plain).image.size == (40, 20)  # no tag: as stored
