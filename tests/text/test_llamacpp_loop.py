"""The lean llama.cpp token loop (engines/text/llamacpp_loop.py) on the packaged SmolLM2
GGUF: its sampler chain, its incremental text, its prefix reuse, cancel before a token."""

from __future__ import annotations

import importlib.util
from dataclasses import replace
from typing import Any

import pytest

from engines.jobs import JobContext
from engines.text.types import ChatMessage, TextRequest, TextResult
from tests.text.gguf_makers import smollm_gguf

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("llama_cpp") is None, reason="llama-cpp-python is not installed"
)


@pytest.fixture(scope="module")
def model() -> Any:
    from engines.text.llamacpp import LlamaCppModel

    return LlamaCppModel(smollm_gguf(), threads=1)


def ask(n: int = 24, **settings: Any) -> TextRequest:
    msg = (ChatMessage("user", "Write a list of ten fruits."),)
    return TextRequest(messages=msg, max_new_tokens=n, **settings)


def test_top_k_one_is_greedy_whatever_the_seed(model: Any) -> None:
    greedy = model.generate(ask(temperature=0.0)).text
    assert greedy
    for seed in (1, 2):
        assert model.generate(ask(temperature=1.5, top_k=1, seed=seed)).text == greedy


def test_seed_top_p_and_penalty_each_change_the_reply(model: Any) -> None:
    hot = ask(n=40, temperature=1.2, top_k=0, top_p=1.0, seed=5)
    first = model.generate(hot).text
    assert model.generate(hot).text == first  # same seed, same reply
    assert model.generate(replace(hot, seed=6)).text != first
    plain = model.generate(ask(n=40, temperature=0.0)).text
    assert model.generate(replace(hot, top_p=1e-6)).text == plain  # the top token only
    penalised = model.generate(ask(n=40, temperature=0.0, repetition_penalty=1.8)).text
    assert penalised != plain


def test_text_comes_whole_character_by_character(model: Any) -> None:
    """Japanese and an emoji take several byte tokens each: no piece is ever half of one."""
    from engines.text.llamacpp_loop import Pieces

    text = "猫が好きです 🐈 café"
    tokens = model.llm.tokenize(text.encode("utf-8"), add_bos=False, special=False)
    assert len(tokens) > len(text.split())  # some characters span tokens
    pieces = Pieces(model._lib, model._vocab)
    made = [pieces.text(t) for t in tokens]
    assert "".join(made) == text and not any("\ufffd" in p for p in made)
    assert "" in made  # a character was held back until its last byte came


def test_a_second_turn_decodes_only_what_is_new(model: Any) -> None:
    first = model.generate(ask(n=8, temperature=0.0))
    turns = (*ask().messages, ChatMessage("assistant", first.text), ChatMessage("user", "More."))
    second = model.generate(TextRequest(messages=turns, max_new_tokens=8, temperature=0.0))
    assert first.prompt_tokens - 1 <= second.reused_tokens < second.prompt_tokens
    cached = model.llm.input_ids[: model.llm.n_tokens].tolist()
    assert cached[: second.prompt_tokens] == model.render(turns)
    # The same conversation from an empty cache gives the same greedy reply.
    model.llm.n_tokens = 0
    again = model.generate(TextRequest(messages=turns, max_new_tokens=8, temperature=0.0))
    assert again.reused_tokens == 0 and again.text == second.text


def test_cancel_before_the_first_token(model: Any) -> None:
    ctx = JobContext()
    ctx.cancel()
    items = list(model.stream(ask(), ctx))
    assert len(items) == 1 and isinstance(items[0], TextResult)
    assert items[0].stopped_early and items[0].tokens == 0 and items[0].text == ""


class FakeMemory:
    """A llama.cpp library stand-in for the prefix rule: a cache whose oldest position
    left is ``pos_min`` (a sliding window lets old positions go)."""

    def __init__(self, *, pos_min: int, window: int, removable: bool = True) -> None:
        self.pos_min, self.window, self.removable = pos_min, window, removable
        self.cleared = False

    def llama_get_memory(self, ctx: Any) -> str:
        return "memory"

    def llama_memory_seq_rm(self, memory: str, seq: int, p0: int, p1: int) -> bool:
        return self.removable

    def llama_model_n_swa(self, model: Any) -> int:
        return self.window

    def llama_memory_seq_pos_min(self, memory: str, seq: int) -> int:
        return self.pos_min

    def llama_memory_clear(self, memory: str, data: bool) -> None:
        self.cleared = True


class FakeLlama:
    def __init__(self, cached: list[int]) -> None:
        import numpy as np

        self.input_ids = np.array(cached + [0] * 8, dtype=np.intc)
        self.n_tokens = len(cached)
        self._ctx = self._model = type("Handle", (), {"ctx": None, "model": None})()


@pytest.mark.parametrize(
    ("pos_min", "window", "removable", "kept"),
    [
        (0, 0, True, 5),  # no sliding window: the matching prefix stays
        (1, 4, True, 5),  # the window still holds what position 5 attends to
        (2, 4, True, 0),  # it let position 1 go: decode everything again
        (0, 0, False, 0),  # the cache cannot drop a tail
    ],
)
def test_the_prefix_kept_is_one_the_cache_still_holds(
    pos_min: int, window: int, removable: bool, kept: int
) -> None:
    from engines.text.llamacpp_loop import reusable_prefix

    lib = FakeMemory(pos_min=pos_min, window=window, removable=removable)
    llm = FakeLlama([1, 2, 3, 4, 5, 9, 9])
    assert reusable_prefix(lib, llm, [1, 2, 3, 4, 5, 6, 7]) == kept
    assert llm.n_tokens == kept and lib.cleared == (kept == 0)
    # A prompt the cache holds whole still decodes its last token (for its logits).
    llm = FakeLlama([1, 2, 3])
    assert reusable_prefix(FakeMemory(pos_min=0, window=0), llm, [1, 2, 3]) == 2
