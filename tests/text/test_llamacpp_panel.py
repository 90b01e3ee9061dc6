"""The real Text panel (pytest-qt) answers from a user GGUF through llama.cpp, and greys
its steering sliders for it, saying why."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from engines.jobs import JobState
from engines.text import llamacpp, llm
from studio.app import create_main_window
from studio.panels.text import TextPanel
from tests.text.gguf_makers import write_tiny_qwen2

pytestmark = [
    pytest.mark.gui,
    pytest.mark.skipif(
        importlib.util.find_spec("llama_cpp") is None, reason="llama-cpp-python is not installed"
    ),
]


@pytest.fixture
def panel(qtbot: QtBot) -> Iterator[TextPanel]:
    window = create_main_window(probe_device=False)
    qtbot.addWidget(window)
    p = window.panels["text"]
    assert isinstance(p, TextPanel)
    yield p
    window.context.runner.shutdown(5000)
    llm.unload()


def test_the_panel_answers_from_a_gguf_on_llama_cpp(
    qtbot: QtBot, panel: TextPanel, tmp_path: Path
) -> None:
    box = panel.steering_box
    assert box.supported and all(s.isEnabled() for s in box.sliders.values())
    model_id = panel.import_model(write_tiny_qwen2(tmp_path / "tiny-qwen2.gguf"))
    assert model_id is not None and panel.state.model_id == model_id
    # Its backend cannot steer: the sliders are greyed, with the reason on them and below.
    assert not box.supported and box.sliders
    assert not any(s.isEnabled() for s in box.sliders.values())
    assert not box.new_button.isEnabled() and box.unsupported_notice.isVisibleTo(box)
    assert "llama.cpp" in box.unsupported_notice.text()
    assert all("llama.cpp" in s.toolTip() for s in box.sliders.values())
    if os.environ.get("SOZO_SHOTS"):
        panel.window().resize(1200, 800)
        panel.grab().save(os.path.join(os.environ["SOZO_SHOTS"], "text-llamacpp.png"))

    panel.max_tokens.setValue(12)
    panel.seed.setValue(4)
    panel.state.prompt = "Hello"
    panel.generate()
    job = panel.job
    assert job is not None
    qtbot.waitUntil(
        lambda: job.state.is_final and panel.generate_button.isEnabled(), timeout=60_000
    )
    assert job.state is JobState.finished, job.error
    assert isinstance(llm.kept_model(model_id), llamacpp.LlamaCppModel)
    turns = panel.conversation.turns
    assert [t.role for t in turns] == ["user", "assistant"] and turns[1].content.strip()
    assert job.result is not None and job.result.tokens == 12  # llama.cpp's own count
    # Back on the packaged default, steering is there again.
    panel.state.model_id = llm.DEFAULT_MODEL_ID
    assert box.supported and all(s.isEnabled() for s in box.sliders.values())
