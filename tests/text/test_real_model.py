"""The bundled SmolLM2-135M-Instruct: a factual answer, its chat template, steering.

Loaded once per session (the first run packs the GGUF's blocks, ~20 s; the session-wide
cache dir keeps the packed copy)."""

from __future__ import annotations

import pytest

from engines.catalogue import Catalogue
from engines.errors import ModelUnavailable
from engines.text import llm
from engines.text.types import ChatMessage, TextRequest

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def smollm() -> llm.LoadedModel:
    try:
        Catalogue().get(llm.DEFAULT_MODEL_ID).require()
    except ModelUnavailable as exc:
        pytest.skip(str(exc))
    return llm.load(llm.DEFAULT_MODEL_ID)


def test_capital_of_france(smollm: llm.LoadedModel) -> None:
    request = TextRequest(
        messages=(ChatMessage("user", "What is the capital of France?"),),
        max_new_tokens=24,
        temperature=0.0,
    )
    result = smollm.generate(request)
    assert "Paris" in result.text
    assert smollm.fast and "packed GGUF" in smollm.notes[0]


def test_chat_template_is_the_models_own(smollm: llm.LoadedModel) -> None:
    ids = smollm.render([ChatMessage("user", "Hi")])
    text = smollm.tokenizer.decode(ids)
    assert text.startswith("<|im_start|>system\n")  # SmolLM2's default system prompt
    assert "<|im_start|>user\nHi<|im_end|>" in text
    assert text.endswith("<|im_start|>assistant\n")
    own = smollm.render([ChatMessage("system", "Be terse."), ChatMessage("user", "Hi")])
    assert "Be terse." in smollm.tokenizer.decode(own)
    assert smollm.context_length == 8192


def test_positive_steering_raises_happy_words(smollm: llm.LoadedModel) -> None:
    chat = [ChatMessage("user", "How was your day?")]
    happy = ["great", "wonderful", "happy", "good", "amazing"]
    sad = ["terrible", "awful", "sad", "bad", "horrible"]

    def lean() -> float:  # log-prob of happy first words minus sad ones
        return smollm.token_logprobs(chat, happy) - smollm.token_logprobs(chat, sad)

    neutral = lean()
    with smollm.steering({"positive": 1.0}):
        cheerful = lean()
    with smollm.steering({"positive": -2.0}):
        gloomy = lean()
    assert cheerful > neutral + 0.5
    assert gloomy < neutral - 0.5
    assert smollm.hook_count() == 0
