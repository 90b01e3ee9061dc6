"""The Text panel offscreen, on the tiny random Llama: streaming, Stop, save and reopen."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from engines.jobs import JobState
from engines.text import conversation as conv
from engines.text import llm
from studio.app import create_main_window
from studio.main_window import MainWindow
from studio.panels.text import TextPanel

pytestmark = pytest.mark.gui


@pytest.fixture
def panel(
    qtbot: QtBot, tiny_llama_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TextPanel]:
    # The random model may pick its end token at any step, which would race with Stop;
    # here replies always run to the token limit (test_engine checks stopping at the end).
    original = llm.get_model

    def never_ending(*args: Any, **kwargs: Any) -> llm.LoadedModel:
        model = original(*args, **kwargs)
        model.eos_ids = frozenset()
        return model

    monkeypatch.setattr(llm, "get_model", never_ending)
    window: MainWindow = create_main_window(probe_device=False)
    qtbot.addWidget(window)
    window.show()
    p = window.panels["text"]
    assert isinstance(p, TextPanel)
    model_id = p.import_model(tiny_llama_dir)
    assert model_id and p.model_combo.currentData() == model_id
    p.temperature.setValue(1.0)
    p.seed.setValue(5)
    yield p
    window.context.runner.shutdown(5000)
    llm.unload()


def _wait_done(qtbot: QtBot, panel: TextPanel) -> None:
    job = panel.job
    assert job is not None
    qtbot.waitUntil(
        lambda: job.state.is_final and panel.generate_button.isEnabled(), timeout=60_000
    )


def test_reply_streams_token_by_token(qtbot: QtBot, panel: TextPanel, tmp_path: Path) -> None:
    panel.max_tokens.setValue(100)
    seen: list[str] = []
    panel.context.runner.job_changed.connect(
        lambda job: (
            seen.append(panel.conversation.turns[-1].content)
            if job is panel.job and panel.streaming_index is not None
            else None
        )
    )
    panel.prompt.setPlainText("Hello there")
    panel.generate()
    _wait_done(qtbot, panel)
    assert panel.job is not None and panel.job.state is JobState.finished
    roles = [t.role for t in panel.conversation.turns]
    assert roles == ["user", "assistant"]
    reply = panel.conversation.turns[1]
    assert reply.content and reply.tokens == 100 and reply.seed == 5
    growing = [s for s in seen if s]
    assert len(set(growing)) >= 3  # several partial texts were shown on the way
    assert all(reply.content.startswith(s) for s in growing)
    assert "tokens/s" in panel.status_label.text()
    assert len(panel.message_widgets) == 2
    panel.grab().save(str(tmp_path / "text-panel.png"))


def test_stop_keeps_partial_text(qtbot: QtBot, panel: TextPanel) -> None:
    panel.max_tokens.setValue(150)
    panel.context.runner.job_changed.connect(
        lambda job: (
            panel.cancel()
            if job is panel.job and len(panel.conversation.turns[-1].content) >= 5
            else None
        )
    )
    panel.prompt.setPlainText("Go on")
    panel.generate()
    _wait_done(qtbot, panel)
    assert panel.job is not None and panel.job.state is JobState.cancelled
    reply = panel.conversation.turns[-1]
    assert reply.stopped and len(reply.content) >= 5 and reply.tokens < 150
    assert "Stopped" in panel.status_label.text()


def test_conversation_is_saved_reopened_and_exported(
    qtbot: QtBot, panel: TextPanel, tmp_path: Path
) -> None:
    panel.max_tokens.setValue(8)
    panel.system_edit.setText("Be kind.")
    panel.prompt.setPlainText("First question")
    panel.generate()
    _wait_done(qtbot, panel)
    saved = conv.saved_conversations()
    assert len(saved) == 1
    path, stored = saved[0]
    assert stored.system == "Be kind." and len(stored.turns) == 2
    first_reply = panel.conversation.turns[1].content

    panel.new_conversation()
    assert panel.conversation.turns == [] and not panel.message_widgets
    panel.open_conversation(path)
    assert [t.content for t in panel.conversation.turns] == ["First question", first_reply]
    assert panel.system_edit.text() == "Be kind." and len(panel.message_widgets) == 2

    md = panel.export(tmp_path / "chat.md").read_text(encoding="utf-8")
    assert "## You" in md and "First question" in md and "**System:** Be kind." in md
    data = json.loads(panel.export(tmp_path / "chat.json").read_text(encoding="utf-8"))
    assert data["turns"][0]["content"] == "First question"

    # Edit and resend: the history is cut at the edited message.
    panel._edit(0)
    assert panel.conversation.turns == [] and panel.prompt.toPlainText() == "First question"


def test_regenerate_replaces_the_last_reply(qtbot: QtBot, panel: TextPanel) -> None:
    panel.max_tokens.setValue(10)
    panel.seed.setValue(-1)  # random: a different reply
    panel.prompt.setPlainText("Once more")
    panel.generate()
    _wait_done(qtbot, panel)
    first_seed = panel.conversation.turns[1].seed
    panel._regenerate(1)
    _wait_done(qtbot, panel)
    assert len(panel.conversation.turns) == 2
    assert panel.conversation.turns[1].seed != first_seed


def test_presets_and_bad_input(qtbot: QtBot, panel: TextPanel, tmp_path: Path) -> None:
    panel.prompt.setPlainText("   ")
    panel.generate()
    assert panel.job is None and "empty" in panel.status_label.text()
    # A preset shows its instruction in words; the template's placeholder stays inside.
    panel.preset_combo.setCurrentText("Summarise")
    assert panel.instruction_edit.text() == "Summarise the following text in a few sentences:"
    panel.instruction_edit.setText("Sum up:")
    panel._save_template()
    assert conv.load_presets()["Summarise"] == "Sum up:\n\n{text}"
    panel.max_tokens.setValue(2)
    panel.prompt.setPlainText("a long story")
    panel.generate()
    _wait_done(qtbot, panel)
    assert panel.conversation.turns[0].content == "Sum up:\n\na long story"
    panel.preset_combo.setCurrentText("Chat")  # the message goes alone
    assert panel.instruction_edit.text() == ""
    assert "sent as it is" in panel.instruction_edit.placeholderText()
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"nope")
    assert panel.import_model(bad) is None
    assert "bad.gguf" in panel.status_label.text()


def test_steering_sliders_end_at_the_calibrated_range(panel: TextPanel) -> None:
    """On the bundled model a slider's ends are its vector's calibrated strengths, and
    the range is shown; on a model without a calibration (the tiny one) the default
    range, said to be uncalibrated. The strength follows the model, the position stays."""
    assert {"formal", "positive", "concise"} <= set(panel.steering_sliders)
    formal = panel.steering_sliders["formal"]
    label = panel.steering_box.range_labels["formal"]
    formal.setValue(formal.maximum())  # the tiny model is selected
    assert panel.steering_strengths["formal"] == llm.UNCALIBRATED_LIMIT
    assert "not calibrated" in label.text() and "not calibrated" in formal.toolTip()

    panel.model_combo.setCurrentIndex(panel.model_combo.findData(llm.DEFAULT_MODEL_ID))
    definition = next(d for d in llm.steering_definitions() if d.name == "formal")
    allowed = definition.range_for(llm.DEFAULT_MODEL_ID)
    assert allowed.calibrated
    assert panel.steering_strengths["formal"] == allowed.high
    assert f"{allowed.low:+.2f} … {allowed.high:+.2f} (calibrated)" == label.text()
    assert label.isVisible() and allowed.describe() in formal.toolTip()
    assert panel.steering_box.value_labels["formal"].text() == f"{allowed.high:+.2f}"
    formal.setValue(formal.minimum())
    assert panel.steering_strengths["formal"] == allowed.low
    formal.setValue(formal.maximum() // 2)
    assert panel.steering_strengths["formal"] == pytest.approx(allowed.high / 2, abs=1e-3)
    formal.setValue(0)
    assert panel.steering_strengths["formal"] == 0.0
    # Every slider's end is within its range on the model (the CLI's check agrees).
    for name, slider in panel.steering_sliders.items():
        for end in (slider.minimum(), slider.maximum()):
            llm.check_steering({name: panel.steering_box.strength_at(name, end)}, None)


def test_model_row_and_presets_read_plainly_at_the_default_size(
    qtbot: QtBot, panel: TextPanel, tmp_path: Path
) -> None:
    """At the window's default size the Import button does not cover the model's name
    (the combo is wide enough for its longest entry), and no visible widget shows a raw
    "{text}" template, whatever the preset."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QPushButton

    window = panel.window()
    assert (window.width(), window.height()) == (1280, 800)  # no saved geometry in tests
    panel.model_combo.setCurrentIndex(panel.model_combo.findData(llm.DEFAULT_MODEL_ID))
    qtbot.wait(50)

    def rect(widget: Any) -> QRect:
        return QRect(widget.mapTo(panel, widget.rect().topLeft()), widget.size())

    combo, button = panel.model_combo, panel.import_button
    assert combo.isVisible() and button.isVisible()
    assert not rect(button).intersects(rect(combo))
    assert combo.width() >= combo.sizeHint().width()  # its longest name fits
    name_width = combo.fontMetrics().horizontalAdvance(combo.currentText())
    assert rect(combo).left() + name_width < rect(button).left()
    for preset in panel.presets:
        panel.preset_combo.setCurrentText(preset)
        for widget in panel.findChildren(QWidget):
            if not widget.isVisible():
                continue
            texts: list[str] = []
            if isinstance(widget, QLineEdit):
                texts += [widget.text(), widget.placeholderText()]
            elif isinstance(widget, QLabel | QPushButton):
                texts.append(widget.text())
            elif isinstance(widget, QComboBox):
                texts += [widget.itemText(i) for i in range(widget.count())]
            elif isinstance(widget, QPlainTextEdit):
                texts += [widget.toPlainText(), widget.placeholderText()]
            texts.append(widget.toolTip())
            assert not any("{text}" in t for t in texts), (preset, widget.objectName(), texts)
    panel.preset_combo.setCurrentText("Summarise")
    window.grab().save(str(tmp_path / "text-panel-default-size.png"))


def test_users_build_their_own_steering_direction(qtbot: QtBot, panel: TextPanel) -> None:
    from engines import paths

    dialog = panel.open_steering_dialog()
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("pirate")
    dialog.positive_edit.setText("pirate")
    dialog.negative_edit.setText("plain")
    dialog.table.item(0, 0).setText("Arr, the sea be calling me, matey!")
    dialog.table.item(0, 1).setText("The sea is calling me, friend.")
    dialog.accept()  # one pair is too few: the dialog says so and stays open
    assert dialog.isVisible() and "two pairs" in dialog.error_label.text()
    dialog.table.item(1, 0).setText("Shiver me timbers, what a storm!")
    dialog.accept()  # a half-filled pair is named
    assert dialog.isVisible() and "Pair 2" in dialog.error_label.text()
    dialog.table.item(1, 1).setText("Goodness, what a storm!")
    dialog.accept()
    assert not dialog.isVisible()
    assert "pirate" in panel.steering_sliders
    assert "pirate" in {d.name for d in llm.steering_definitions() if d.user}
    # The new slider steers a reply: its vector is built for the model on first use.
    pirate = panel.steering_sliders["pirate"]
    pirate.setValue(pirate.maximum())  # not calibrated: the default range's end
    assert panel.steering_strengths["pirate"] == llm.UNCALIBRATED_LIMIT
    assert "not calibrated" in panel.steering_box.range_labels["pirate"].text()
    panel.max_tokens.setValue(8)
    panel.prompt.setPlainText("Tell me about the sea")
    panel.generate()
    _wait_done(qtbot, panel)
    assert panel.job is not None and panel.job.state is JobState.finished
    built = list((paths.cache_dir() / "text" / "steering").glob("*/pirate-*.pt"))
    assert built, "the user's steering vector was not built"


def test_a_new_chat_as_a_reply_finishes_keeps_both(qtbot: QtBot, panel: TextPanel) -> None:
    """Issue 18 (6): a new conversation started after the job ended but before its last
    signal arrived raised IndexError; now the reply goes to its own conversation."""
    import time

    panel.max_tokens.setValue(8)
    panel.prompt.setPlainText("Hello")
    panel.generate()
    job = panel.job
    assert job is not None
    old = panel.conversation
    deadline = time.monotonic() + 60
    while not job.state.is_final and time.monotonic() < deadline:
        time.sleep(0.01)  # no event processing: the finished signal waits in the queue
    assert job.state.is_final
    panel.new_conversation()
    qtbot.waitUntil(panel.generate_button.isEnabled, timeout=10_000)
    qtbot.wait(50)
    assert panel.conversation is not old and panel.conversation.turns == []
    assert old.turns[-1].role == "assistant" and old.turns[-1].content


def test_the_panel_is_a_view_of_its_state(panel: TextPanel) -> None:
    """Controls and state agree both ways; a reply's request is built from the state."""
    state = panel.state
    assert state.model_id == panel.model_combo.currentData() and state.model_id
    assert (state.temperature, state.seed) == (1.0, 5)  # set on the widgets by the fixture
    state.top_k, state.max_new_tokens = 17, 33
    assert panel.top_k.value() == 17 and panel.max_tokens.value() == 33
    panel.system_edit.setText("Be brief.")
    panel.repetition.setValue(1.25)
    assert state.system_prompt == "Be brief." and state.repetition_penalty == 1.25
    steering = {"formal": 0.2}
    conversation = conv.Conversation(system=state.system_prompt)
    conversation.turns.append(conv.Turn("user", "Hi"))
    request = state.request(conversation.messages(), steering)
    assert request.model_id == state.model_id and request.messages == conversation.messages()
    assert (request.temperature, request.top_k, request.max_new_tokens) == (1.0, 17, 33)
    assert (request.repetition_penalty, request.seed) == (1.25, 5)
    assert request.steering is steering  # shared, so that the sliders steer live
    state.seed = -1
    assert panel.seed.text() == "random" and state.request((), {}).seed is None
