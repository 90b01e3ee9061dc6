"""The gallery (history across restarts, drag out as files) and the 2-D latent pad."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from engines.imagefile import Recipe, save_result
from studio.widgets.gallery import GalleryWidget, new_entry
from studio.widgets.latent_pad import LatentPad, bilinear_weights

pytestmark = pytest.mark.gui


def _result(folder: Path, prompt: str, seed: int) -> Path:
    return save_result(
        Image.new("RGBA", (64, 64), "purple"), folder, Recipe(prompt=prompt, seed=seed)
    )


def test_history_survives_a_restart_and_drops_deleted_files(qtbot: QtBot, tmp_path: Path) -> None:
    history = tmp_path / "history.json"
    gallery = GalleryWidget(history)
    qtbot.addWidget(gallery)
    first = _result(tmp_path, "a red heart", 1)
    second = _result(tmp_path, "a blue star", 2)
    gallery.add(new_entry(first, Recipe(prompt="a red heart", seed=1)))
    gallery.add(new_entry(second, Recipe(prompt="a blue star", seed=2)))
    assert gallery.count() == 2 and gallery.item(0).text() == "a blue star"

    reopened = GalleryWidget(history)
    qtbot.addWidget(reopened)
    assert [e.recipe.seed for e in reopened.entries] == [2, 1]
    second.unlink()
    again = GalleryWidget(history)
    qtbot.addWidget(again)
    assert [e.recipe.prompt for e in again.entries] == ["a red heart"]


def test_clicking_reloads_settings_and_dragging_gives_file_urls(
    qtbot: QtBot, tmp_path: Path
) -> None:
    gallery = GalleryWidget(tmp_path / "h.json")
    qtbot.addWidget(gallery)
    path = _result(tmp_path, "a green apple", 5)
    gallery.add(new_entry(path, Recipe(prompt="a green apple", seed=5, steps=20)))
    gallery.show()
    with qtbot.waitSignal(gallery.entry_activated) as blocker:
        rect = gallery.visualItemRect(gallery.item(0))
        qtbot.mouseClick(gallery.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args[0].recipe.steps == 20
    mime = gallery.mimeData([gallery.item(0)])
    assert [u.toLocalFile() for u in mime.urls()] == [str(path.resolve())]


@pytest.mark.parametrize(("u", "v"), [(0.0, 0.0), (1.0, 0.0), (0.25, 0.75), (0.5, 0.5)])
def test_bilinear_weights_sum_to_one(u: float, v: float) -> None:
    weights = bilinear_weights(u, v)
    assert abs(sum(weights) - 1) < 1e-9
    assert all(w >= 0 for w in weights)


def test_dragging_the_pad_point_emits_positions(qtbot: QtBot) -> None:
    pad = LatentPad()
    qtbot.addWidget(pad)
    pad.resize(300, 300)
    pad.show()
    seen: list[tuple[float, float]] = []
    pad.point_changed.connect(lambda u, v: seen.append((u, v)))
    area = pad._area()
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=area.topLeft().toPoint())
    qtbot.mouseMove(pad, QPoint(int(area.right()), int(area.bottom())))
    qtbot.mouseRelease(
        pad, Qt.MouseButton.LeftButton, pos=QPoint(int(area.right()), int(area.bottom()))
    )
    assert seen[0] == (0.0, 0.0)
    assert seen[-1][0] > 0.95 and seen[-1][1] > 0.95
    before = pad.u
    pad.setFocus()
    qtbot.keyClick(pad, Qt.Key.Key_Left)
    assert pad.u == pytest.approx(before - 0.02)
