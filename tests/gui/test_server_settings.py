"""Issue 17, the window half: where the API server listens and the key it asks for are
set in the Settings dialog and kept in the settings file; another host than this
machine without a key is refused with one line, in the dialog and in the Jobs dock's
server bar; the bar serves with the settings' key (tested with the real openai client)."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QPushButton
from pytestqt.qtbot import QtBot

from studio.jobs import JobRunner
from studio.qt_server import ServerBarWidget
from studio.server import http
from studio.settings import DEFAULT_HOST, DEFAULT_PORT, StudioSettings

pytestmark = pytest.mark.gui

ARTIFACTS = Path(__file__).resolve().parent.parent / "_artifacts"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_the_settings_dialog_keeps_host_port_and_key_and_refuses_an_open_host_without_one(
    qtbot: QtBot, make_window: Any
) -> None:
    from studio.dialogs import SettingsDialog

    window = make_window()
    settings = window.context.settings
    assert (settings.server_host, settings.server_port, settings.server_api_key) == (
        DEFAULT_HOST,
        DEFAULT_PORT,
        "",
    )
    dialog = SettingsDialog(settings, window.context.device, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.host_edit.setText("0.0.0.0")
    dialog.port_box.setValue(8299)
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted  # still open, nothing saved
    assert dialog.server_error.isVisible()
    assert dialog.server_error.text() == (
        "Listening on 0.0.0.0 opens the studio to other machines: set an API key in "
        "Settings (Generate makes one), or listen on 127.0.0.1."
    )
    assert settings.server_host == DEFAULT_HOST and settings.server_port == DEFAULT_PORT
    ARTIFACTS.mkdir(exist_ok=True)
    dialog.grab().save(str(ARTIFACTS / "settings-api-server-refused.png"))
    generate = dialog.findChild(QPushButton, "generateKeyButton")
    assert generate is not None
    generate.click()
    key = dialog.key_edit.text()
    assert key.startswith("sozo-") and len(key) > 40
    assert not dialog.server_error.isVisible()  # the line goes once the key is there
    generate.click()
    assert dialog.key_edit.text() != key  # a new random key each time
    key = dialog.key_edit.text()
    dialog.grab().save(str(ARTIFACTS / "settings-api-server.png"))
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert (settings.server_host, settings.server_port, settings.server_api_key) == (
        "0.0.0.0",
        8299,
        key,
    )
    again = StudioSettings(settings.file)  # what the next start reads
    assert (again.server_host, again.server_port, again.server_api_key) == ("0.0.0.0", 8299, key)

    blank = SettingsDialog(settings, window.context.device, window)
    qtbot.addWidget(blank)
    blank.host_edit.setText("  ")
    blank.accept()
    assert blank.result() != QDialog.DialogCode.Accepted
    assert "must be an address" in blank.server_error.text()


def test_the_settings_defaults_are_the_servers() -> None:
    assert (DEFAULT_HOST, DEFAULT_PORT) == (http.DEFAULT_HOST, http.DEFAULT_PORT)


def test_bad_server_values_in_the_settings_file_are_noticed(tmp_path: Path) -> None:
    file = tmp_path / "settings.ini"
    file.write_text("[server]\nport=99999\nhost=\n")
    settings = StudioSettings(file)
    assert settings.server_port == DEFAULT_PORT and settings.server_host == DEFAULT_HOST
    assert any("server/port" in n for n in settings.notices)
    assert any("server/host" in n for n in settings.notices)
    with pytest.raises(ValueError):
        settings.server_port = 0


def test_the_bar_refuses_an_open_host_without_a_key_in_one_line(
    qtbot: QtBot, tmp_path: Path
) -> None:
    settings = StudioSettings(tmp_path / "settings.ini")
    settings.server_host = "0.0.0.0"
    runner = JobRunner()
    bar = ServerBarWidget(runner, settings=settings)
    qtbot.addWidget(bar)
    bar.action.setChecked(True)
    assert bar.server is None and not bar.action.isChecked()
    assert bar.address.text().startswith("Listening on 0.0.0.0 opens the studio")
    assert "\n" not in bar.address.text()
    runner.shutdown()


def test_the_bar_serves_with_the_settings_key_and_port(qtbot: QtBot, tmp_path: Path) -> None:
    import openai

    settings = StudioSettings(tmp_path / "settings.ini")
    port = _free_port()
    settings.server_port = port
    settings.server_api_key = "sozo-test-key"
    runner = JobRunner()
    bar = ServerBarWidget(runner, settings=settings)
    qtbot.addWidget(bar)
    bar.action.setChecked(True)
    assert bar.server is not None, bar.address.text()
    address = f"http://127.0.0.1:{port}/v1"
    assert bar.server.address == address
    assert bar.address.text() == f"Serving at {address} (clients must send the API key)"
    try:
        without = openai.OpenAI(base_url=address, api_key="wrong", max_retries=0, timeout=30)
        with pytest.raises(openai.AuthenticationError):
            without.models.list()
        keyed = openai.OpenAI(base_url=address, api_key="sozo-test-key", max_retries=0, timeout=30)
        names = [m.id for m in keyed.models.list().data]
        assert "smollm2-135m-instruct" in names
    finally:
        bar.stop()
        runner.shutdown()
    assert bar.server is None and bar.address.text() == "API server off"
