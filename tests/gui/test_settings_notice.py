"""Issue 21: a settings file with garbage opens the window on the defaults for the bad
keys only, and the status bar says which."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from studio.main_window import MainWindow

pytestmark = pytest.mark.gui


def test_bad_settings_and_a_damaged_model_list_are_noticed(
    isolated_dirs: Path, make_window: Callable[..., MainWindow]
) -> None:
    isolated_dirs.mkdir(parents=True, exist_ok=True)
    (isolated_dirs / "settings.ini").write_text(
        "[compute]\ndevice=cpu\nthreads=99999999999\n[look]\ntheme=dark\n", encoding="utf-8"
    )
    (isolated_dirs / "user_models.json").write_text("[{broken", encoding="utf-8")
    window = make_window()
    settings = window.context.settings
    assert (settings.device, settings.threads, settings.theme) == ("cpu", 0, "dark")
    shown = window.notice.notice
    assert "compute/threads" in shown and "99999999999" in shown
    assert "set aside" in shown
    assert not (isolated_dirs / "user_models.json").exists()
    (aside,) = isolated_dirs.glob("user_models.json.damaged-*")
    assert aside.read_text(encoding="utf-8") == "[{broken"
