"""The Explore tab at the default window size with the bundled emoji DCGAN: each latent
direction slider has a visible label (its name and value), and no slider or label is
drawn over the latent pad or its corner pictures (issue 18, defect 2)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from studio.main_window import MainWindow
from studio.panels.image import ImagePanel

pytestmark = pytest.mark.gui

pytest.importorskip("torch")
ARTIFACTS = Path(__file__).resolve().parent.parent / "_artifacts"


def on_window(widget: QWidget) -> QRect:
    """The widget's rectangle in its window's coordinates."""
    return QRect(widget.mapTo(widget.window(), QPoint(0, 0)), widget.size())


@pytest.fixture
def explore(qtbot: QtBot, make_window: Callable[..., MainWindow]) -> ImagePanel:
    window = make_window()
    assert (window.width(), window.height()) == (1280, 800)  # the default size
    window.show_panel("image")
    panel = window.panels["image"]
    assert isinstance(panel, ImagePanel)
    box = panel.controls.model
    index = box.findData("emoji-dcgan")
    if index < 0 or not box.model().item(index).isEnabled():  # type: ignore[attr-defined]
        pytest.skip("the bundled emoji DCGAN is not installed")
    box.setCurrentIndex(index)
    panel.tabs.setCurrentIndex(2)
    panel.ensure_engine()
    qtbot.waitUntil(lambda: panel.engine is not None, timeout=60_000)
    panel.start_pad()
    qtbot.waitUntil(lambda: panel.pad.frame is not None, timeout=30_000)
    return panel


def test_direction_sliders_are_labelled_and_clear_of_the_pad(explore: ImagePanel) -> None:
    panel = explore
    directions = panel.explore_info.directions if panel.explore_info else ()
    sliders, labels = panel.directions.sliders, panel.directions.labels
    assert len(directions) >= 2 and len(sliders) == len(labels) == min(len(directions), 5)
    pad_rect = on_window(panel.pad)
    corners = [r.toAlignedRect().translated(pad_rect.topLeft()) for r in panel.pad.corner_rects()]
    assert all(pad_rect.contains(c) for c in corners)  # the corner pictures are in view
    placed: list[QRect] = []
    for direction, slider, label in zip(directions, sliders, labels, strict=False):
        assert slider.isVisible() and label.isVisible()
        assert direction.name.lower() in label.text().lower() and "+0.00" in label.text()
        assert label.buddy() is slider
        for widget in (label, slider):
            rect = on_window(widget)
            assert not rect.intersects(pad_rect), (widget.objectName(), rect, pad_rect)
            assert not any(rect.intersects(c) for c in corners)
            assert all(not rect.intersects(other) for other in placed)  # nor each other
            placed.append(rect)
    # Everything stays inside the tab, nothing cut off below it.
    tab = on_window(panel.tabs.currentWidget())
    assert all(tab.contains(r) for r in placed)
    assert tab.contains(on_window(panel.directions.reset_button))
    ARTIFACTS.mkdir(exist_ok=True)
    panel.window().grab().save(str(ARTIFACTS / "image-panel-directions.png"))


def test_a_slider_shows_its_value_moves_the_pad_and_reset_zeroes_it(
    qtbot: QtBot, explore: ImagePanel
) -> None:
    panel = explore
    slider, label = panel.directions.sliders[1], panel.directions.labels[1]
    direction = panel.explore_info.directions[1] if panel.explore_info else None
    assert direction is not None
    before = panel.pad.frame
    slider.setValue(50)
    assert "+1.50 σ" in label.text()
    assert dict(panel.explore.direction_amounts)[direction.index] == pytest.approx(
        1.5 * direction.spread
    )
    qtbot.waitUntil(lambda: panel.pad.frame is not before, timeout=30_000)
    panel.directions.reset_button.click()
    assert slider.value() == 0 and "+0.00 σ" in label.text()
    assert panel.explore.direction_amounts == ()
