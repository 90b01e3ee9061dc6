"""The Edit tab's layers on the real Image panel (#15): each edit result comes in as a
layer over the photo, the canvas shows exactly flatten() of the visible stack as the eyes,
the opacity slider, Up/Down and Undo change it, and Save and the drag out give that
picture as a PNG whose recipe names every layer. A screenshot goes to tests/_artifacts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPointF, Qt

from engines.image.layers import Layer, flatten
from engines.imagefile import Recipe, load_image, save_png
from studio.main_window import MainWindow
from studio.panels.image import ImagePanel
from studio.widgets.gallery import GalleryEntry, new_entry
from tests.gui.test_image_panel import ARTIFACTS, _drop

pytestmark = pytest.mark.gui

ZOOM = 4  # whole screen pixels per picture pixel: drawn without smoothing


@pytest.fixture
def layered_panel(make_window: Callable[..., MainWindow]) -> ImagePanel:
    window = make_window()
    window.show_panel("image")
    panel = window.panels["image"]
    assert isinstance(panel, ImagePanel)
    return panel


def _result(folder: Path, name: str, prompt: str, seed: int) -> GalleryEntry:
    """An opaque edit result of the photo's size, saved as the panel saves one."""
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 256, (48, 64, 3), dtype=np.uint8)
    recipe = Recipe(prompt=prompt, seed=seed, model="tiny-sd", strength=0.6)
    path = save_png(Image.fromarray(pixels, "RGB"), folder / name, recipe)
    return new_entry(path, recipe)


def _pick(panel: ImagePanel, entry: GalleryEntry) -> None:
    """A result coming back to the Edit tab: into the strip, then onto the canvas (what
    _on_generation_done does with a finished edit, and a click on the strip does)."""
    item = panel.edit_results.add(entry)
    panel.edit_results.itemClicked.emit(item)


def _shown(panel: ImagePanel, size: tuple[int, int]) -> np.ndarray:
    """The canvas's screen pixels at each picture pixel's centre (zoom 4, no smoothing)."""
    canvas = panel.canvas
    canvas.view.zoom, canvas.view.offset, canvas.view.fitted = ZOOM, QPointF(6, 6), False
    grabbed = canvas.grab().toImage()
    out = np.empty((size[1], size[0], 3), np.uint8)
    for y in range(size[1]):
        for x in range(size[0]):
            colour = grabbed.pixelColor(6 + x * ZOOM + ZOOM // 2, 6 + y * ZOOM + ZOOM // 2)
            out[y, x] = colour.red(), colour.green(), colour.blue()
    return out


def test_results_stack_as_layers_shown_saved_and_dragged_as_flatten_says(
    layered_panel: ImagePanel, tmp_path: Path
) -> None:
    panel = layered_panel
    rng = np.random.default_rng(7)
    photo_pixels = rng.integers(0, 256, (48, 64, 3), dtype=np.uint8)
    photo_path = tmp_path / "photo.png"
    Image.fromarray(photo_pixels, "RGB").save(photo_path)
    photo_bytes = photo_path.read_bytes()
    panel.tabs.setCurrentIndex(1)
    _drop(panel, photo_path)
    stack, rows = panel.canvas.stack, panel.layers.rows
    assert rows.count() == 1 and rows.item(0).text() == "photo.png (photo)"
    assert not panel.layers.save.isEnabled()
    first = _result(tmp_path, "first-s11.png", "first", 11)
    second = _result(tmp_path, "second-s12.png", "second", 12)
    _pick(panel, first)
    _pick(panel, second)
    assert [layer.name for layer in stack.layers] == [first.path.name, second.path.name]
    assert [rows.item(r).text() for r in range(rows.count())] == [
        second.path.name,
        first.path.name,
        "photo.png (photo)",
    ]
    assert panel.canvas.source_name == "photo.png"  # the photo is never replaced
    assert np.array_equal(np.asarray(panel.canvas.init_image.convert("RGB")), photo_pixels)
    low, top = (layer.pixels for layer in stack.layers)
    assert np.array_equal(low, np.asarray(load_image(first.path).image.convert("RGB")))
    assert not np.array_equal(low, top)  # two different results (the test can tell them)

    def expect(*layers: Layer) -> np.ndarray:
        want = flatten(photo_pixels, list(layers))
        assert np.array_equal(_shown(panel, (64, 48)), want)
        return want

    assert np.array_equal(expect(Layer(low), Layer(top)), top)
    rows.item(0).setCheckState(Qt.CheckState.Unchecked)  # the top layer's eye
    assert stack.layers[1].visible is False
    assert np.array_equal(expect(Layer(low), Layer(top, visible=False)), low)
    rows.item(1).setCheckState(Qt.CheckState.Unchecked)
    assert np.array_equal(
        expect(Layer(low, visible=False), Layer(top, visible=False)), photo_pixels
    )
    rows.item(0).setCheckState(Qt.CheckState.Checked)
    rows.item(1).setCheckState(Qt.CheckState.Checked)
    rows.setCurrentRow(0)
    panel.layers.opacity.setValue(50)
    assert stack.layers[1].percent == 50
    half = expect(Layer(low), Layer(top, 0.5))
    assert np.array_equal(half, (low.astype(int) + top + 1) // 2)  # the exact rounded mean

    rows.setCurrentRow(1)  # the lower result, then Up: it goes on top
    panel.layers.up.click()
    assert [layer.name for layer in stack.layers] == [second.path.name, first.path.name]
    assert np.array_equal(expect(Layer(top, 0.5), Layer(low)), low)
    panel.layers.undo.click()
    assert [layer.name for layer in stack.layers] == [first.path.name, second.path.name]
    assert stack.selected == 0 and rows.currentRow() == 1  # the moved layer, back in place
    assert panel.layers.opacity_label.text() == "Opacity 100%"
    expect(Layer(low), Layer(top, 0.5))

    saved = panel.save_composite(tmp_path / "out" / "composite")
    assert saved is None and "Could not save" in panel.message_label.text()  # no folder
    saved = panel.save_composite(tmp_path / "composite.png")
    assert saved is not None
    reopened = load_image(saved)
    assert np.array_equal(np.asarray(reopened.image.convert("RGB")), half)
    recipe = reopened.recipe
    assert recipe is not None and recipe.prompt == "second"
    assert recipe.extra["Composite"] == "3 layers"
    assert recipe.extra["Layer 1"] == "photo.png; source photo"
    made_with = "model tiny-sd; strength 0.6"
    assert recipe.extra["Layer 2"] == f"{first.path.name}; 100%; first; seed 11; {made_with}"
    assert recipe.extra["Layer 3"] == f"{second.path.name}; 50%; second; seed 12; {made_with}"
    assert recipe.extra["Layer opacity"] == "50%"

    mime = panel.canvas.result_mime_data()  # what a drag out of the canvas carries
    assert mime is not None
    (url,) = mime.urls()
    dragged = Path(url.toLocalFile())
    assert dragged.parent == panel._scratch
    assert bytes(mime.data("image/png").data()) == dragged.read_bytes()
    assert np.array_equal(np.asarray(load_image(dragged).image.convert("RGB")), half)
    assert load_image(dragged).recipe == recipe
    handle = panel.layers.drag.mime_data()  # the list's drag handle: the same picture
    assert handle is not None
    assert np.array_equal(
        np.asarray(load_image(handle.urls()[0].toLocalFile()).image)[..., :3], half
    )
    assert photo_path.read_bytes() == photo_bytes  # the original is never overwritten

    panel.canvas.fit()
    ARTIFACTS.mkdir(exist_ok=True)
    panel.window().grab().save(str(ARTIFACTS / "image-layers.png"))

    rows.setCurrentRow(0)
    panel.layers.delete.click()
    assert [layer.name for layer in stack.layers] == [first.path.name]
    expect(Layer(low))
    rows.item(0).setText("kept sky")  # double-click rename, as the editor commits it
    assert stack.layers[0].name == "kept sky"
