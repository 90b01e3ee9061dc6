"""GGUF text models run by llama.cpp (``llama-cpp-python``), without an fp32 copy.

The same methods as :class:`engines.text.llm.LoadedModel` (``generate``, ``stream``,
``model_id``, ``warnings``), so :class:`engines.text.engine.TextEngine` takes either.
The chat template and the context length come from the GGUF itself; llama.cpp decodes
in its own C code, so steering vectors cannot be added there (``supports_steering``).
``llama_cpp`` is imported only when a model is loaded.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from engines.jobs import JobContext
from engines.text.types import (
    DEFAULT_MAX_NEW_TOKENS,
    DEFAULT_REPETITION_PENALTY,
    DEFAULT_TEMPERATURE,
    DEFAULT_TOP_K,
    DEFAULT_TOP_P,
    TextRequest,
    TextResult,
)


def available() -> bool:
    """Whether llama.cpp imports here (set-up may have failed to build it)."""
    try:
        import llama_cpp  # noqa: F401
    except Exception:  # a missing package or a library that does not load
        return False
    return True


class LlamaCppModel:
    supports_steering = False

    def __init__(self, path: Path, *, device: str = "cpu", threads: int | None = None) -> None:
        import llama_cpp

        self.path = Path(path)
        self.model_id = str(self.path)
        self.warnings: tuple[str, ...] = ()
        n_threads = threads or max(1, min(os.cpu_count() or 1, 8))
        self.llm: Any = llama_cpp.Llama(
            model_path=str(self.path),
            n_ctx=0,  # 0: the context length the GGUF was trained with
            n_threads=n_threads,
            n_threads_batch=n_threads,
            n_gpu_layers=-1 if device == "cuda" else 0,
            verbose=False,
        )
        self.context_length = int(self.llm.n_ctx())
        self.chat_template = self.llm.metadata.get("tokenizer.chat_template")

    def stream(
        self, request: TextRequest, ctx: JobContext | None = None
    ) -> Iterator[str | TextResult]:
        seed = request.seed if request.seed is not None else random.randrange(2**31)
        temperature = DEFAULT_TEMPERATURE if request.temperature is None else request.temperature
        budget = request.max_new_tokens or DEFAULT_MAX_NEW_TOKENS
        started = time.perf_counter()
        text, tokens, stopped_early = "", 0, False
        chunks = self.llm.create_chat_completion(
            messages=[{"role": m.role, "content": m.content} for m in request.messages],
            stream=True,
            max_tokens=budget,
            temperature=temperature,
            top_p=DEFAULT_TOP_P if request.top_p is None else request.top_p,
            top_k=DEFAULT_TOP_K if request.top_k is None else request.top_k,
            repeat_penalty=request.repetition_penalty or DEFAULT_REPETITION_PENALTY,
            seed=seed,
        )
        try:
            for chunk in chunks:
                if ctx is not None and ctx.cancelled:
                    stopped_early = True
                    break
                piece = chunk["choices"][0]["delta"].get("content") or ""
                if chunk["choices"][0].get("finish_reason") == "length":
                    stopped_early = True
                if piece:
                    tokens += 1
                    text += piece
                    if ctx is not None:
                        ctx.report(tokens, budget, preview=text)
                    yield piece
        finally:
            chunks.close()
        seconds = time.perf_counter() - started
        yield TextResult(
            text=text,
            model_id=self.model_id,
            tokens=tokens,
            seconds=seconds,
            stopped_early=stopped_early,
            seed=seed,
            tokens_per_second=tokens / seconds if seconds > 0 else 0.0,
        )

    def generate(self, request: TextRequest, ctx: JobContext | None = None) -> TextResult:
        for item in self.stream(request, ctx):
            if isinstance(item, TextResult):
                return item
        raise RuntimeError("the stream ended without a result")
