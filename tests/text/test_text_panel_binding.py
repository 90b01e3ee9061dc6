"""The Text panel's widgets and its state agree both ways (pytest-qt): an edit in a widget
reaches the state, a state change reaches the widget, and the message list follows the
conversation's state."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from engines.jobs import JobState
from engines.text import conversation as conv
from engines.text import llm
from studio.app import create_main_window
from studio.panels.text import TextPanel

pytestmark = pytest.mark.gui


@pytest.fixture
def panel(qtbot: QtBot) -> Iterator[TextPanel]:
    window = create_main_window(probe_device=False)
    qtbot.addWidget(window)
    p = window.panels["text"]
    assert isinstance(p, TextPanel)
    yield p
    window.context.runner.shutdown(5000)
    llm.unload()


def test_widgets_and_state_agree_both_ways(qtbot: QtBot, panel: TextPanel) -> None:
    state = panel.state
    qtbot.keyClicks(panel.prompt, "Hello")  # typed: the state has it
    assert state.prompt == "Hello"
    state.prompt = ""  # sent: the box is cleared
    assert panel.prompt.toPlainText() == ""
    panel.preset_combo.setCurrentText("Summarise")  # chosen: the state follows...
    assert state.preset == "Summarise"
    # ...and the instruction box shows the preset's instruction, through the state.
    assert state.instruction == panel.instruction_edit.text() != ""
    panel.instruction_edit.setText("Sum up:")
    assert state.instruction == "Sum up:"
    state.preset = "Chat"
    assert panel.preset_combo.currentText() == "Chat" and panel.instruction_edit.text() == ""


def test_the_message_list_is_a_view_of_the_conversation(panel: TextPanel) -> None:
    chat = panel.chat
    chat.add_turn(conv.Turn("user", "Hello"))
    reply = chat.start_reply("tiny")
    assert [w.objectName() for w in panel.message_widgets] == ["userMessage", "assistantMessage"]
    chat.stream_text("Hi there")
    shown = panel.message_widgets[reply.index]
    assert "Hi there" in shown.body.toPlainText()
    assert panel.streaming_index == reply.index
    chat.conversation = conv.Conversation()
    assert panel.message_widgets == [] and panel.streaming_index is None


def test_a_model_too_big_for_the_gpu_runs_on_the_cpu_or_not_at_all(
    qtbot: QtBot, panel: TextPanel, tiny_llama_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a (pretend) GPU without room, declining the CPU puts the message back in the
    box; accepting runs the reply with ``device="cpu"`` through the registry."""
    from PySide6.QtWidgets import QMessageBox

    from engines.device import DeviceChoice, GpuInfo

    assert panel.import_model(tiny_llama_dir)
    gpu = GpuInfo(0, "Tiny GPU", free_bytes=1, total_bytes=1)
    panel.context.device.choice = DeviceChoice("cuda", gpu.name, "test", 1, "test", gpu=gpu)
    devices: list[object] = []
    original = llm.get_model

    def spy(*args: Any, **kwargs: Any) -> llm.LoadedModel:
        devices.append(kwargs.get("device"))
        return original(*args, **kwargs)

    monkeypatch.setattr(llm, "get_model", spy)
    answer = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(QMessageBox, "question", lambda *args: answer[0])
    panel.max_tokens.setValue(2)
    panel.state.prompt = "Hello"
    panel.generate()
    assert panel.job is None and panel.conversation.turns == [] and not panel.message_widgets
    assert panel.prompt.toPlainText() == "Hello" and devices == []

    answer[0] = QMessageBox.StandardButton.Yes
    panel.generate()
    job = panel.job
    assert job is not None
    qtbot.waitUntil(
        lambda: job.state.is_final and panel.generate_button.isEnabled(), timeout=60_000
    )
    assert job.state is JobState.finished, job.error
    assert devices == ["cpu"] and [t.role for t in panel.conversation.turns] == [
        "user",
        "assistant",
    ]
