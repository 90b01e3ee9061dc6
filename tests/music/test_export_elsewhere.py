"""Issue 21 in the Music panel: Export as… asks before replacing a file (the test answers
the question box), and a failed export keeps the melody, saying it can be saved elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest
import soundfile
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from engines.music.data import Note, notes_to_tokens
from studio.main_window import MainWindow
from tests.music.test_panel import _panel, _wait_idle
from tests.speech.test_export_elsewhere import OLD, _answer, _dialog_returns

pytestmark = pytest.mark.gui
MELODY = notes_to_tokens([Note(60 + i, i * 4, 4) for i in range(8)], 32)


def test_export_as_asks_before_replacing_a_file(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = _panel(window)
    panel.set_melody(MELODY)
    target = tmp_path / "tune.wav"
    target.write_bytes(OLD)
    _dialog_returns(monkeypatch, target)
    seen: list[str] = []
    _answer(QMessageBox.StandardButton.No, seen)
    assert panel.export_as() is None
    assert seen == ["tune.wav exists already. Replace it?"] and target.read_bytes() == OLD

    _answer(QMessageBox.StandardButton.Yes, seen)
    assert panel.export_as() is not None
    _wait_idle(qtbot, panel)
    assert "Wrote" in panel.status.text(), panel.status.text()
    assert soundfile.info(str(target)).duration > 1
    assert (tmp_path / "tune.mid").exists()


def test_a_failed_export_keeps_the_melody_to_save_elsewhere(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = _panel(window)
    panel.set_melody(MELODY)
    (tmp_path / "a-file").write_bytes(OLD)
    panel.export_to(tmp_path / "a-file" / "tune.wav")
    _wait_idle(qtbot, panel)
    message = panel.status.text()
    assert "Could not save" in message and "Export as…" in message, message
    assert "Traceback" not in message and "Internal error" not in message
    assert list(panel.melody()) == list(MELODY)  # still here
    good = tmp_path / "elsewhere.flac"
    _dialog_returns(monkeypatch, good)
    panel.export_as()
    _wait_idle(qtbot, panel)
    assert soundfile.info(str(good)).duration > 1


def test_an_export_is_watermarked_and_signed_as_the_settings_say(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    from engines.audio_watermark import detect_file
    from engines.credentials import read_credentials

    panel = _panel(window)
    panel.set_melody(MELODY)
    marked = tmp_path / "marked.flac"
    panel.export_to(marked)
    _wait_idle(qtbot, panel)
    found = read_credentials(marked)
    assert found.valid and "c2pa.created" in found.action, found.problems
    assert detect_file(marked)[0]
    panel.context.settings.watermark = False
    panel.context.settings.sign = False
    plain = tmp_path / "plain.flac"
    panel.export_to(plain)
    _wait_idle(qtbot, panel)
    assert not read_credentials(plain).present and not detect_file(plain)[0]
