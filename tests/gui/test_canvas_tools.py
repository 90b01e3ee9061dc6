"""Each canvas tool at a zoom other than 1 (issue 15): the brush marks the pixels under it,
the eraser, undo/redo 50 steps byte for byte, invert, clear, the rectangle, a dropped mask
file, zoom and pan about the cursor, and the result layer's opacity, compare, flatten,
drag-out and keep."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QPointF, QRect, Qt, QUrl
from PySide6.QtGui import QDropEvent, QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from engines.imagefile import Recipe, load_image
from studio.widgets.canvas import CanvasTool, ImageCanvas
from studio.widgets.canvas.mask_layer import UNDO_BUDGET, MaskLayer
from studio.widgets.canvas.toolbar import CanvasActions

pytestmark = pytest.mark.gui

ARTIFACTS = Path(__file__).resolve().parent.parent / "_artifacts"


def _canvas(qtbot: QtBot, size: tuple[int, int] = (200, 100)) -> ImageCanvas:
    canvas = ImageCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(400, 300)
    canvas.show()
    qtbot.waitExposed(canvas)
    gradient = np.zeros((size[1], size[0], 3), np.uint8)
    gradient[..., 0] = np.linspace(0, 255, size[0], dtype=np.uint8)[None, :]
    gradient[..., 2] = 160
    canvas.set_image(Image.fromarray(gradient, "RGB"), "photo.png")
    return canvas


def _set_view(canvas: ImageCanvas, zoom: float, x: float, y: float) -> None:
    """A known view: picture point p is drawn at (x, y) + p * zoom."""
    canvas.view.zoom, canvas.view.offset, canvas.view.fitted = zoom, QPointF(x, y), False
    canvas.update()


def _mask(canvas: ImageCanvas) -> np.ndarray:
    return np.asarray(canvas.mask_pil())


def _centre_distance(shape: tuple[int, int], cx: float, cy: float) -> np.ndarray:
    """Distance of each pixel's centre from the picture point (cx, cy)."""
    ys, xs = np.mgrid[0 : shape[0], 0 : shape[1]]
    return np.hypot(xs + 0.5 - cx, ys + 0.5 - cy)


def _drag(qtbot: QtBot, canvas: ImageCanvas, button: Qt.MouseButton, *points: QPoint) -> None:
    qtbot.mousePress(canvas, button, pos=points[0])
    for point in points[1:]:
        qtbot.mouseMove(canvas, point)
    qtbot.mouseRelease(canvas, button, pos=points[-1])


def _wheel(canvas: ImageCanvas, at: QPointF, notches: float) -> None:
    event = QWheelEvent(
        at,
        canvas.mapToGlobal(at),
        QPoint(0, 0),
        QPoint(0, round(120 * notches)),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(canvas, event)


def test_the_brush_marks_the_pixels_under_it_at_a_zoom(qtbot: QtBot) -> None:
    canvas = _canvas(qtbot)
    _set_view(canvas, 2.5, 10.0, 20.0)
    canvas.brush_size, canvas.hardness = 10.0, 1.0
    _drag(qtbot, canvas, Qt.MouseButton.LeftButton, QPoint(135, 95))  # picture (50, 30)
    mask = _mask(canvas)
    distance = _centre_distance(mask.shape, 50.0, 30.0)
    assert (mask[distance <= 4.3] == 255).all()  # inside the 5-pixel radius: painted
    assert (mask[distance >= 5.7] == 0).all()  # outside (beyond the antialiased rim): not
    assert mask.shape == (100, 200)

    # A drag paints the segment between the points (in picture pixels, 40 px apart).
    canvas.clear_mask()
    _drag(qtbot, canvas, Qt.MouseButton.LeftButton, QPoint(60, 70), QPoint(160, 70))
    mask = _mask(canvas)
    assert (mask[18:23, 20:61] == 255).all()  # y 20 ± 2, x 20..60
    assert (mask[:14] == 0).all() and (mask[27:] == 0).all()
    ARTIFACTS.mkdir(exist_ok=True)
    canvas.grab().save(str(ARTIFACTS / "image-canvas-zoomed.png"))


def test_the_eraser_by_key_and_by_right_button(qtbot: QtBot) -> None:
    canvas = _canvas(qtbot)
    _set_view(canvas, 2.0, 0.0, 0.0)
    canvas.brush_size, canvas.hardness = 20.0, 1.0
    canvas.set_mask(Image.new("L", (200, 100), 255))
    _drag(qtbot, canvas, Qt.MouseButton.RightButton, QPoint(100, 100))  # picture (50, 50)
    mask = _mask(canvas)
    assert mask[50, 50] == 0 and mask[50, 80] == 255
    assert not canvas.erasing  # the right button erases for that stroke only
    with qtbot.waitSignal(canvas.erasing_changed):
        qtbot.keyClick(canvas, Qt.Key.Key_E)
    assert canvas.erasing
    _drag(qtbot, canvas, Qt.MouseButton.LeftButton, QPoint(300, 100))  # picture (150, 50)
    assert _mask(canvas)[50, 150] == 0
    qtbot.keyClick(canvas, Qt.Key.Key_E)
    assert not canvas.erasing


def test_brackets_resize_the_brush_and_the_outline_shows_it_at_the_zoom(
    qtbot: QtBot,
) -> None:
    canvas = _canvas(qtbot)
    _set_view(canvas, 3.0, 0.0, 0.0)
    canvas.brush_size = 20.0
    sizes: list[float] = []
    canvas.brush_size_changed.connect(sizes.append)
    qtbot.keyClick(canvas, Qt.Key.Key_BracketRight)
    qtbot.keyClick(canvas, Qt.Key.Key_BracketLeft)
    qtbot.keyClick(canvas, Qt.Key.Key_BracketLeft)
    assert sizes == [25.0, 20.0, 16.0]
    canvas.set_image(Image.new("RGB", (200, 100), "black"), "dark.png")
    _set_view(canvas, 3.0, 0.0, 0.0)
    qtbot.mouseMove(canvas, QPoint(150, 150))
    qtbot.wait(20)
    shot = canvas.grab().toImage()
    radius = 16.0 / 2 * 3.0  # 24 screen pixels at 300%
    assert shot.pixelColor(150 + round(radius), 150).lightness() > 200  # the white outline
    assert shot.pixelColor(150 + round(radius) - 6, 150).lightness() < 40  # inside: picture
    assert shot.pixelColor(150 + round(radius) + 6, 150).lightness() < 40


def test_undo_and_redo_fifty_steps_give_back_the_same_bytes(qtbot: QtBot) -> None:
    canvas = _canvas(qtbot, (640, 480))
    _set_view(canvas, 0.6, 5.0, 3.0)
    canvas.brush_size, canvas.softness = 24.0, 0.6
    rng = random.Random(0)
    states = [_mask(canvas).copy()]
    for step in range(50):
        kind = step % 10
        if kind == 7:
            canvas.invert_mask()
        elif kind == 9:
            canvas.clear_mask()
        elif kind == 5:
            canvas.tool = CanvasTool.rectangle
            a = QPoint(rng.randrange(0, 380), rng.randrange(0, 290))
            b = QPoint(rng.randrange(0, 380), rng.randrange(0, 290))
            _drag(qtbot, canvas, Qt.MouseButton.LeftButton, a, b)
            canvas.tool = CanvasTool.brush
        else:
            button = Qt.MouseButton.RightButton if kind == 3 else Qt.MouseButton.LeftButton
            points = [QPoint(rng.randrange(5, 385), rng.randrange(3, 290)) for _ in range(4)]
            _drag(qtbot, canvas, button, *points)
        states.append(_mask(canvas).copy())
    assert len(canvas.mask_layer.undo_steps) == 50
    assert len({s.tobytes() for s in states}) > 40  # the steps really changed the mask
    for expected in reversed(states[:-1]):
        canvas.undo()
        assert np.array_equal(_mask(canvas), expected)
    assert not canvas.can_undo
    for expected in states[1:]:
        canvas.redo()
        assert np.array_equal(_mask(canvas), expected)


def test_undo_keeps_only_what_strokes_changed_on_a_large_mask() -> None:
    """Fifty strokes of a 40-pixel brush, each 200 pixels long, on a 3000x2000 mask: the
    undo steps hold the tiles they touched, not fifty copies of the 6 MB mask."""
    layer = MaskLayer(3000, 2000)
    rng = random.Random(1)
    for _ in range(50):
        x, y = rng.uniform(100, 2700), rng.uniform(100, 1700)
        layer.begin_stroke()
        for i in range(10):  # ten mouse moves of 20 pixels
            layer.stroke(QPointF(x + 20 * i, y), QPointF(x + 20 * (i + 1), y), 40.0, 0.5, False)
        layer.end_stroke()
    full = 3000 * 2000
    assert len(layer.undo_steps) == 50
    assert layer.undo_bytes < 50 * (240 + 64) * (40 + 64)  # the strokes' tiles at most
    assert layer.undo_bytes < 0.01 * 50 * full


def test_huge_undo_steps_beyond_fifty_are_dropped_over_the_budget() -> None:
    layer = MaskLayer(4000, 1000)  # 4 MB: each rectangle over all of it keeps 4 MB
    for i in range(90):
        layer.fill_rect(QRect(0, 0, 4000, 1000), erasing=i % 2 == 1)
    assert len(layer.undo_steps) == 64  # 50 kept, then as many as fit in 256 MB
    assert layer.undo_bytes <= UNDO_BUDGET
    for _ in range(64):
        layer.undo()
    # Back to the mask after the 26th fill, the oldest step not dropped: an erase.
    assert not layer.undo_steps and layer.pixels().max() == 0
    layer.redo()
    assert layer.pixels().min() == 255


def test_invert_clear_and_the_rectangle_tool(qtbot: QtBot) -> None:
    canvas = _canvas(qtbot)
    _set_view(canvas, 1.5, 20.0, 40.0)
    canvas.tool = CanvasTool.rectangle
    # View (50, 70) .. (110, 100) is picture (20, 20) .. (60, 40): exactly those pixels.
    _drag(
        qtbot, canvas, Qt.MouseButton.LeftButton, QPoint(50, 70), QPoint(80, 85), QPoint(110, 100)
    )
    expected = np.zeros((100, 200), np.uint8)
    expected[20:40, 20:60] = 255
    assert np.array_equal(_mask(canvas), expected)
    # The right button unmasks a rectangle: picture (30, 24) .. (40, 32).
    _drag(qtbot, canvas, Qt.MouseButton.RightButton, QPoint(65, 76), QPoint(80, 88))
    expected[24:32, 30:40] = 0
    assert np.array_equal(_mask(canvas), expected)
    canvas.invert_mask()
    assert np.array_equal(_mask(canvas), 255 - expected)
    canvas.clear_mask()
    assert not canvas.has_mask()
    canvas.undo()
    assert np.array_equal(_mask(canvas), 255 - expected)
    canvas.undo()
    assert np.array_equal(_mask(canvas), expected)


def _drop(canvas: ImageCanvas, path: Path, shift: bool = False) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    modifiers = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    canvas.dropEvent(
        QDropEvent(
            QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, modifiers
        )
    )


def test_a_dropped_black_and_white_file_is_the_mask_scaled_with_a_notice(
    qtbot: QtBot, tmp_path: Path
) -> None:
    canvas = _canvas(qtbot)
    messages: list[str] = []
    canvas.message.connect(messages.append)
    small = Image.new("L", (50, 25), 0)
    small.paste(255, (10, 5, 20, 15))  # a quarter of the picture's size
    small.save(tmp_path / "mask.png")
    with qtbot.waitSignal(canvas.mask_changed):
        _drop(canvas, tmp_path / "mask.png")
    assert canvas.source_name == "photo.png"  # still the same picture
    mask = _mask(canvas)
    assert mask.shape == (100, 200)
    assert mask[40, 60] == 255 and mask[5, 5] == 0 and mask[80, 150] == 0
    assert messages == ["The mask mask.png is 50×25 and the picture 200×100: it was scaled to fit."]
    canvas.undo()
    assert not canvas.has_mask()

    exact = Image.new("L", (200, 100), 0)
    exact.paste(255, (0, 0, 100, 100))
    exact.convert("RGB").save(tmp_path / "half.png")  # grey as RGB is still a mask
    _drop(canvas, tmp_path / "half.png")
    assert np.array_equal(_mask(canvas), np.asarray(exact))
    assert "half.png is the mask now" in messages[-1]
    canvas.clear_mask()
    assert canvas.load_mask_file(tmp_path / "half.png")  # the toolbar's "Load mask…"
    assert np.array_equal(_mask(canvas), np.asarray(exact))
    assert not canvas.load_mask_file(tmp_path / "missing.png")
    assert messages[-1] == "missing.png does not exist."
    _drop(canvas, tmp_path / "half.png", shift=True)  # Shift: open it as the picture
    assert canvas.source_name == "half.png" and not canvas.has_mask()


def test_zoom_and_pan_keep_the_point_under_the_cursor(qtbot: QtBot) -> None:
    canvas = _canvas(qtbot)
    fitted = canvas.picture_rect()
    assert canvas.rect().toRectF().contains(fitted)  # starts fitted
    at = QPointF(123.0, 77.0)
    under = canvas.to_picture(at)
    _wheel(canvas, at, 2)
    assert canvas.view.zoom == pytest.approx(fitted.width() / 200 * 1.25**2)
    after = canvas.to_picture(at)
    assert (after.x(), after.y()) == pytest.approx((under.x(), under.y()))
    _wheel(canvas, at, -3)
    after = canvas.to_picture(at)
    assert (after.x(), after.y()) == pytest.approx((under.x(), under.y()))

    qtbot.mouseMove(canvas, QPoint(200, 100))
    under = canvas.to_picture(QPointF(200, 100))
    zoom = canvas.view.zoom
    qtbot.keyClick(canvas, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert canvas.view.zoom == pytest.approx(zoom * 1.25)
    after = canvas.to_picture(QPointF(200, 100))
    assert (after.x(), after.y()) == pytest.approx((under.x(), under.y()))
    qtbot.keyClick(canvas, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert canvas.view.zoom == pytest.approx(zoom)

    # Space + drag and the middle button pan: the picture moves with the mouse, no paint.
    before = canvas.picture_rect().topLeft()
    qtbot.keyPress(canvas, Qt.Key.Key_Space)
    _drag(qtbot, canvas, Qt.MouseButton.LeftButton, QPoint(200, 100), QPoint(230, 140))
    qtbot.keyRelease(canvas, Qt.Key.Key_Space)
    moved = canvas.picture_rect().topLeft() - before
    assert (moved.x(), moved.y()) == pytest.approx((30.0, 40.0))
    _drag(qtbot, canvas, Qt.MouseButton.MiddleButton, QPoint(230, 140), QPoint(210, 150))
    moved = canvas.picture_rect().topLeft() - before
    assert (moved.x(), moved.y()) == pytest.approx((10.0, 50.0))
    assert not canvas.has_mask()

    qtbot.keyClick(canvas, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert canvas.view.zoom == 1.0 and canvas.picture_rect().width() == 200
    qtbot.keyClick(canvas, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert canvas.picture_rect() == fitted


def test_the_result_layer_opacity_compare_flatten_drag_out_and_keep(
    qtbot: QtBot, tmp_path: Path
) -> None:
    canvas = _canvas(qtbot)
    canvas.set_image(Image.new("RGB", (200, 100), (0, 0, 200)), "blue.png")
    canvas.drag_folder = tmp_path
    actions = CanvasActions(canvas)
    qtbot.addWidget(actions)
    assert not actions.keep.isEnabled()  # nothing to keep yet
    canvas.set_mask(Image.new("L", (200, 100), 255))
    recipe = Recipe(prompt="a red sky", seed=5, steps=12, model="tiny")
    canvas.take_result(Image.new("RGB", (200, 100), (200, 0, 0)), "red-sky-s5.png", recipe)
    assert actions.keep.isEnabled() and actions.opacity.value() == 100
    centre = canvas.picture_rect().center().toPoint()

    def shown() -> tuple[int, int, int]:
        colour = canvas.grab().toImage().pixelColor(centre)
        return colour.red(), colour.green(), colour.blue()

    assert shown() == (200, 0, 0)  # the result, not hidden under the mask's tint
    actions.opacity.setValue(25)
    assert canvas.result is not None and canvas.result.opacity == 0.25
    red, _g, blue = shown()
    assert abs(red - 50) <= 2 and abs(blue - 150) <= 2
    flat = canvas.flattened()
    assert flat is not None and flat.size == (200, 100)
    assert flat.getpixel((100, 50)) == pytest.approx((50, 0, 150, 255), abs=1)
    actions.original.setChecked(True)  # compare: the picture (and the mask over it)
    assert canvas.result.visible is False
    red, _g, blue = shown()
    assert red < 10 or blue > 150  # blue, or blue tinted cyan by the mask: no red
    actions.original.setChecked(False)

    mime = canvas.result_mime_data()  # what a drag out of the canvas carries
    assert mime is not None
    (url,) = mime.urls()
    dragged = load_image(url.toLocalFile())
    assert Path(url.toLocalFile()).parent == tmp_path
    assert dragged.recipe is not None and dragged.recipe.prompt == "a red sky"
    assert dragged.recipe.seed == 5 and dragged.recipe.extra.get("Layer opacity") == "25%"
    assert np.array_equal(np.asarray(dragged.image), np.asarray(flat))
    assert actions.drag.mime_data() is not None  # the toolbar's handle drags the same

    actions.keep.click()
    assert canvas.result is None and canvas.source_name == "red-sky-s5.png"
    assert canvas.init_image is not None
    assert np.array_equal(np.asarray(canvas.init_image), np.asarray(flat))
    assert not canvas.has_mask() and not actions.keep.isEnabled()
    canvas.undo()  # the mask comes back to go on with the same area
    assert _mask(canvas).min() == 255


def test_a_result_at_another_scale_is_drawn_over_the_picture_and_kept_at_its_size(
    qtbot: QtBot,
) -> None:
    canvas = _canvas(qtbot)
    canvas.take_result(Image.new("RGB", (400, 200), "white"), "big.png")
    whole = canvas.picture_rect()
    assert canvas.grab().toImage().pixelColor(whole.center().toPoint()).lightness() == 255
    canvas.keep_result()
    assert canvas.init_image is not None and canvas.init_image.size == (400, 200)
    assert canvas.mask_pil().size == (400, 200) and not canvas.can_undo


def test_the_mask_handed_to_the_state_is_made_once_per_edit(qtbot: QtBot) -> None:
    """The panel's state reads the mask after each stroke; on a 6000x4000 photo a copy or
    a pixel-by-pixel comparison costs tens of milliseconds, so each edit makes one copy,
    and two versions differ in ``info`` (which PIL compares before the pixels)."""
    canvas = _canvas(qtbot)
    _drag(qtbot, canvas, Qt.MouseButton.LeftButton, canvas.picture_rect().center().toPoint())
    first = canvas.mask_pil()
    assert canvas.mask_pil() is first
    canvas.invert_mask()
    second = canvas.mask_pil()
    assert second is not first and second.info != first.info
    canvas.undo()
    assert canvas.mask_pil().tobytes() == first.tobytes()
    assert canvas.mask_pil().info != first.info  # a new edit, told apart at once


def test_ctrl_drag_on_a_result_drags_it_out_and_paints_nothing(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    canvas = _canvas(qtbot)
    drags: list[bool] = []
    # QDrag.exec runs the platform's drag loop, which offscreen tests cannot end.
    monkeypatch.setattr(canvas, "_drag_out", lambda: drags.append(True))
    ctrl = Qt.KeyboardModifier.ControlModifier
    centre = canvas.picture_rect().center().toPoint()
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, ctrl, centre)
    qtbot.mouseMove(canvas, centre + QPoint(30, 0))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, ctrl, centre + QPoint(30, 0))
    assert drags == [] and canvas.has_mask()  # no result yet: Ctrl + drag paints
    canvas.clear_mask()
    canvas.take_result(Image.new("RGB", (200, 100), "white"), "white.png")
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, ctrl, centre)
    qtbot.mouseMove(canvas, centre + QPoint(30, 0))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, ctrl, centre + QPoint(30, 0))
    assert drags == [True] and not canvas.has_mask()


def test_a_stroke_repaints_only_the_region_it_changed(qtbot: QtBot) -> None:
    """On a large photo each mouse move repaints the brush's neighbourhood, not the canvas."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtGui import QPaintEvent

    canvas = _canvas(qtbot, (3000, 2000))
    canvas.brush_size = 100.0  # 13 screen pixels at the fitted zoom of about 1/8
    areas: list[int] = []

    class Spy(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if isinstance(event, QPaintEvent):
                areas.append(event.rect().width() * event.rect().height())
            return False

    spy = Spy()
    canvas.installEventFilter(spy)
    qtbot.mouseMove(canvas, QPoint(100, 150))
    qtbot.wait(20)
    areas.clear()
    points = [QPoint(100 + 10 * i, 150) for i in range(8)]
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=points[0])
    for point in points[1:]:
        qtbot.mouseMove(canvas, point)
        QApplication.processEvents()
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=points[-1])
    QApplication.processEvents()
    assert areas, "the stroke was not repainted"
    whole = canvas.width() * canvas.height()
    assert max(areas) < 0.05 * whole, (max(areas), whole)
    assert canvas.has_mask()
