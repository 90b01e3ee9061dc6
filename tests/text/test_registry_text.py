"""The text engine through the one engine interface (``engines.registry``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from engines import registry
from engines.catalogue import Catalogue, Task
from engines.errors import BadInput
from engines.jobs import JobContext
from engines.text import llm
from engines.text.engine import StreamRequest, TextEngine
from engines.text.types import ChatMessage, TextRequest, TextResult


@pytest.fixture(autouse=True)
def forget_the_kept_model() -> Iterator[None]:
    yield
    llm.unload()


def ask(text: str) -> TextRequest:
    return TextRequest(messages=(ChatMessage("user", text),), max_new_tokens=8, temperature=0.0)


def test_a_catalogue_text_model_generates_through_the_registry(tiny_llama_dir: Path) -> None:
    entry = Catalogue().import_model(
        tiny_llama_dir, Task.text, "transformer", engine_module="engines.text.llm"
    )
    engine = registry.load(entry.id, task=Task.text)
    assert isinstance(engine, TextEngine) and engine.model_id == entry.id
    ctx = JobContext()
    result = engine.generate(ask("hello"), ctx)
    assert ctx.last_progress is not None and ctx.last_progress.preview == result.text
    assert isinstance(result, TextResult) and result.model_id == entry.id
    assert result.tokens > 0
    # The same greedy reply as the model loaded directly.
    direct = llm.load(str(tiny_llama_dir)).generate(ask("hello"))
    assert result.text == direct.text
    # Streaming: the pieces make the text, then the result comes.
    items = list(engine.generate(StreamRequest(ask("hello")), JobContext()))
    assert isinstance(items[-1], TextResult)
    assert "".join(p for p in items[:-1] if isinstance(p, str)) == items[-1].text == result.text


def test_a_folder_is_a_text_model_and_an_empty_prompt_is_refused(tiny_llama_dir: Path) -> None:
    engine = registry.load(str(tiny_llama_dir), task=Task.text)
    with pytest.raises(BadInput, match="The prompt is empty"):
        engine.generate(ask("  "), JobContext())


def test_the_registry_passes_the_device_to_the_text_entry(
    tiny_llama_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The panel runs a model that does not fit the GPU on the CPU: registry.load takes
    ``device`` and the text entry loads on it."""
    asked: list[object] = []
    original = llm.get_model

    def spy(*args: object, **kwargs: object) -> llm.LoadedModel:
        asked.append(kwargs.get("device"))
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(llm, "get_model", spy)
    engine = registry.load(str(tiny_llama_dir), task=Task.text, device="cpu")
    assert asked == ["cpu"]
    assert isinstance(engine, TextEngine) and engine.model.device == "cpu"


def test_an_option_the_entry_does_not_take_is_one_line(tiny_llama_dir: Path) -> None:
    with pytest.raises(BadInput, match="takes no option colour") as caught:
        registry.load(str(tiny_llama_dir), task=Task.text, colour="red")
    assert "\n" not in str(caught.value)


def test_generate_dispatches_on_the_request_type(tiny_llama_dir: Path) -> None:
    engine = registry.load(str(tiny_llama_dir), task=Task.text)
    with pytest.raises(BadInput, match="cannot do a UpscaleRequest"):
        from engines.image.engine import UpscaleRequest

        engine.generate(UpscaleRequest(image=None), JobContext())
    # An empty prompt is refused when the stream is asked for, not at its first pull.
    with pytest.raises(BadInput, match="The prompt is empty"):
        engine.generate(StreamRequest(ask(" ")), JobContext())
    reply = engine.generate(ask("hi"), JobContext())
    *pieces, last = engine.generate(StreamRequest(ask("hi")), JobContext())
    assert isinstance(last, TextResult) and last.text == reply.text == "".join(pieces)
