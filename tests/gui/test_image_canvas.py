"""The image canvas: drop a file, paint a mask with the mouse, undo and redo, bad files.

The tools one by one (zoom, pan, eraser, rectangle, invert, mask files, the result layer)
are in test_canvas_tools.py."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from pytestqt.qtbot import QtBot

from engines.imagefile import Recipe, save_png
from studio.widgets.image_canvas import ImageCanvas

pytestmark = pytest.mark.gui

ARTIFACTS = Path(__file__).resolve().parent.parent / "_artifacts"


def _drop(canvas: ImageCanvas, *paths: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    # Qt delivers a drop only inside a real drag session, which offscreen tests cannot
    # start; so the event goes straight to the handler Qt would call.
    canvas.dropEvent(event)


def _canvas(qtbot: QtBot) -> ImageCanvas:
    canvas = ImageCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(400, 300)
    canvas.show()
    qtbot.waitExposed(canvas)
    return canvas


def test_dropping_a_file_keeps_the_whole_picture_at_its_size(qtbot: QtBot, tmp_path: Path) -> None:
    """Issue 15: nothing is cropped to the model's aspect; the mask is the picture's size."""
    photo = tmp_path / "wide.png"
    Image.new("RGB", (300, 150), "orange").save(photo)
    canvas = _canvas(qtbot)
    with qtbot.waitSignal(canvas.image_changed):
        _drop(canvas, photo)
    assert canvas.init_image is not None and canvas.init_image.size == (300, 150)
    assert canvas.mask_pil().size == (300, 150)
    shown = canvas.picture_rect()
    assert abs(shown.width() / shown.height() - 2.0) < 0.01  # the whole picture, not a square
    assert canvas.rect().toRectF().contains(shown)  # fitted into the widget


def test_painting_changes_the_mask_and_undo_restores_it(qtbot: QtBot, tmp_path: Path) -> None:
    photo = tmp_path / "square.png"
    Image.new("RGB", (128, 128), "teal").save(photo)
    canvas = _canvas(qtbot)
    _drop(canvas, photo)
    assert not canvas.has_mask()
    rect = canvas.picture_rect()
    start = QPoint(int(rect.left() + rect.width() * 0.3), int(rect.center().y()))
    end = QPoint(int(rect.left() + rect.width() * 0.7), int(rect.center().y()))
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(canvas, end)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=end)
    mask = canvas.mask_pil()
    assert canvas.has_mask()
    left, _top, right, _bottom = mask.getbbox()
    assert left < 48 and right > 80  # the stroke spans the middle of the 128 px mask
    assert mask.getpixel((64, 64)) == 255
    assert mask.getpixel((64, 4)) == 0

    canvas.erasing = True
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert canvas.mask_pil().getpixel((64, 64)) == 0
    canvas.undo()
    assert canvas.mask_pil().getpixel((64, 64)) == 255
    canvas.undo()
    assert not canvas.has_mask()
    canvas.redo()
    assert canvas.mask_pil().getpixel((64, 64)) == 255
    canvas.clear_mask()
    assert not canvas.has_mask()
    canvas.undo()
    assert canvas.has_mask()
    ARTIFACTS.mkdir(exist_ok=True)
    canvas.grab().save(str(ARTIFACTS / "image-canvas-mask.png"))


def test_soft_brush_paints_a_gradient_edge(qtbot: QtBot, tmp_path: Path) -> None:
    photo = tmp_path / "square.png"
    Image.new("RGB", (64, 64), "white").save(photo)
    canvas = _canvas(qtbot)
    _drop(canvas, photo)
    canvas.brush_size, canvas.softness = 20, 1.0
    centre = canvas.picture_rect().center().toPoint()
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=centre)
    mask = canvas.mask_pil()
    values = {mask.getpixel((32 + dx, 32)) for dx in range(0, 10)}
    assert len(values) > 4  # a fall-off, not a hard disc


def test_bad_drops_leave_the_canvas_unchanged_and_say_why(qtbot: QtBot, tmp_path: Path) -> None:
    photo = tmp_path / "ok.png"
    Image.new("RGB", (64, 64), "red").save(photo)
    broken = tmp_path / "broken.png"
    broken.write_bytes(photo.read_bytes()[:60])  # header intact, pixels cut off
    text = tmp_path / "readme.txt"
    text.write_text("not an image")
    canvas = _canvas(qtbot)
    _drop(canvas, photo)
    before = canvas.init_image
    messages: list[str] = []
    canvas.message.connect(messages.append)
    for bad in (broken, text, tmp_path):
        _drop(canvas, bad)
    assert canvas.init_image is before
    assert len(messages) == 3
    assert "damaged" in messages[0] and "not an image" in messages[1] and "folder" in messages[2]


def test_a_dropped_png_with_a_recipe_announces_it(qtbot: QtBot, tmp_path: Path) -> None:
    recipe = Recipe(prompt="a green heart", seed=3, steps=20, guidance=2.0, model="emoji-ldm")
    path = save_png(Image.new("RGBA", (64, 64), "green"), tmp_path / "made.png", recipe)
    canvas = _canvas(qtbot)
    with qtbot.waitSignal(canvas.recipe_found) as blocker:
        _drop(canvas, path)
    assert blocker.args[0].prompt == "a green heart"
    assert blocker.args[0].seed == 3


def test_pasting_an_image_puts_it_on_the_canvas(qtbot: QtBot) -> None:
    from PySide6.QtGui import QColor, QImage

    canvas = _canvas(qtbot)
    image = QImage(80, 40, QImage.Format.Format_RGBA8888)
    image.fill(QColor("green"))
    mime = QMimeData()
    mime.setImageData(image)
    assert canvas.paste(mime)
    assert canvas.init_image is not None and canvas.init_image.size == (80, 40)  # uncropped
    r, g, _b, a = canvas.init_image.getpixel((40, 20))
    assert g > 100 and r < 20 and a == 255
    messages: list[str] = []
    canvas.message.connect(messages.append)
    assert not canvas.paste(QMimeData())
    assert messages == ["The clipboard holds no image."]


def test_a_kept_result_replaces_the_picture_and_undo_brings_the_mask_back(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """A result shows as a layer over the picture; "keep" makes it the picture (#15)."""
    photo = tmp_path / "square.png"
    Image.new("RGB", (128, 128), "teal").save(photo)
    canvas = _canvas(qtbot)
    _drop(canvas, photo)
    centre = canvas.picture_rect().center().toPoint()
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=centre)
    painted = canvas.mask_pil()
    assert canvas.has_mask()
    with qtbot.waitSignal(canvas.result_changed):
        canvas.take_result(Image.new("RGBA", (128, 128), "red"), "result.png")
    assert canvas.source_name == "square.png" and canvas.result_name == "result.png"
    assert canvas.init_image is not None and canvas.init_image.getpixel((64, 64))[:3] == (
        0,
        128,
        128,
    )  # the picture the engine gets is still the original: Generate tries again
    assert canvas.has_mask()
    with qtbot.waitSignal(canvas.image_changed):
        canvas.keep_result()
    assert canvas.source_name == "result.png" and canvas.result is None
    assert canvas.init_image is not None and canvas.init_image.getpixel((64, 64)) == (
        255,
        0,
        0,
        255,
    )
    assert not canvas.has_mask()  # the new pixels are not hidden under the old mask
    canvas.undo()
    assert np.array_equal(np.asarray(canvas.mask_pil()), np.asarray(painted))
    canvas.undo()  # nothing older: the result's picture is a fresh start
    assert canvas.has_mask()
