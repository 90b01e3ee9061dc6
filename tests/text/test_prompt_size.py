"""Counting a prompt against a model's context without its weights (what the API server
refuses an over-long prompt with, before any job): the loaded model's counts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from engines.errors import BadInput
from engines.text import gguf_cpu, llm, prompt_size
from engines.text.types import ChatMessage
from tests.text.conftest import CONTEXT

CHAT = [ChatMessage("user", "How many tokens is this?"), ChatMessage("assistant", "Some.")]


def test_a_folder_counts_as_its_loaded_model(tiny_llama_dir: Path, tmp_path: Path) -> None:
    llm.unload()
    counter = prompt_size.counter(str(tiny_llama_dir))
    assert isinstance(counter, prompt_size.PromptCounter)  # not loaded: no weights read
    loaded = llm.load(str(tiny_llama_dir), device="cpu")
    assert counter.context_length == loaded.context_length == CONTEXT
    assert counter.render(CHAT) == loaded.render(CHAT)
    # A sliding window smaller than the positions is the context, as the loader says.
    windowed = tmp_path / "windowed"
    shutil.copytree(tiny_llama_dir, windowed)
    config = json.loads((windowed / "config.json").read_text())
    (windowed / "config.json").write_text(json.dumps({**config, "sliding_window": 100}))
    assert prompt_size.counter(str(windowed)).context_length == 100


def test_a_folder_without_a_tokenizer_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text('{"max_position_embeddings": 64}')
    with pytest.raises(BadInput, match="tokenizer or config"):
        prompt_size.counter(str(tmp_path))


@pytest.mark.integration
def test_the_gguf_header_gives_the_packed_copys_context(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SmolLM2's GGUF: read through its packed copy, or (not packed yet) its header and
    vocabulary; both count as the model does and give its 8192 tokens."""
    llm.unload()
    packed = prompt_size.counter("smollm2-135m-instruct")
    monkeypatch.setattr(gguf_cpu, "read_packed_config", lambda folder: None)
    monkeypatch.setattr(prompt_size, "_counters", {})
    header = prompt_size.counter("smollm2-135m-instruct")
    assert packed.context_length == header.context_length == 8192
    assert packed.render(CHAT) == header.render(CHAT)
