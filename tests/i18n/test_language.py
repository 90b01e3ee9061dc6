"""The language: the setting ("system", "en", "ja"), the system locale, the restart the
Settings dialog offers, and what the studio starts with in Japanese."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

import studio.i18n as i18n
from engines.speech import DEFAULT_JAPANESE
from engines.text import conversation as conv
from studio.i18n.defaults import JAPANESE_PRESETS, JAPANESE_SAMPLE_TEXT
from studio.main_window import MainWindow
from studio.settings import StudioSettings

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_language_setting_persists_and_refuses_other_values(tmp_path: Path) -> None:
    file = tmp_path / "settings.ini"
    settings = StudioSettings(file)
    assert settings.language == "system"
    changes: list[str] = []
    settings.language_changed.connect(changes.append)
    settings.language = "ja"
    settings.language = "ja"
    assert changes == ["ja"]
    assert StudioSettings(file).language == "ja"
    with pytest.raises(ValueError, match="language must be one of"):
        settings.language = "fr"


def test_system_follows_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "system_language", lambda: "ja")
    assert i18n.resolve_language("system") == "ja"
    monkeypatch.setattr(i18n, "system_language", lambda: "en")
    assert i18n.resolve_language("system") == "en"
    assert i18n.resolve_language("ja") == "ja"
    assert i18n.resolve_language("en") == "en"


@pytest.mark.parametrize(("locale", "language"), [("ja_JP.UTF-8", "ja"), ("en_GB.UTF-8", "en")])
def test_the_system_language_is_read_from_the_locale(locale: str, language: str) -> None:
    env = {**os.environ, "LC_ALL": locale, "LANG": locale, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", "import studio.i18n as i; print(i.system_language())"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == language


def test_the_test_run_is_in_english_whatever_the_machine_locale() -> None:
    assert i18n.system_language() == "en"  # tests/conftest.py sets the C locale


@pytest.mark.gui
def test_translators_switch_and_switch_back(qtbot: QtBot) -> None:
    from studio.app import ensure_application

    app = ensure_application()
    try:
        assert len(i18n.install_translators(app, "ja")) >= 2  # Qt's own and the core
        assert i18n.current_language() == "ja"
        assert QCoreApplication.translate("MainWindow", "&File") == "ファイル(&F)"
        # A subclass finds its base class's strings (PySide's tr looks along the MRO).
        from studio.panels.text_controls import TextControls

        class OwnControls(TextControls):
            pass

        controls = OwnControls([])
        assert controls.tr("Send") == "送信"  # TextControls' context, not OwnControls'
        controls.deleteLater()
    finally:
        assert i18n.install_translators(app, "en") == []
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"


def test_japanese_presets_are_read_with_only_their_own_edits(
    isolated_dirs: Path,
) -> None:
    conv.save_preset("Summarise", "Sum up:\n\n{text}")
    conv.save_preset("要約", "三行で要約してください。\n\n{text}")
    japanese = conv.load_presets(dict(JAPANESE_PRESETS))
    assert list(japanese) == list(JAPANESE_PRESETS)
    assert japanese["要約"].startswith("三行で")
    assert "Summarise" not in japanese
    english = conv.load_presets()
    assert english["Summarise"] == "Sum up:\n\n{text}"
    assert all("{text}" in template for template in JAPANESE_PRESETS.values())


@pytest.mark.gui
def test_in_japanese_the_text_and_speech_panels_start_japanese(
    japanese_window: Callable[[], MainWindow],
) -> None:
    window = japanese_window()
    text = window.panels["text"]
    assert list(text.presets) == list(JAPANESE_PRESETS)
    assert text.preset_combo.currentText() == "チャット"
    text.preset_combo.setCurrentText("要約")
    assert text.instruction_edit.text() == "次の文章を数文で要約してください。"
    speech = window.panels["speech"]
    assert speech.state.voice_id == DEFAULT_JAPANESE
    assert speech.text_edit.toPlainText() == JAPANESE_SAMPLE_TEXT
    assert speech.build_request().voice_id == DEFAULT_JAPANESE


@pytest.mark.gui
def test_in_english_the_defaults_stay_english(
    make_english_window: Callable[[], MainWindow],
) -> None:
    window = make_english_window()
    assert list(window.panels["text"].presets) == list(conv.DEFAULT_PRESETS)
    assert window.panels["speech"].text_edit.toPlainText() == ""
    assert window.menuBar().actions()[0].text() == "&File"


@pytest.mark.gui
def test_choosing_a_language_offers_a_restart_and_restarts_on_yes(
    qtbot: QtBot,
    make_english_window: Callable[[], MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from studio.dialogs import SettingsDialog

    window = make_english_window()
    asked: list[str] = []

    def answer(parent: object, title: str, text: str, *args: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    dialog = SettingsDialog(window.context.settings, window.context.device, window)
    qtbot.addWidget(dialog)
    box = dialog.language_box
    assert [box.itemData(i) for i in range(box.count())] == ["system", "en", "ja"]
    assert box.itemText(2) == "日本語"
    box.setCurrentIndex(box.findData("en"))  # the language in view: no restart
    dialog.accept()
    assert asked == [] and not dialog.restart_wanted
    assert window.context.settings.language == "en"

    def choose_japanese(self: SettingsDialog) -> int:  # the user picks 日本語 and OK
        self.language_box.setCurrentIndex(self.language_box.findData("ja"))
        self.accept()
        return 1

    monkeypatch.setattr(SettingsDialog, "exec", choose_japanese)
    window.show_settings()
    assert window.context.settings.language == "ja"
    assert len(asked) == 1 and "Restart now?" in asked[0]
    assert window.restart_requested
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=2000)


@pytest.mark.gui
def test_main_starts_the_studio_again_after_a_restart_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import studio.app as app_module

    started: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(
        "PySide6.QtCore.QProcess.startDetached",
        lambda program, args: started.append((program, list(args))) or (True, 1),
    )
    assert app_module.restart()
    assert started == [(sys.executable, list(sys.orig_argv[1:]))]


def test_fill_replaces_placeholders_in_one_pass() -> None:
    assert (
        i18n.fill("%1 を「%2」で開きました。", "a%2.png", "画像")
        == "a%2.png を「画像」で開きました。"
    )
    assert i18n.fill("%2 then %1", 1, 2) == "2 then 1"  # a translation may reorder them
    assert i18n.fill("%1 and %3", "x") == "x and %3"  # a missing value leaves its marker
