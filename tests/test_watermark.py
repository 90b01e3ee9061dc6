"""The image watermark (engines.watermark): found in marked pictures (as written, as
JPEG, halved), with its version; not found in unmarked ones; small pictures unmarked.
Its robustness over 100 pictures is measured in tests/bench/bench_watermark.py."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from engines import watermark
from tests.watermark_images import model_output_tiles, textured


def _jpeg_half(rgb: np.ndarray) -> np.ndarray:
    im = Image.fromarray(rgb)
    im = im.resize((im.width // 2, im.height // 2), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=75)
    return np.asarray(Image.open(buffer).convert("RGB"))


def _pictures() -> list[np.ndarray]:
    tiles = list(model_output_tiles(size=384))
    return [tiles[0], tiles[len(tiles) // 2], textured(101, 384), textured(102, 300)]


def test_marked_pictures_are_detected_with_their_version() -> None:
    for i, rgb in enumerate(_pictures()):
        marked = watermark.embed(rgb, version=7 + i)
        assert marked.shape == rgb.shape and marked.dtype == np.uint8
        assert watermark.psnr(rgb, marked) > 45
        for seen in (marked, _jpeg_half(marked)):
            found = watermark.detect(seen)
            assert found.found and found.version == 7 + i, found
        assert watermark.detect(rgb).found is False  # the same picture before marking


def test_unmarked_pictures_are_not_detected() -> None:
    """The false-positive rate on 40 unmarked pictures (textures, noise, flat): none.
    Each bit of an unmarked picture reads as a coin toss, so the id errors sit near 16."""
    rng = np.random.default_rng(5)
    pictures = [textured(200 + i, 256) for i in range(30)]
    pictures += [rng.integers(0, 256, (256, 256, 3), dtype=np.uint8) for _ in range(8)]
    pictures += [np.full((256, 256, 3), 255, np.uint8), np.zeros((300, 200, 3), np.uint8)]
    errors = []
    for rgb in pictures:
        found = watermark.detect(rgb)
        assert not found.found
        errors.append(found.id_errors)
    assert 8 < float(np.mean(errors[:38])) < 24


def test_small_pictures_are_left_as_they_are() -> None:
    rgb = textured(3, 96)
    assert np.array_equal(watermark.embed(rgb), rgb)
    assert not watermark.detect(rgb[:40, :40]).found


@pytest.mark.parametrize("version", [0, 1, 0xFFFF])
def test_payload_holds_the_id_then_the_version(version: int) -> None:
    bits = watermark.payload(version)
    assert len(bits) == 48
    value = int("".join(map(str, bits)), 2)
    assert value >> 16 == watermark.STUDIO_ID and value & 0xFFFF == version
