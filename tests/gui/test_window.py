"""The main window: four panels, the job queue, cancel, settings that persist, themes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from engines.catalogue import Task
from engines.jobs import Job, JobState
from studio.dialogs import ModelsDialog, SettingsDialog
from studio.main_window import MainWindow
from studio.panels.base import EngineNotBuiltPanel
from tests.fakes import FakeEngine

pytestmark = pytest.mark.gui

ARTIFACTS = Path(__file__).resolve().parent.parent / "_artifacts"


def test_window_has_four_panels_each_with_prompt_and_output(window: MainWindow) -> None:
    for name in ("textPanel", "imagePanel", "musicPanel", "speechPanel"):
        panel = window.findChild(QWidget, name)
        assert panel is not None, name
        assert panel.findChild(QWidget, "promptArea") is not None
        assert panel.findChild(QWidget, "outputArea") is not None
    assert window.nav.count() == 4
    assert window.findChild(QWidget, "jobQueue") is not None
    assert window.findChild(QLabel, "deviceStatus") is not None


def test_a_panel_without_engine_says_so_and_offers_no_generate(
    qtbot: QtBot, window: MainWindow
) -> None:
    class DemoPanel(EngineNotBuiltPanel):
        task = Task.speech
        title = "Speech"
        coming = "It will speak."

    panel = DemoPanel(window.context)
    qtbot.addWidget(panel)
    notice = panel.findChild(QLabel, "engineNotBuilt")
    assert notice is not None
    assert "The speech engine is not built yet." in notice.text()
    assert "Piper voice en_US joe (medium)" in notice.text()  # real catalogue facts
    button = panel.findChild(QPushButton, "generateButton")
    assert button is not None and not button.isEnabled()


def _run(window: MainWindow, engine: FakeEngine, task: str = "text") -> Job[list[int]]:
    job: Job[list[int]] = Job(f"Fake {task} job", engine.generate, task=task)
    window.context.runner.submit(job)
    return job


def test_a_fake_job_runs_and_shows_in_the_queue(qtbot: QtBot, window: MainWindow) -> None:
    job = _run(window, FakeEngine(steps=5, step_seconds=0.01))
    with qtbot.waitSignal(window.context.runner.job_finished, timeout=5000):
        pass
    row = window.queue.rows[job.id]
    assert job.state is JobState.finished
    assert row.state_label.text() == "Finished"
    assert row.progress.value() == row.progress.maximum()
    assert row.elapsed.text().endswith(" s")
    assert "1 in all" in window.queue.summary.text()


def test_cancel_per_job_cancel_all_and_escape(qtbot: QtBot, window: MainWindow) -> None:
    runner = window.context.runner
    slow = FakeEngine(steps=500, step_seconds=0.02)
    first = _run(window, slow)
    second = _run(window, slow)  # queued behind the first
    qtbot.waitUntil(lambda: first.state is JobState.running, timeout=3000)
    row = window.queue.rows[first.id]
    qtbot.mouseClick(row.findChild(QToolButton, "jobCancel"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: first.state is JobState.cancelled, timeout=2000)
    qtbot.waitUntil(lambda: row.state_label.text() == "Cancelled", timeout=2000)
    qtbot.waitUntil(lambda: second.state is JobState.running, timeout=3000)
    third = _run(window, slow)
    qtbot.mouseClick(window.queue.cancel_all_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: second.state.is_final and third.state.is_final, timeout=2000)
    assert third.state is JobState.cancelled

    window.show_panel("image")
    fourth = _run(window, slow, task="image")
    qtbot.waitUntil(lambda: fourth.state is JobState.running, timeout=3000)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: fourth.state is JobState.cancelled, timeout=2000)
    assert not runner.active_jobs()


def test_a_failed_job_shows_its_error(qtbot: QtBot, window: MainWindow) -> None:
    job = _run(window, FakeEngine(steps=3, step_seconds=0.0, fail_at=1))
    qtbot.waitUntil(lambda: job.state is JobState.failed, timeout=3000)
    row = window.queue.rows[job.id]
    qtbot.waitUntil(lambda: row.error.isVisible(), timeout=2000)
    assert "tensor shapes do not match" in row.error.text()
    assert row.state_label.text() == "Failed"
    qtbot.mouseClick(window.queue.clear_button, Qt.MouseButton.LeftButton)
    assert job.id not in window.queue.rows


def test_settings_persist_across_a_restart(
    qtbot: QtBot, make_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    first = make_window()
    from engines.credentials import fingerprint

    key = fingerprint()  # makes the signing key: Settings shows its fingerprint
    dialog = SettingsDialog(first.context.settings, first.context.device, first)
    qtbot.addWidget(dialog)
    assert key in dialog.fingerprint_label.text()
    dialog.device_box.setCurrentIndex(dialog.device_box.findData("cpu"))
    dialog.threads_box.setValue(2)
    dialog.output_edit.setText(str(tmp_path / "my outputs"))
    dialog.theme_box.setCurrentIndex(dialog.theme_box.findData("dark"))
    assert dialog.watermark_box.isChecked() and dialog.sign_box.isChecked()  # on by default
    dialog.watermark_box.setChecked(False)
    dialog.sign_box.setChecked(False)
    dialog.accept()
    first.show_panel("music")
    first.resize(781, 677)  # within the 800x800 offscreen screen
    first.close()

    second = make_window()
    s = second.context.settings
    assert (s.device, s.threads, s.output_dir, s.theme) == (
        "cpu",
        2,
        str(tmp_path / "my outputs"),
        "dark",
    )
    assert s.watermark is False and s.sign is False
    assert second.current_panel().objectName() == "musicPanel"
    assert (second.width(), second.height()) == (781, 677)
    window_colour = QApplication.instance().palette().color(QPalette.ColorRole.Window)
    assert window_colour.lightness() < 100  # the dark theme is applied


def test_settings_signals_fire_only_on_real_change(window: MainWindow) -> None:
    seen: list[str] = []
    settings = window.context.settings
    settings.theme_changed.connect(seen.append)
    settings.theme = "light"
    settings.theme = "light"
    settings.theme = "dark"
    assert seen == ["light", "dark"]


def test_device_probe_runs_as_a_job_and_fills_the_status_bar(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window(probe_device=True)
    qtbot.waitUntil(lambda: window.context.device.choice is not None, timeout=60000)
    text = window.device_status.text()
    assert text.startswith(("CPU: ", "GPU: "))
    probe = window.context.device.probe_job
    assert probe is not None and probe.state is JobState.finished
    assert window.queue.rows[probe.id].state_label.text() == "Finished"
    ARTIFACTS.mkdir(exist_ok=True)
    window.grab().save(str(ARTIFACTS / "main-window.png"))


def test_models_dialog_lists_the_catalogue_with_licences(qtbot: QtBot, window: MainWindow) -> None:
    dialog = ModelsDialog(window.context.catalogue, window)
    qtbot.addWidget(dialog)
    rows = dialog.table.rowCount()
    assert rows == len(window.context.catalogue.all())
    names = [dialog.table.item(r, 0).text() for r in range(rows)]
    licences = [dialog.table.item(r, 3).text() for r in range(rows)]
    assert "SmolLM2 135M Instruct (Q4_1 GGUF)" in names
    assert all(licences)
    dialog.table.selectRow(names.index("Face DCGAN 64x64 (gan-face-generate)"))
    assert "non-commercial" in dialog.details.toPlainText()


def test_ctrl_enter_generates_on_the_current_panel(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    window.show_panel("music")
    panel = window.current_panel()
    monkeypatch.setattr(panel, "generate", lambda: calls.append(panel.objectName()))
    window.activateWindow()
    qtbot.keyClick(window.nav, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert calls == ["musicPanel"]


def test_the_cli_uses_the_device_saved_in_settings(window: MainWindow) -> None:
    from studio.cli import studio_compute_settings

    assert studio_compute_settings() == ("auto", 0)
    window.context.settings.device = "cpu"
    window.context.settings.threads = 2
    assert studio_compute_settings() == ("cpu", 2)


def test_garbage_cycles_are_collected_on_the_gui_thread(qtbot: QtBot, window: MainWindow) -> None:
    """Automatic collection is off (a worker thread must not delete Qt objects); the GUI
    thread's timer collects cycles instead, as allocations pass the thresholds."""
    import gc
    import weakref

    assert not gc.isenabled()

    class Node:
        pass

    cycle = Node()
    cycle.me = cycle  # type: ignore[attr-defined]
    gone = weakref.ref(cycle)
    del cycle
    junk: list[list[object]] = []  # kept alive: freed objects come off the counts again

    def allocate_then_check() -> bool:
        junk.extend([] for _ in range(1000))
        return gone() is None

    qtbot.waitUntil(allocate_then_check, timeout=5000)


def test_a_burst_of_young_survivors_is_frozen_not_walked(qtbot: QtBot, window: MainWindow) -> None:
    """Tens of thousands of new objects still alive (a first import, a model's load) are
    frozen by the GUI thread's collector instead of walked by a young collection; a
    cycle made before the burst is not collected by it."""
    import gc

    from studio.app import GuiThreadCollector

    collector = QApplication.instance().findChild(GuiThreadCollector)  # type: ignore[union-attr]
    assert collector is not None
    frozen = gc.get_freeze_count()
    burst = [[] for _ in range(GuiThreadCollector.BURST + 5000)]
    assert gc.get_count()[0] > GuiThreadCollector.BURST
    collector.collect_if_due()
    assert gc.get_freeze_count() >= frozen + len(burst)
    assert gc.get_count()[0] < 100
    gc.unfreeze()  # the other tests' objects back to the oldest generation
