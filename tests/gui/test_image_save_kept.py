"""Issue 21 in the Image panel: a failed save keeps the pictures in memory, says so beside
the results, and Save kept pictures… writes them elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from engines.imagefile import load_image
from studio.panels.image import ImagePanel
from tests.gui.test_image_panel import _generate, panel, tiny_vae_id  # noqa: F401

pytestmark = pytest.mark.gui


def test_a_failed_save_keeps_the_pictures_to_save_elsewhere(
    qtbot: QtBot,
    panel: ImagePanel,  # noqa: F811
    tmp_path: Path,
) -> None:
    (tmp_path / "a-file").write_bytes(b"not a folder")
    panel.context.settings.output_dir = str(tmp_path / "a-file" / "out")
    panel.controls.seed.spin.setValue(77)
    panel.controls.seed.lock.setChecked(True)
    _generate(qtbot, panel, batch=2)
    message = panel.message_label.text()
    assert "Could not save" in message and "2 picture(s) are kept" in message, message
    assert panel.gallery.count() == 0 and len(panel.kept_pictures) == 2
    assert not panel.save_kept_button.isHidden()

    saved = panel.save_kept(tmp_path / "a-file" / "again")  # fails again: still kept
    assert saved == [] and len(panel.kept_pictures) == 2
    saved = panel.save_kept(tmp_path / "elsewhere")
    assert len(saved) == 2 and panel.kept_pictures == []
    assert sorted(load_image(p).recipe.seed for p in saved) == [77, 78]  # type: ignore[union-attr]
    assert panel.gallery.count() == 2 and panel.save_kept_button.isHidden()
    assert "Saved 2 picture(s)" in panel.message_label.text()
