"""Issue 21 in the Speech panel: Export as… asks before replacing a file (the test answers
the question box), and a failed export keeps the clip, saying it can be saved elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest
import soundfile as sf
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from studio.panels.speech import SpeechPanel
from tests.speech.test_panel import _speak, panel, window  # noqa: F401

pytestmark = pytest.mark.gui
OLD = b"an earlier recording the user wants to keep\n" * 20


def _answer(button: QMessageBox.StandardButton, seen: list[str]) -> None:
    """Click ``button`` on the question box once it is open (it runs its own loop)."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.text())
        box.button(button).click()

    QTimer.singleShot(0, click)


def _dialog_returns(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))


def test_export_as_asks_before_replacing_a_file(
    qtbot: QtBot,
    panel: SpeechPanel,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _speak(qtbot, panel, "Keep this one safe.")
    target = tmp_path / "take.wav"
    target.write_bytes(OLD)
    _dialog_returns(monkeypatch, target)
    seen: list[str] = []
    _answer(QMessageBox.StandardButton.No, seen)
    assert panel.export_as() is None
    assert seen == ["take.wav exists already. Replace it?"]
    assert target.read_bytes() == OLD  # No: the old file, byte for byte

    _answer(QMessageBox.StandardButton.Yes, seen)
    assert panel.export_as() == target
    assert len(seen) == 2 and sf.info(str(target)).frames > 0  # Yes: the new audio


def test_a_failed_export_keeps_the_clip_to_save_elsewhere(
    qtbot: QtBot,
    panel: SpeechPanel,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _speak(qtbot, panel, "Do not lose me.")
    (tmp_path / "a-file").write_bytes(OLD)
    assert panel.export("wav", tmp_path / "a-file" / "take.wav") is None
    message = panel.status_label.text()
    assert "Could not save" in message and "Export as…" in message, message
    assert panel.clip_controls.export_as_button.isEnabled()
    clip = panel.state.clip
    assert clip is not None and clip.frames > 0  # still here
    good = tmp_path / "elsewhere.flac"
    _dialog_returns(monkeypatch, good)
    assert panel.export_as() == good  # a new file: no question asked
    assert sf.info(str(good)).frames > 0


def test_an_export_is_signed_and_marked_as_the_settings_say(
    qtbot: QtBot,
    panel: SpeechPanel,  # noqa: F811
    tmp_path: Path,
) -> None:
    from engines.audio_watermark import THRESHOLD, score
    from engines.credentials import read_credentials

    _speak(qtbot, panel, "Keep this one safe, and say that it is synthetic.")
    marked = panel.export("wav", tmp_path / "marked.wav")
    assert marked is not None
    found = read_credentials(marked)
    assert found.valid and "c2pa.created" in found.action, found.problems
    panel.context.settings.sign = False
    panel.context.settings.watermark = False
    plain = panel.export("wav", tmp_path / "plain.wav")
    assert plain is not None and not read_credentials(plain).present
    # The tiny voice's clip is too short and noisy to find the mark in by itself (a real
    # voice's is, tests/test_audio_watermark.py): what the export added is the mark.
    a, rate = sf.read(str(marked), dtype="float64")
    b, _ = sf.read(str(plain), dtype="float64")
    assert len(a) == len(b) >= 2 * 4096
    assert score(a - b, rate) >= THRESHOLD
