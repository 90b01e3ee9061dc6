"""Every user GGUF goes to llama.cpp when it imports, through the one engine interface;
the old paths (packed ONNX, transformers) take over when it does not."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from engines import device as engine_device
from engines.jobs import JobContext
from engines.text import engine, llamacpp, llm
from engines.text.types import ChatMessage, TextRequest, TextResult
from tests.text.gguf_makers import smollm_gguf, write_tiny_qwen2

needs_llama = pytest.mark.skipif(
    importlib.util.find_spec("llama_cpp") is None, reason="llama-cpp-python is not installed"
)


@pytest.fixture(autouse=True)
def forget_the_kept_model() -> Iterator[None]:
    llm.unload()
    yield
    llm.unload()


@pytest.fixture(scope="module")
def qwen2(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_qwen2(tmp_path_factory.mktemp("qwen2") / "tiny-qwen2.gguf")


@pytest.fixture(scope="module")
def user_smollm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The packaged SmolLM2 GGUF as a user would bring it (a file of their own)."""
    target = tmp_path_factory.mktemp("user") / "smollm2-q4_1.gguf"
    shutil.copyfile(smollm_gguf(), target)
    return target


def ask(text: str = "Tell me a story about a cat.", *, n: int = 16, seed: int = 3) -> TextRequest:
    return TextRequest(
        messages=(ChatMessage("user", text),), max_new_tokens=n, temperature=0.8, seed=seed
    )


def pretend_threads(monkeypatch: pytest.MonkeyPatch, threads: int) -> None:
    choice = engine_device.DeviceChoice("cpu", "test CPU", "test", threads, "test")
    monkeypatch.setattr(engine_device, "current", lambda: choice)


@needs_llama
@pytest.mark.parametrize("which", ["qwen2", "user_smollm"])
def test_a_user_gguf_of_either_architecture_runs_on_llama_cpp(
    which: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    path: Path = request.getfixturevalue(which)
    pretend_threads(monkeypatch, 2)
    loaded = engine.load(str(path))
    assert isinstance(loaded.model, llamacpp.LlamaCppModel)
    assert loaded.backend == "llama.cpp" and loaded.supports_steering is False
    assert loaded.model.llm.n_threads == 2  # the studio's thread setting
    result = loaded.generate(ask(n=12))
    assert isinstance(result, TextResult) and result.text and result.seed == 3
    assert result.prompt_tokens == loaded.model.count_prompt_tokens(ask().messages)


@needs_llama
def test_streams_and_same_seed_same_text(qwen2: Path) -> None:
    loaded = engine.load(str(qwen2))
    items = list(loaded.generate(engine.StreamRequest(ask(seed=5))))  # type: ignore[arg-type]
    pieces, result = items[:-1], items[-1]
    assert isinstance(result, TextResult) and len(pieces) > 3
    assert "".join(str(p) for p in pieces) == result.text
    again = loaded.generate(ask(seed=5))
    assert isinstance(again, TextResult) and again.text == result.text
    other = loaded.generate(ask(seed=6, n=30))
    assert isinstance(other, TextResult) and other.text != result.text


@needs_llama
def test_the_token_count_is_llama_cpps_own(qwen2: Path) -> None:
    """Random weights never end early here: exactly the budget is made, and each token
    llama.cpp made is counted once (not each text piece)."""
    model = llm.open_model(str(qwen2))
    assert isinstance(model, llamacpp.LlamaCppModel)
    result = model.generate(ask(n=20, seed=11))
    assert result.tokens == 20 and result.stopped_early
    made = list(model.llm._input_ids[result.prompt_tokens : model.llm.n_tokens])
    assert len(made) >= 19  # the last token is sampled but never fed back
    assert model.llm.detokenize(made[:19]).decode("utf-8", "replace") in result.text


@needs_llama
def test_cancel_within_a_few_tokens(qwen2: Path) -> None:
    loaded = engine.load(str(qwen2))
    ctx = JobContext()
    stream = loaded.generate(engine.StreamRequest(ask(n=300)), ctx)
    assert not isinstance(stream, TextResult)
    for got, item in enumerate(stream, start=1):
        if isinstance(item, TextResult):
            result = item
            break
        if got == 3:
            ctx.cancel()
    assert result.stopped_early and result.tokens <= 4


@needs_llama
def test_the_chat_template_is_the_ggufs_own(user_smollm: Path) -> None:
    model = llm.get_model(str(user_smollm))
    assert isinstance(model, llamacpp.LlamaCppModel)
    messages = (ChatMessage("system", "Be terse."), ChatMessage("user", "Hi"))
    prompt = model.llm.detokenize(model.render(messages), special=True).decode()
    assert "<|im_start|>system\nBe terse.<|im_end|>" in prompt
    assert prompt.endswith("<|im_start|>assistant\n")
    # The server's early check counts through the kept model, with llama.cpp's tokenizer.
    kept = llm.kept_model(str(user_smollm))
    assert kept is model and kept.count_prompt_tokens(messages) == len(model.render(messages))
    # A second turn reuses the first's keys and values.
    first = model.generate(ask("What is the capital of France?", n=8))
    turns = (
        ChatMessage("user", "What is the capital of France?"),
        ChatMessage("assistant", first.text),
        ChatMessage("user", "And of Spain?"),
    )
    second = model.generate(TextRequest(messages=turns, max_new_tokens=4, seed=1))
    assert second.reused_tokens >= first.prompt_tokens - 1


@needs_llama
def test_steering_asked_of_llama_cpp_is_said_not_done(qwen2: Path) -> None:
    model = llm.open_model(str(qwen2))
    plain = model.generate(ask(seed=2))
    steered = model.generate(replace(ask(seed=2), steering={"happy": 4.0}))
    assert steered.text == plain.text
    assert any(getattr(n, "id", "") == "text.llamacpp_no_steering" for n in steered.notices)


def test_without_llama_cpp_a_gguf_takes_the_old_path(
    qwen2: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # import llama_cpp fails
    assert not llamacpp.available()
    seen: list[Any] = []
    monkeypatch.setattr(llm, "load", lambda model_id, ctx=None, **kw: seen.append(model_id))
    llm.open_model(str(qwen2))
    assert seen == [str(qwen2)]


def test_the_packaged_default_keeps_its_steerable_packed_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[Any] = []
    monkeypatch.setattr(llm, "load", lambda model_id, ctx=None, **kw: seen.append(model_id))
    llm.open_model(llm.DEFAULT_MODEL_ID)
    assert seen == [llm.DEFAULT_MODEL_ID]


@needs_llama
def test_on_cuda_every_layer_goes_to_the_gpu(qwen2: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """n_gpu_layers=-1 on CUDA, 0 on the CPU; threads from the studio's setting."""
    import llama_cpp

    seen: list[dict[str, Any]] = []

    class Spy(llama_cpp.Llama):  # type: ignore[misc]
        def __init__(self, **kwargs: Any) -> None:
            seen.append(kwargs)
            super().__init__(**{**kwargs, "n_gpu_layers": 0})

    monkeypatch.setattr(llama_cpp, "Llama", Spy)
    llamacpp.LlamaCppModel(qwen2, device="cuda", threads=3)
    llamacpp.LlamaCppModel(qwen2, device="cpu", threads=1)
    assert [k["n_gpu_layers"] for k in seen] == [-1, 0]
    assert [k["n_threads"] for k in seen] == [3, 1] and seen[0]["n_ctx"] == 512
