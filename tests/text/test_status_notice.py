"""The text model's load-time warning (the fast CPU decoder failed its exactness check and
the exact path runs) reaches the main window's status bar as one line, not only the Text
panel's own status line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from engines.errors import SozoError
from engines.jobs import JobState
from engines.text import llm
from studio.app import create_main_window
from studio.main_window import MainWindow
from studio.panels.text import TextPanel

pytestmark = pytest.mark.gui

FALLBACK = (
    "The fast CPU decoder is off on this CPU (a test made its check fail): "
    "Tiny runs on the slower exact path instead."
)


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    window = create_main_window(probe_device=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.context.runner.shutdown(5000)
    window.close()
    llm.unload()


def _reply(qtbot: QtBot, panel: TextPanel, prompt: str = "Hello") -> None:
    panel.prompt.setPlainText(prompt)
    panel.generate()
    job = panel.job
    assert job is not None
    qtbot.waitUntil(
        lambda: job.state.is_final and panel.generate_button.isEnabled(), timeout=120_000
    )
    assert job.state is JobState.finished, job.error


def _one_line(window: MainWindow) -> str:
    notice = window.notice
    assert notice.isVisible()
    text = notice.text()
    assert "\n" not in text
    assert notice.height() < 2 * notice.fontMetrics().height()  # one line, not wrapped
    assert notice.geometry().intersects(window.statusBar().rect())
    return text


def test_the_models_warning_goes_to_the_status_bar_and_a_clean_model_clears_it(
    qtbot: QtBot, window: MainWindow, tiny_llama_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = window.panels["text"]
    assert isinstance(panel, TextPanel)
    assert panel.import_model(tiny_llama_dir)
    panel.max_tokens.setValue(4)
    original = llm.get_model
    warn = [True]

    def loads_with_a_warning(*args: Any, **kwargs: Any) -> llm.LoadedModel:
        model = original(*args, **kwargs)
        model.warnings = (FALLBACK,) if warn[0] else ()
        return model

    monkeypatch.setattr(llm, "get_model", loads_with_a_warning)
    window.show_panel("music")  # the notice is the window's: shown whichever panel is in view
    assert not window.notice.isVisible()
    _reply(qtbot, panel)
    assert FALLBACK in panel.status_label.text()  # the panel's own line still says it
    assert window.notice.notice == FALLBACK and window.notice.toolTip() == FALLBACK
    shown = _one_line(window)
    assert shown == FALLBACK or (shown.endswith("…") and FALLBACK.startswith(shown[:-1]))
    window.resize(800, window.height())  # narrower: elided, still one line
    qtbot.wait(20)
    assert _one_line(window).endswith("…")

    warn[0] = False  # e.g. the user picked a model whose check passes
    _reply(qtbot, panel)
    assert window.notice.notice == "" and not window.notice.isVisible()


def test_a_reply_that_fails_before_its_model_loads_leaves_the_notice(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.notice.post("text", FALLBACK)

    def cannot_load(*args: Any, **kwargs: Any) -> llm.LoadedModel:
        raise SozoError("The model file is damaged.")

    monkeypatch.setattr(llm, "get_model", cannot_load)
    panel = window.panels["text"]
    assert isinstance(panel, TextPanel)
    panel.prompt.setPlainText("Hello")
    panel.generate()
    job = panel.job
    assert job is not None
    qtbot.waitUntil(lambda: job.state.is_final and panel.generate_button.isEnabled())
    assert job.state is JobState.failed
    assert window.notice.notice == FALLBACK


@pytest.mark.integration
def test_the_bundled_models_failed_check_is_in_the_status_bar(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real fallback, made to happen as tests/text/test_real_model.py does it: the
    load-time probe's tolerance below any difference."""
    from engines.catalogue import Catalogue
    from engines.errors import ModelUnavailable
    from engines.text import gguf_cpu

    try:
        Catalogue().get(llm.DEFAULT_MODEL_ID).require()
    except ModelUnavailable as exc:
        pytest.skip(str(exc))
    monkeypatch.setattr(gguf_cpu, "PROBE_TOLERANCE", -1.0)
    llm.unload()
    panel = window.panels["text"]
    assert isinstance(panel, TextPanel)
    panel.model_combo.setCurrentIndex(panel.model_combo.findData(llm.DEFAULT_MODEL_ID))
    panel.max_tokens.setValue(4)
    _reply(qtbot, panel, "What is the capital of France?")
    assert "fast CPU decoder is off on this CPU" in window.notice.notice
    assert "exact path" in window.notice.notice
    assert "fast CPU decoder is off" in panel.status_label.text()
    _one_line(window)
