"""The Edit tab's flattened picture carries content credentials (#16) as an edit of the
user's photo, on the real Image panel: the layers list's Save…, the canvas's drag out and
both drag handles give PNGs that validate with engines.credentials.read_credentials, say
``c2pa.edited`` and name the photo as their parentOf ingredient, keep flatten()'s pixels
exactly (an edit is never watermarked, #15), and fail validation once a pixel is changed.
With signing off in Settings they carry nothing. A pasted picture (no file) and a photo
changed on disk since it was opened are named by a copy of what the canvas holds."""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from engines.credentials import read_credentials
from engines.image.layers import Layer, flatten
from engines.imagefile import Recipe, load_image, save_png
from studio.main_window import MainWindow
from studio.panels.image import ImagePanel
from studio.widgets.gallery import new_entry
from tests.gui.test_image_panel import _drop

pytestmark = pytest.mark.gui

SIZE = (64, 48)


@pytest.fixture
def panel(make_window: Callable[..., MainWindow]) -> ImagePanel:
    window = make_window()
    window.show_panel("image")
    panel = window.panels["image"]
    assert isinstance(panel, ImagePanel)
    panel.tabs.setCurrentIndex(1)
    return panel


def _pixels(seed: int, size: tuple[int, int] = SIZE) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)


def _add_result(panel: ImagePanel, folder: Path, seed: int, size: tuple[int, int] = SIZE) -> None:
    """A result of the photo, saved as the panel saves one, back on the canvas."""
    recipe = Recipe(prompt=f"result {seed}", seed=seed, model="tiny-sd", strength=0.6)
    path = save_png(Image.fromarray(_pixels(seed, size), "RGB"), folder / f"r{seed}.png", recipe)
    entry = new_entry(path, recipe)
    panel.edit_results.itemClicked.emit(panel.edit_results.add(entry))


def _chunks(data: bytes) -> list[bytes]:
    out, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        out.append(data[at : at + 12 + length])
        at += 12 + length
    return out


def _tampered(path: Path) -> Path:
    """The signed PNG with one pixel changed: its other chunks (the manifest among
    them) kept, its pixel data rewritten, so it is a valid PNG the signature no longer
    covers."""
    with Image.open(path) as im:
        pixels = im.convert("RGBA")
    r, g, b, a = pixels.getpixel((3, 3))
    pixels.putpixel((3, 3), ((r + 128) % 256, g, b, a))
    other = path.with_name("other.png")
    pixels.save(other)
    idat = b"".join(c for c in _chunks(other.read_bytes()) if c[4:8] == b"IDAT")
    signed = _chunks(path.read_bytes())
    first = next(i for i, c in enumerate(signed) if c[4:8] == b"IDAT")
    rest = [c for c in signed if c[4:8] != b"IDAT"]
    out = path.with_name("tampered.png")
    out.write_bytes(b"\x89PNG\r\n\x1a\n" + b"".join(rest[:first]) + idat + b"".join(rest[first:]))
    return out


def _written(panel: ImagePanel, tmp_path: Path, name: str) -> list[Path]:
    """The flattened picture from every way out: Save…, the canvas's drag (its file,
    and the PNG bytes it carries, which are that file's), both drag handles."""
    saved = panel.save_composite(tmp_path / name)
    assert saved is not None, panel.message_label.text()
    mime = panel.canvas.result_mime_data()
    assert mime is not None
    dragged = Path(mime.urls()[0].toLocalFile())
    assert bytes(mime.data("image/png").data()) == dragged.read_bytes()
    files = [saved, dragged]
    for handle in (panel.layers.drag, panel.canvas_actions.drag):
        handle_mime = handle.mime_data()
        assert handle_mime is not None
        files.append(Path(handle_mime.urls()[0].toLocalFile()))
    assert len(set(files)) == 4  # four files, none written over another
    assert not [p for p in tmp_path.rglob("*") if "sozo-partial" in p.name]
    return files


def test_saved_and_dragged_edits_are_signed_as_edits_of_the_photo(
    panel: ImagePanel, tmp_path: Path
) -> None:
    photo = _pixels(1)
    photo_path = tmp_path / "photo.png"
    Image.fromarray(photo, "RGB").save(photo_path)
    _drop(panel, photo_path)
    _add_result(panel, tmp_path, 2)
    _add_result(panel, tmp_path, 3)
    panel.canvas.stack.set_opacity(1, 40)
    want = flatten(photo, [Layer(_pixels(2)), Layer(_pixels(3), 0.4)])
    assert panel.context.settings.sign  # on by default

    for path in _written(panel, tmp_path, "composite.png"):
        found = read_credentials(path)
        assert found.present and found.valid, (path, found.problems)
        assert "c2pa.edited" in found.action and "c2pa.created" not in found.action
        assert found.ingredients == ("photo.png (parentOf)",)
        # Exactly flatten() of the stack: no watermark moved a pixel of the edit.
        assert np.array_equal(np.asarray(load_image(path).image.convert("RGB")), want)
        recipe = load_image(path).recipe
        assert recipe is not None and recipe.extra["Composite"] == "3 layers"
        bad = read_credentials(_tampered(path))
        assert bad.present and not bad.valid and bad.problems

    panel.context.settings.sign = False
    for path in _written(panel, tmp_path, "plain.png"):
        assert not read_credentials(path).present
        assert np.array_equal(np.asarray(load_image(path).image.convert("RGB")), want)


def test_a_pasted_picture_and_a_changed_photo_are_named_by_a_copy(
    panel: ImagePanel, tmp_path: Path
) -> None:
    canvas = panel.canvas
    canvas.set_image(Image.fromarray(_pixels(4), "RGB"), "pasted image")  # no file
    _add_result(panel, tmp_path, 5)
    path = canvas.write_flattened()
    assert path is not None
    found = read_credentials(path)
    assert found.valid and "c2pa.edited" in found.action, found.problems
    assert found.ingredients == ("pasted image.tiff (parentOf)",)
    copy = panel._scratch / "pasted image.tiff"
    assert np.array_equal(np.asarray(Image.open(copy).convert("RGB")), _pixels(4))
    assert canvas.write_flattened() is not None
    assert sorted(p.name for p in panel._scratch.glob("*.tiff")) == ["pasted image.tiff"]

    photo_path = tmp_path / "trip.jpg"
    Image.fromarray(_pixels(6), "RGB").save(photo_path, quality=95)
    _drop(panel, photo_path)
    _add_result(panel, tmp_path, 7)
    found = read_credentials(canvas.write_flattened() or Path())
    assert found.valid and found.ingredients == ("trip.jpg (parentOf)",)
    photo_path.write_bytes(photo_path.read_bytes() + b"\0" * 10)  # changed since opened
    found = read_credentials(canvas.write_flattened() or Path())
    assert found.valid and found.ingredients == ("trip.tiff (parentOf)",)


def test_a_result_of_another_size_drags_out_signed(panel: ImagePanel, tmp_path: Path) -> None:
    photo_path = tmp_path / "photo.png"
    Image.fromarray(_pixels(8), "RGB").save(photo_path)
    _drop(panel, photo_path)
    _add_result(panel, tmp_path, 9, (128, 96))  # a 2x result: a preview, not a layer
    assert panel.canvas._preview is not None
    mime = panel.canvas.result_mime_data()
    assert mime is not None
    dragged = Path(mime.urls()[0].toLocalFile())
    found = read_credentials(dragged)
    assert found.valid and "c2pa.edited" in found.action, found.problems
    assert found.ingredients == ("photo.png (parentOf)",)
    assert load_image(dragged).image.size == (128, 96)
    assert not read_credentials(_tampered(dragged)).valid
