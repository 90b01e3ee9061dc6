"""The Download models window against the fake hub: search, the files and licence of a
repository, one quantisation picked and downloaded as a job, the licence asked for a gated
repository, and the Models window's remove deleting a download's files."""

# ruff: noqa: F811 - the tests take the imported ``hub`` fixture as an argument

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from engines.catalogue import Catalogue, Task
from engines.hub import manager
from studio.dialogs import ModelsDialog
from studio.hub_dialog import HubDialog
from studio.jobs import JobRunner
from tests.hub.conftest import hub  # noqa: F401 - the fake hub fixture
from tests.hub.fake_hub import FakeHub

pytestmark = pytest.mark.gui

ARTIFACTS = Path(__file__).resolve().parent.parent / "_artifacts"


def _dialog(qtbot: QtBot) -> tuple[HubDialog, JobRunner, Catalogue]:
    runner = JobRunner()
    catalogue = Catalogue()
    dialog = HubDialog(catalogue, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog, runner, catalogue


def _search(qtbot: QtBot, dialog: HubDialog, text: str, kind: str = "gguf") -> None:
    dialog.kind.setCurrentIndex(dialog.kind.findData(kind))
    dialog.query.setText(text)
    dialog.search()
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 0, timeout=10_000)


def test_search_pick_a_quantisation_and_download(
    qtbot: QtBot,
    hub: FakeHub,
) -> None:
    dialog, runner, catalogue = _dialog(qtbot)
    _search(qtbot, dialog, "tiny")
    assert dialog.table.item(0, 0).text() == "acme/tiny-llama-GGUF"
    assert dialog.table.item(0, 1).text() == "apache-2.0"
    qtbot.waitUntil(lambda: dialog.quant.count() == 2, timeout=10_000)
    assert "tiny-llama.Q4_K_M.gguf" in dialog.details.toPlainText()
    assert "apache-2.0" in dialog.details.toPlainText()
    dialog.quant.setCurrentIndex(dialog.quant.findData("Q8_0"))
    qtbot.waitUntil(
        lambda: dialog._plan is not None and dialog._plan.files[0].path.endswith("Q8_0.gguf"),
        timeout=10_000,
    )
    ARTIFACTS.mkdir(exist_ok=True)
    dialog.grab().save(str(ARTIFACTS / "hub_dialog.png"))
    with qtbot.waitSignal(dialog.installed, timeout=20_000) as installed:
        dialog.download_button.click()
    entry = installed.args[0]
    assert entry.task is Task.text
    assert Path(entry.files[0].relpath).name == "tiny-llama.Q8_0.gguf"
    assert any(j.title.startswith("Download acme/tiny-llama-GGUF") for j in runner.jobs)
    assert entry.id in {e.id for e in catalogue.all()}
    runner.shutdown()


def test_gated_repo_asks_for_the_licence_first(
    qtbot: QtBot,
    hub: FakeHub,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dialog, runner, _catalogue = _dialog(qtbot)
    _search(qtbot, dialog, "gated")
    qtbot.waitUntil(lambda: dialog.download_button.isEnabled(), timeout=10_000)
    assert "gated" in dialog.details.toPlainText()
    asked: list[str] = []
    monkeypatch.setattr(dialog, "ask_licence", lambda plan: asked.append(plan.repo_id) or False)
    dialog.download_button.click()
    assert asked == ["acme/gated-GGUF"]
    assert not any(j.title.startswith("Download") for j in runner.jobs)
    monkeypatch.setattr(dialog, "ask_licence", lambda plan: True)
    with qtbot.waitSignal(dialog.installed, timeout=20_000):
        dialog.download_button.click()
    assert manager.licence_accepted(dialog._plan)
    runner.shutdown()


def test_voice_search_shows_language_quality_and_rate(
    qtbot: QtBot,
    hub: FakeHub,
) -> None:
    dialog, runner, _catalogue = _dialog(qtbot)
    _search(qtbot, dialog, "english", kind="voice")
    row = [dialog.table.item(0, c).text() for c in range(4)]
    assert row == ["en_US-tiny-low", "English (United States)", "low", "16000 Hz"]
    qtbot.waitUntil(lambda: dialog.download_button.isEnabled(), timeout=10_000)
    with qtbot.waitSignal(dialog.installed, timeout=20_000) as installed:
        dialog.download_button.click()
    assert installed.args[0].task is Task.speech
    runner.shutdown()


def test_a_hub_error_is_one_line_in_the_window(qtbot: QtBot, hub: FakeHub) -> None:
    hub.repos.pop("rhasspy/piper-voices")
    dialog, runner, _catalogue = _dialog(qtbot)
    dialog.kind.setCurrentIndex(dialog.kind.findData("voice"))
    dialog.search()
    qtbot.waitUntil(lambda: "HTTP 404" in dialog.status.text(), timeout=10_000)
    assert "\n" not in dialog.status.text()
    runner.shutdown()


def test_models_window_remove_deletes_a_download(
    qtbot: QtBot,
    hub: FakeHub,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from engines.hub.client import HubClient

    catalogue = Catalogue()
    plan = manager.plan_download(HubClient(), "acme/tiny-llama-GGUF", quantisation="Q8_0")
    entry = manager.install(HubClient(), plan, catalogue=catalogue)
    runner = JobRunner()
    dialog = ModelsDialog(catalogue, None, runner)
    qtbot.addWidget(dialog)
    assert dialog.hub_button.isEnabled()
    row = next(i for i, e in enumerate(dialog._entries) if e.id == entry.id)
    dialog.table.selectRow(row)
    questions: list[str] = []

    def answer(parent: object, title: str, text: str) -> QMessageBox.StandardButton:
        questions.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    dialog.remove_button.click()
    assert "downloaded files" in questions[0]
    assert not plan.target.exists()
    assert entry.id not in {e.id for e in catalogue.all()}
    runner.shutdown()


class _Drop:
    """A drop event carrying file URLs (what the window gets from a file manager)."""

    def __init__(self, paths: list[Path]) -> None:
        from PySide6.QtCore import QMimeData, QUrl

        self.mime = QMimeData()
        self.mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
        self.accepted = False

    def mimeData(self) -> object:
        return self.mime

    def acceptProposedAction(self) -> None:
        self.accepted = True


def test_dropping_models_on_the_models_window_says_what_it_recognised(
    qtbot: QtBot, tmp_path: Path
) -> None:
    import shutil

    from tests.hub.conftest import VOICE_DATA, tiny_gguf_bytes

    gguf = tmp_path / "mine.gguf"
    gguf.write_bytes(tiny_gguf_bytes(tmp_path))
    for suffix in (".onnx", ".onnx.json"):
        shutil.copy(VOICE_DATA / f"tiny{suffix}", tmp_path / f"voice{suffix}")
    broken = tmp_path / "broken.safetensors"
    broken.write_bytes(b"not a checkpoint")
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    catalogue = Catalogue()
    dialog = ModelsDialog(catalogue)
    qtbot.addWidget(dialog)
    before = dialog.table.rowCount()
    event = _Drop([gguf, tmp_path / "voice.onnx", tmp_path / "voice.onnx.json", broken, notes])
    dialog.dropEvent(event)
    assert event.accepted
    report = dialog.drop_report
    assert len(report) == 4  # the voice's two files are one voice
    assert report[0].startswith("mine.gguf: recognised as a language model")
    assert report[1].startswith("voice.onnx: recognised as a Piper voice")
    assert report[2].startswith("broken.safetensors looks like a Stable Diffusion model, but:")
    assert report[3].startswith("notes.txt: not a model the studio recognises")
    assert dialog.table.rowCount() == before + 2
    assert "mine.gguf" in dialog.details.toPlainText()


def test_a_download_runs_beside_a_busy_generation_worker(qtbot: QtBot, hub: FakeHub) -> None:
    import threading

    from engines.jobs import Job

    dialog, runner, _catalogue = _dialog(qtbot)
    release = threading.Event()
    busy = runner.submit(Job("generation", lambda ctx: release.wait(20), task="text"))
    _search(qtbot, dialog, "tiny")  # the hub's answers come while the worker is busy
    qtbot.waitUntil(lambda: dialog.download_button.isEnabled(), timeout=10_000)
    with qtbot.waitSignal(dialog.installed, timeout=20_000):
        dialog.download_button.click()
    assert not busy.state.is_final
    release.set()
    qtbot.waitUntil(lambda: busy.state.is_final, timeout=10_000)
    runner.shutdown()
