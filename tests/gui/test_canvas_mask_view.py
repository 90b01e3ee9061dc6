"""Strokes on a large photo hand the Image panel's state a view of the mask, not a copy
(#15: no full-image copy per stroke): the state's value changes with every stroke, no
stroke copies the mask's pixels, and a generation still gets exactly the painted mask
(one copy, when it is written for the engine)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from studio.main_window import MainWindow
from studio.panels.image import ImagePanel
from studio.widgets.canvas.mask_layer import MaskLayer, MaskView

pytestmark = pytest.mark.gui


def test_strokes_hand_the_state_a_view_and_a_generation_one_copy(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window()
    window.show_panel("image")
    panel = window.panels["image"]
    assert isinstance(panel, ImagePanel)
    panel.tabs.setCurrentIndex(1)
    canvas, state = panel.canvas, panel.state
    canvas.set_image(Image.new("RGB", (3000, 2000), (90, 120, 150)), "photo.png")
    canvas.brush_size = 120.0
    copies: list[int] = []
    to_pil = MaskLayer.to_pil

    def counted(layer: MaskLayer) -> Image.Image:
        copies.append(layer.version)
        return to_pil(layer)

    monkeypatch.setattr(MaskLayer, "to_pil", counted)
    seen: list[object] = []
    state.edit_mask_changed.connect(seen.append)
    centre = canvas.picture_rect().center().toPoint()
    for n in range(5):
        start = centre + QPoint(-60, 20 * n - 40)
        qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
        for step in range(1, 6):
            qtbot.mouseMove(canvas, start + QPoint(20 * step, 0))
        qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=start + QPoint(100, 0))
    assert copies == []  # five strokes, no copy of the 6 MB mask
    assert len(seen) == 5 and all(isinstance(v, MaskView) for v in seen)
    assert len({v.version for v in seen if isinstance(v, MaskView)}) == 5  # told apart
    assert state.edit_mask == canvas.mask_view()
    assert "Inpaint the masked area" in panel.controls.mode_note.text()

    init, mask = state.edit_files(tmp_path)
    assert init is not None and mask is not None
    assert len(copies) == 1  # the one copy, for the engine's file
    painted = canvas.mask_layer.pixels()
    assert painted.any()
    assert np.array_equal(np.asarray(Image.open(mask)), painted)

    canvas.clear_mask()  # an empty mask is no mask in the state
    assert state.edit_mask is None
