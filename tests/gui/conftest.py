"""GUI fixtures: a main window on isolated settings, closed after each test."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot

from studio.app import create_main_window
from studio.main_window import MainWindow


@pytest.fixture
def make_window(qtbot: QtBot) -> Iterator[Callable[..., MainWindow]]:
    windows: list[MainWindow] = []

    def make(probe_device: bool = False) -> MainWindow:
        window = create_main_window(probe_device=probe_device)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()  # stops jobs and the panels' threads, as a user's close does


@pytest.fixture
def window(make_window: Callable[..., MainWindow]) -> MainWindow:
    return make_window()
