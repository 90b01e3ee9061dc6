"""Fixtures for the translated studio: the checkout's own assets (the shipped font), and
the studio in Japanese for one test, English again after it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from studio.main_window import MainWindow

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(autouse=True)
def checkout_assets(monkeypatch: pytest.MonkeyPatch) -> None:
    """The font is read from this checkout's assets/, which is the tree under test (an
    editable install may point the assets package at another checkout)."""
    monkeypatch.setenv("SOZO_ASSETS_DIR", str(ROOT / "assets"))


@pytest.fixture
def japanese_window(qtbot: QtBot) -> Iterator[Callable[[], MainWindow]]:
    """Makes the main window in Japanese, shown; afterwards the windows are closed and the
    translators are English again, so later tests read English."""
    from studio.app import create_main_window, ensure_application
    from studio.i18n import install_translators

    windows: list[MainWindow] = []

    def make() -> MainWindow:
        window = create_main_window(probe_device=False, language="ja")
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
    install_translators(ensure_application(), "en")


@pytest.fixture
def make_english_window(qtbot: QtBot) -> Iterator[Callable[[], MainWindow]]:
    """Makes the main window in English (the setting forced, not the locale), shown."""
    from studio.app import create_main_window

    windows: list[MainWindow] = []

    def make() -> MainWindow:
        window = create_main_window(probe_device=False, language="en")
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
