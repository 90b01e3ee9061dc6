"""The Edit tab's hooks to the canvas (#15): its keys move the panel's tool row, and its
own row of actions sits above it. No model is needed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from studio.main_window import MainWindow
from studio.panels.image import ImagePanel

pytestmark = pytest.mark.gui


def test_the_canvas_keys_move_the_tool_row(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    """E and [ ] on the canvas show in the panel's brush/eraser buttons and size box, and
    the size box reaches brushes for a full-size photo (#15)."""
    window = make_window()
    window.show_panel("image")
    panel = window.panels["image"]
    assert isinstance(panel, ImagePanel)
    panel.tabs.setCurrentIndex(1)
    canvas, tools = panel.canvas, panel.tools
    canvas.set_image(Image.new("RGB", (3000, 2000), "grey"), "big.png")
    assert tools.size_box.maximum() >= 1000
    tools.size_box.setValue(100)
    assert canvas.brush_size == 100
    qtbot.keyClick(canvas, Qt.Key.Key_BracketRight)
    assert canvas.brush_size == 125 and tools.size_box.value() == 125
    qtbot.keyClick(canvas, Qt.Key.Key_E)
    assert canvas.erasing and tools.eraser.isChecked() and not tools.brush.isChecked()
    tools.brush.setChecked(True)
    assert not canvas.erasing
    assert panel.canvas_actions.isVisible()
    assert not panel.canvas_actions.keep.isEnabled()  # no result yet
