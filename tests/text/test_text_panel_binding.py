"""The Text panel's widgets and its state agree both ways (pytest-qt): an edit in a widget
reaches the state, a state change reaches the widget, and the message list follows the
conversation's state."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from engines.text import conversation as conv
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
