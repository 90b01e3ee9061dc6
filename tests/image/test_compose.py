"""Photo-true edits (issue #15): geometry on arrays, and the engines keeping the photo.

A 720x477 JPEG (a synthetic photo: gradients, a few shapes, sensor-like noise) is
written and decoded once; every check compares against those decoded bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageDraw

from engines.errors import BadInput
from engines.image import compose, photo_input
from engines.image.types import ImageRequest
from engines.imagefile import Recipe
from engines.jobs import JobContext

PHOTO_SIZE = (720, 477)
MASK_BOX = (300, 180, 420, 290)  # the painted part: 120x110 of the photo


def synthetic_photo(size: tuple[int, int] = PHOTO_SIZE, seed: int = 0) -> Image.Image:
    """(H, W, 3) of smooth light, some edges and fine noise, as a camera would give."""
    width, height = size
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    sky = np.stack([120 + 80 * y / height, 150 + 60 * x / width, 200 - 90 * y / height], -1)
    pixels = sky + rng.normal(0, 6, (height, width, 3))
    image = Image.fromarray(pixels.clip(0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    draw.ellipse((width * 0.1, height * 0.5, width * 0.35, height * 0.9), fill=(60, 120, 40))
    draw.rectangle((width * 0.6, height * 0.2, width * 0.8, height * 0.7), fill=(170, 90, 60))
    return image


@pytest.fixture(scope="module")
def photo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, np.ndarray, Path]:
    """(the JPEG, its pixels decoded once, a mask PNG painted over MASK_BOX)."""
    folder = tmp_path_factory.mktemp("photo")
    path = folder / "photo.jpg"
    synthetic_photo().save(path, quality=90)
    with Image.open(path) as im:
        pixels = np.asarray(im.convert("RGB")).copy()  # (477, 720, 3)
    mask = Image.new("L", PHOTO_SIZE, 0)
    ImageDraw.Draw(mask).ellipse(MASK_BOX, fill=255)
    mask_path = folder / "mask.png"
    mask.save(mask_path)
    return path, pixels, mask_path


def _untouched(mask_path: Path, feather: float, size: tuple[int, int]) -> np.ndarray:
    """(H, W) bool: where the feathered mask is 0, so the photo must come back as it was."""
    with Image.open(mask_path) as im:
        mask = im.convert("L").resize(size).point(lambda v: 255 if v > 127 else 0)
    return np.asarray(compose.feathered(mask, feather)) == 0


# --- geometry on arrays ---------------------------------------------------------------


def test_fit_frame_keeps_the_crop_aspect_by_padding() -> None:
    square = compose.fit_frame((120, 60), 64)
    assert (square.width, square.height) == (64, 64)
    assert square.inner == (64, 32) and square.offset == (0, 16)  # padded top and bottom
    sd = compose.fit_frame((720, 477), 512, multiple=8, square=False)
    assert sd.width % 8 == 0 and sd.height % 8 == 0 and max(sd.width, sd.height) == 512
    assert abs(sd.inner[0] / sd.inner[1] - 720 / 477) < 0.01  # not squashed
    tall = compose.fit_frame((30, 300), 64)
    assert tall.inner == (6, 64) and tall.offset == (29, 0)


def test_pad_to_frame_repeats_the_edge_pixels() -> None:
    frame = compose.fit_frame((4, 2), 4)
    crop = np.arange(4 * 2 * 3, dtype=np.uint8).reshape(2, 4, 3)
    padded = compose.pad_to_frame(crop, frame)  # (4, 4, 3)
    assert padded.shape == (4, 4, 3)
    assert np.array_equal(padded[frame.offset[1] : frame.offset[1] + 2], crop)
    assert np.array_equal(padded[0], crop[0]) and np.array_equal(padded[-1], crop[-1])


def test_edit_box_grows_by_the_padding_and_the_feather_and_stays_inside() -> None:
    mask = Image.new("L", (200, 100), 0)
    mask.paste(255, (50, 40, 60, 50))
    assert compose.edit_box(mask, 10, 0.0) == (40, 30, 70, 60)
    reach = compose.feather_reach(8.0)
    assert compose.edit_box(mask, 0, 8.0) == (50 - reach, 40 - reach, 60 + reach, 50 + reach)
    assert compose.edit_box(mask, 500, 0.0) == (0, 0, 200, 100)  # clamped


def test_feather_reach_covers_pils_blur() -> None:
    for feather in (0.5, 2.0, 8.0, 20.0):
        mask = Image.new("L", (400, 50), 0)
        mask.paste(255, (200, 0, 400, 50))
        row = np.asarray(compose.feathered(mask, feather))[25]
        assert row[200 - compose.feather_reach(feather)] == 0


def test_composite_is_exact_where_the_weight_is_zero_or_full() -> None:
    rng = np.random.default_rng(1)
    a = rng.integers(0, 256, (8, 9, 3), dtype=np.uint8)
    b = rng.integers(0, 256, (8, 9, 3), dtype=np.uint8)
    alpha = np.zeros((8, 9), np.uint8)
    alpha[:, 3:6] = 128
    alpha[:, 6:] = 255
    out = compose.composite(a, b, alpha)
    assert np.array_equal(out[:, :3], a[:, :3]) and np.array_equal(out[:, 6:], b[:, 6:])
    middle = (a[:, 3:6].astype(int) * 127 + b[:, 3:6].astype(int) * 128 + 127) // 255
    assert np.array_equal(out[:, 3:6], middle)


def _edit(photo: Any, **settings: Any) -> compose.PhotoEdit:
    path, _, mask_path = photo
    request = ImageRequest("x", init_image=path, mask=mask_path, **settings)
    edit = compose.prepare_edit(request)
    assert edit is not None
    return edit


def test_a_crop_goes_back_byte_identical_outside_the_feathered_mask(photo: Any) -> None:
    _, pixels, mask_path = photo
    edit = _edit(photo, mask_padding=40, mask_feather=6.0)
    picture, mask = edit.model_input(64)
    assert picture.size == (64, 64) and mask is not None and mask.size == (64, 64)
    # A "model" that redraws everything as its negative: the change is as large as it gets.
    drawn = Image.fromarray(255 - np.asarray(picture), picture.mode)
    out = np.asarray(edit.finish(drawn))
    assert out.shape == pixels.shape
    keep = _untouched(mask_path, 6.0, PHOTO_SIZE)
    assert np.array_equal(out[keep], pixels[keep])
    centre = ((MASK_BOX[1] + MASK_BOX[3]) // 2, (MASK_BOX[0] + MASK_BOX[2]) // 2)
    assert np.abs(out[centre].astype(int) - pixels[centre]).sum() > 100  # redrawn there


def test_where_the_model_drew_nothing_the_photo_shows(photo: Any) -> None:
    """The emoji models draw on transparency: over an opaque photo, their empty pixels
    leave the photo as it was, in inpainting and in img2img."""
    _, pixels, _ = photo
    edit = _edit(photo, mask_padding=40, mask_feather=6.0)
    picture, _ = edit.model_input(64)
    drawn = Image.new("RGBA", picture.size, (255, 255, 255, 0))  # nothing drawn at all
    assert np.array_equal(np.asarray(edit.finish(drawn)), pixels)
    path = photo[0]
    whole = compose.prepare_edit(ImageRequest("x", init_image=path))
    assert whole is not None
    picture, _ = whole.model_input(64)
    drawn = Image.new("RGBA", picture.size, (255, 255, 255, 0))
    drawn.paste((255, 0, 0, 255), (28, 28, 36, 36))  # a red square in the middle only
    out = np.asarray(whole.finish(drawn))
    assert np.abs(out[:60].astype(int) - pixels[:60]).mean() < 3  # the photo, resampled
    assert out[238, 360].tolist() == [255, 0, 0]


def test_the_seam_is_measured_and_the_feather_softens_it(photo: Any) -> None:
    """The model's patch, brighter by 40, pasted hard and feathered: the border step
    against the photo's own neighbour step. Figures (this synthetic photo): hard paste
    ratio 11.6 (border step 40.3 against 3.5), feather 8: ratio 1.13 (3.9 against 3.45);
    printed with -s."""
    _, pixels, mask_path = photo
    with Image.open(mask_path) as im:
        mask = np.asarray(im.convert("L"))
    ratios = {}
    for feather in (0.0, 8.0):
        edit = _edit(photo, mask_padding=32, mask_feather=feather)
        picture, _ = edit.model_input(512, multiple=8, square=False)
        brighter = np.asarray(picture).astype(int) + 40
        out = edit.finish(Image.fromarray(brighter.clip(0, 255).astype(np.uint8), "RGB"))
        seam = compose.seam_measure(np.asarray(out), mask, feather)
        ratios[feather] = seam.ratio
        print(
            f"feather {feather:g}: border {seam.border:.2f}, photo {seam.photo:.2f}, "
            f"ratio {seam.ratio:.2f}"
        )
    assert ratios[0.0] > 3.0  # a hard paste of a brighter patch shows
    assert ratios[8.0] < ratios[0.0] / 2.5  # the feather spreads the step out
    untouched_seam = compose.seam_measure(pixels, mask)
    assert 0.7 < untouched_seam.ratio < 1.3  # the untouched photo has no seam to find


def test_img2img_keeps_the_size_and_a_scale_resizes(photo: Any) -> None:
    path, _, _ = photo
    edit = compose.prepare_edit(ImageRequest("x", init_image=path, scale=0.5))
    assert edit is not None and edit.mask is None and edit.box == (0, 0, *PHOTO_SIZE)
    picture, mask = edit.model_input(64)
    assert mask is None and edit.frame is not None and edit.frame.inner == (64, 42)
    assert edit.finish(picture).size == (360, 238)


def test_outpainting_grows_the_canvas_and_marks_the_new_strips(photo: Any) -> None:
    path, pixels, _ = photo
    edit = compose.prepare_edit(
        ImageRequest("x", init_image=path, outpaint=(0, 0, 100, 20), mask_feather=4.0)
    )
    assert edit is not None and edit.photo.size == (820, 497) and edit.mask is not None
    reach = compose.feather_reach(4.0)
    assert edit.box == (0, 0, 820, 497)  # the strips run the whole height and width
    mask = np.asarray(edit.mask)  # inside the box: here the whole canvas
    assert mask[:477, :720].max() == 0 and mask[:, 720:].min() == 255 and mask[477:].min() == 255
    picture, _ = edit.model_input(64)
    out = np.asarray(edit.finish(Image.fromarray(255 - np.asarray(picture), "RGB")))
    assert np.array_equal(out[: 477 - reach, : 720 - reach], pixels[: 477 - reach, : 720 - reach])


# --- bad input ------------------------------------------------------------------------


def test_exif_rotated_photos_come_back_upright(tmp_path: Path) -> None:
    upright = synthetic_photo((60, 90))
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # how the camera wrote it: 90x60
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 clockwise to show"
    path = tmp_path / "rotated.jpg"
    stored.save(path, exif=exif, quality=95)
    picture, notices = photo_input.open_photo(path)
    assert picture.size == (60, 90)
    assert any("EXIF orientation 6" in n for n in notices)
    diff = np.abs(np.asarray(picture).astype(int) - np.asarray(upright)).mean()
    assert diff < 6  # the same picture, through JPEG


def test_a_mask_painted_on_the_upright_photo_fits_a_rotated_file(tmp_path: Path) -> None:
    upright = synthetic_photo((60, 90))
    exif = Image.Exif()
    exif[0x0112] = 8  # "rotate 90 counter-clockwise to show"
    path = tmp_path / "rotated.jpg"
    upright.transpose(Image.Transpose.ROTATE_270).save(path, exif=exif)
    mask = Image.new("L", (60, 90), 0)
    mask.paste(255, (10, 60, 20, 80))  # near the bottom left of the upright picture
    mask_path = tmp_path / "mask.png"
    mask.save(mask_path)
    edit = compose.prepare_edit(ImageRequest("x", init_image=path, mask=mask_path))
    assert edit is not None and edit.photo.size == (60, 90)
    assert not any("scaled to fit" in n for n in edit.notices)
    assert edit.box == (0, 28, 52, 90)  # the mask's box grown by 32, clamped


def test_odd_modes_are_converted_with_a_notice(tmp_path: Path) -> None:
    cmyk = tmp_path / "cmyk.jpg"
    synthetic_photo((40, 30)).convert("CMYK").save(cmyk)
    picture, notices = photo_input.open_photo(cmyk)
    assert picture.mode == "RGB" and any("CMYK" in n for n in notices)

    deep = tmp_path / "deep.png"
    ramp = (np.arange(40 * 30, dtype=np.uint16).reshape(30, 40) * 50).astype(np.uint16)
    Image.fromarray(ramp).save(deep)  # mode I;16
    picture, notices = photo_input.open_photo(deep)
    assert picture.mode == "RGB" and any("16-bit" in n for n in notices)
    grey = np.asarray(picture)[..., 0].astype(int)
    assert abs(grey[-1, -1] - round(ramp[-1, -1] / 65535 * 255)) <= 1  # scaled, not clipped

    palette = tmp_path / "palette.png"
    p = Image.new("P", (20, 20), 0)
    p.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    p.paste(1, (10, 0, 20, 20))
    p.save(palette, transparency=0)
    picture, notices = photo_input.open_photo(palette)
    assert picture.mode == "RGBA" and any("palette" in n for n in notices)
    assert picture.getpixel((0, 0))[3] == 0 and picture.getpixel((15, 5)) == (0, 0, 255, 255)

    gif = tmp_path / "anim.gif"
    frames = [Image.new("RGB", (16, 16), c) for c in ("red", "lime", "blue")]
    frames[0].save(gif, save_all=True, append_images=frames[1:], duration=50)
    picture, notices = photo_input.open_photo(gif)
    assert any("animated (3 frames)" in n for n in notices)
    assert np.asarray(picture.convert("RGB"))[8, 8].tolist() == [255, 0, 0]  # the first frame


def test_a_mask_of_another_size_is_scaled_with_a_notice(photo: Any, tmp_path: Path) -> None:
    path, _, _ = photo
    small = Image.new("L", (72, 48), 0)
    small.paste(255, (30, 18, 42, 29))
    mask_path = tmp_path / "small-mask.png"
    small.save(mask_path)
    edit = compose.prepare_edit(ImageRequest("x", init_image=path, mask=mask_path))
    assert edit is not None and edit.mask is not None
    assert any("72x48" in n and "scaled to fit" in n for n in edit.notices)
    x, y = edit.box[:2]  # the mask is kept inside the box the model redraws
    left, top, right, bottom = edit.mask.getbbox()  # type: ignore[misc]
    left, top, right, bottom = left + x, top + y, right + x, bottom + y
    assert abs(left - 300) <= 10 and abs(right - 420) <= 10
    assert abs(top - 180) <= 10 and abs(bottom - 290) <= 10


def test_an_empty_mask_is_plain_img2img_with_a_notice(photo: Any, tmp_path: Path) -> None:
    path, _, _ = photo
    empty = tmp_path / "empty.png"
    Image.new("L", (10, 10), 0).save(empty)
    edit = compose.prepare_edit(ImageRequest("x", init_image=path, mask=empty))
    plain = compose.prepare_edit(ImageRequest("x", init_image=path))
    assert edit is not None and plain is not None
    assert edit.mask is None and edit.box == plain.box == (0, 0, *edit.photo.size)
    # the 10x10 mask is scaled to the photo first (a notice), then found empty
    assert [n.id for n in edit.notices if hasattr(n, "id")] == [
        "photo.mask_scaled",
        "image.mask_empty",
    ]
    assert any("mask is empty" in n and "img2img" in n for n in edit.notices)


def test_a_full_mask_redraws_everything_with_a_notice(photo: Any, tmp_path: Path) -> None:
    path, _, _ = photo
    full = tmp_path / "full.png"
    with Image.open(path) as im:
        size = im.size
    Image.new("L", size, 255).save(full)
    edit = compose.prepare_edit(ImageRequest("x", init_image=path, mask=full))
    assert edit is not None and edit.mask is not None
    assert edit.box == (0, 0, *size) and edit.mask.getextrema() == (255, 255)
    assert "image.mask_full" in [getattr(n, "id", None) for n in edit.notices]


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        ({"mask_padding": -1}, "mask padding"),
        ({"mask_feather": 500.0}, "mask feather"),
        ({"scale": 0.0}, "scale"),
        ({"scale": 9.0}, "scale"),
        ({"outpaint": (0, -5, 0, 0)}, "Outpainting"),
    ],
)
def test_settings_out_of_range_are_one_clear_line(
    photo: Any, settings: dict[str, Any], words: str
) -> None:
    path, _, _ = photo
    with pytest.raises(BadInput, match=words) as caught:
        compose.prepare_edit(ImageRequest("x", init_image=path, **settings))
    assert "\n" not in str(caught.value)


def test_the_recipe_records_the_edit_and_reads_it_back() -> None:
    recipe = Recipe(
        prompt="a boat",
        seed=1,
        mask_padding=48,
        mask_feather=6.5,
        scale=1.5,
        outpaint=(0, 0, 64, 0),
    )
    text = recipe.to_parameters()
    assert 'Masked area padding: 48, Mask blur: 6.5, Scale: 1.5, Outpaint: "0,0,64,0"' in text
    back = Recipe.from_parameters(text)
    assert (back.mask_padding, back.mask_feather, back.scale, back.outpaint) == (
        48,
        6.5,
        1.5,
        (0, 0, 64, 0),
    )


# --- the engines keep the photo -----------------------------------------------------------


def test_the_diffusion_engine_inpaints_the_photo_at_its_size(
    tiny_diffusion: Any, photo: Any
) -> None:
    path, pixels, mask_path = photo
    request = ImageRequest(
        "blue star", seed=0, steps=2, init_image=path, mask=mask_path, mask_feather=8.0
    )
    result = tiny_diffusion.generate(request, JobContext())
    out = np.asarray(result.images[0])
    assert result.images[0].size == PHOTO_SIZE and out.shape == pixels.shape
    keep = _untouched(mask_path, 8.0, PHOTO_SIZE)
    assert np.array_equal(out[keep], pixels[keep])  # byte for byte
    inside = np.asarray(Image.open(mask_path)) > 127
    assert np.abs(out[inside].astype(int) - pixels[inside]).mean() > 5  # really redrawn
    recipe = Recipe.from_parameters(result.parameters)
    assert (recipe.width, recipe.height) == PHOTO_SIZE
    assert (recipe.mask_padding, recipe.mask_feather) == (32, 8.0)


def test_every_edit_of_the_tiny_models_keeps_size_and_aspect(
    tiny_diffusion: Any, tiny_files: dict[str, Path], photo: Any
) -> None:
    from engines.image.emoji import EmojiVAEEngine

    path, _, mask_path = photo
    vae = EmojiVAEEngine("tiny-vae", tiny_files["vae"])
    for engine, mask in ((tiny_diffusion, None), (tiny_diffusion, mask_path), (vae, None)):
        for scale in (1.0, 0.5):
            request = ImageRequest("red", seed=1, steps=2, init_image=path, mask=mask, scale=scale)
            size = engine.generate(request, JobContext()).images[0].size
            assert size == (round(720 * scale), round(477 * scale)), (engine.model_id, mask)


def test_models_that_cannot_inpaint_refuse_to_outpaint(
    tiny_files: dict[str, Path], photo: Any
) -> None:
    from engines.image.emoji import EmojiVAEEngine

    vae = EmojiVAEEngine("tiny-vae", tiny_files["vae"])
    request = ImageRequest("", init_image=photo[0], outpaint=(0, 0, 16, 0))
    with pytest.raises(BadInput, match="cannot outpaint"):
        vae.generate(request, JobContext())


@pytest.mark.integration
@pytest.mark.parametrize("model_id", ["emoji-ldm", "emoji-vae"])
def test_every_shipped_model_keeps_the_photo_size(model_id: str, photo: Any) -> None:
    """The shipped models that start from a picture (the GANs cannot) give it back at its
    size for img2img, and emoji-ldm (the one that inpaints) for inpainting."""
    from engines.image.registry import load_engine

    path, pixels, mask_path = photo
    engine = load_engine(model_id)
    img2img = engine.generate(ImageRequest("", seed=0, steps=3, init_image=path), JobContext())
    assert img2img.images[0].size == PHOTO_SIZE
    if engine.can_inpaint:
        request = ImageRequest("a red heart", seed=0, steps=3, init_image=path, mask=mask_path)
        out = engine.generate(request, JobContext()).images[0]
        assert out.size == PHOTO_SIZE
        keep = _untouched(mask_path, request.mask_feather, PHOTO_SIZE)
        assert np.array_equal(np.asarray(out)[keep], pixels[keep])


def test_the_command_line_bounds_are_the_engine_bounds() -> None:
    from engines import validate
    from engines.image import compose

    assert (validate.MASK_PADDING.low, validate.MASK_PADDING.high) == (0, compose.MAX_PADDING)
    assert (validate.MASK_FEATHER.low, validate.MASK_FEATHER.high) == (0, compose.MAX_FEATHER)
    assert (validate.SCALE.low, validate.SCALE.high) == (compose.MIN_SCALE, compose.MAX_SCALE)
