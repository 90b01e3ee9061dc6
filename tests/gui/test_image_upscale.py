"""The Image panel's Upscale switch: on by default, it sends emoji models' pictures and
slider frames through the learned 4x upscaler; off, they are enlarged with Lanczos."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from engines.catalogue import Catalogue
from engines.imagefile import load_image
from studio.main_window import MainWindow
from studio.panels.image import ImagePanel
from studio.panels.image_state import LatentWalk

pytestmark = pytest.mark.gui

torch = pytest.importorskip("torch")


@pytest.fixture
def panel(
    make_window: Callable[..., MainWindow], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> ImagePanel:
    from engines.image import emoji
    from engines.image import upscaler as U
    from engines.image import vae as V

    torch.manual_seed(0)
    V.save(V.EmojiVAE(V.VAEConfig(channels=(4, 8, 8))), tmp_path / "tiny-vae.safetensors")
    entry = Catalogue().import_model(
        tmp_path / "tiny-vae.safetensors", "image", "vae", engine_module="engines.image.emoji"
    )
    upscaler = U.Upscaler(U.UpscalerConfig(width=4, blocks=1))
    torch.nn.init.normal_(upscaler.tail.weight, 0.0, 0.2)
    monkeypatch.setattr(emoji, "_upscaler", upscaler.eval())
    window = make_window()
    window.show_panel("image")
    image_panel = window.panels["image"]
    assert isinstance(image_panel, ImagePanel)
    box = image_panel.controls.model
    box.setCurrentIndex(box.findData(entry.id))
    return image_panel


def _generate(qtbot: QtBot, panel: ImagePanel) -> None:
    qtbot.mouseClick(panel.controls.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (
            panel.job is not None
            and panel.job.state.is_final
            and not panel.controls.stop_button.isEnabled()
        ),
        timeout=60000,
    )


def test_upscale_switch_reaches_results_and_slider_frames(qtbot: QtBot, panel: ImagePanel) -> None:
    box = panel.controls.model
    ids = [box.itemData(i) for i in range(box.count())]
    assert "emoji-upscaler" not in ids  # it is a switch, not a model to pick
    assert panel.controls.upscale.isChecked()
    panel.controls.batch.setValue(2)
    _generate(qtbot, panel)
    panel.controls.upscale.setChecked(False)
    _generate(qtbot, panel)
    recipes = [load_image(e.path).parameters or "" for e in panel.gallery.entries]
    assert sum("Upscale: learned 4x" in r for r in recipes) == 2
    assert sum("Upscale: Lanczos" in r for r in recipes) == 2

    panel.gallery.clearSelection()
    panel.gallery.item(0).setSelected(True)
    panel.gallery.item(1).setSelected(True)
    qtbot.waitUntil(lambda: panel.engine is not None, timeout=30000)
    panel.start_interpolation()
    assert isinstance(panel.explore.walk, LatentWalk)
    assert panel.frame_at(0.5).size == (64, 64)  # switched off: the model's own size
    panel.controls.upscale.setChecked(True)
    assert panel.frame_at(0.5).size == (256, 256)
