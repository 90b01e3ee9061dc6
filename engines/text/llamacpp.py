"""GGUF text models run by llama.cpp (``llama-cpp-python``), without an fp32 copy.

:class:`LlamaCppModel` satisfies :class:`engines.text.backend.TextModel`, as
:class:`engines.text.llm.LoadedModel` does, so :class:`engines.text.engine.TextEngine`
takes either. The prompt is the GGUF's own chat template (rendered as llama.cpp's chat
handler does) tokenised by llama.cpp; the token loop (:mod:`engines.text.llamacpp_loop`)
is ours over llama.cpp's C API, with llama.cpp's C sampler chain, so a cancel lands
between two tokens, the token count is llama.cpp's own, a token costs what llama.cpp's
CLI pays for it, and a second turn reuses the keys and values of the first. The file's header
is checked first (:mod:`engines.text.gguf_header`). llama.cpp decodes in its own C code:
steering vectors cannot be added there (``supports_steering``). ``llama_cpp`` is imported
only when a model is loaded.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from engines.jobs import JobContext
from engines.messages import message
from engines.text.backend import llama_cpp_available
from engines.text.context import fit_context
from engines.text.gguf_header import GGUFHeader, check_architecture, read_header
from engines.text.llamacpp_loop import Feeder, Pieces, Sampler, reusable_prefix
from engines.text.sampling import SamplingSettings
from engines.text.types import ChatMessage, TextRequest, TextResult

# The KV cache is sized for at most this many tokens (llm.MAX_CONTEXT_TOKENS), so a model
# that claims a 128k context does not reserve gigabytes for a short chat.
MAX_CONTEXT_TOKENS = 16384
_FALLBACK_CONTEXT = 4096  # a GGUF that does not say its context length


def available() -> bool:
    """Whether llama.cpp imports here (set-up may have failed to build it)."""
    return llama_cpp_available()


def check_runnable(header: GGUFHeader) -> None:
    """:class:`BadInput` when llama.cpp has no text model for the header's architecture."""
    check_architecture(header)


class LlamaCppModel:
    supports_steering = False
    backend = "llama.cpp"

    def __init__(
        self,
        path: Path,
        *,
        device: str = "cpu",
        threads: int | None = None,
        model_id: str | None = None,
        name: str | None = None,
        header: GGUFHeader | None = None,
    ) -> None:
        self.path = Path(path)
        if header is None or header.path != self.path:
            header = read_header(self.path)  # before llama.cpp maps the file
        check_runnable(header)
        import llama_cpp
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        started = time.perf_counter()
        self.model_id = model_id or str(self.path)
        self.name = name or self.path.name
        self.device = device
        self.warnings: tuple[str, ...] = ()
        self.threads = max(1, threads or 1)
        trained = header.context_length or _FALLBACK_CONTEXT
        self.llm: Any = llama_cpp.Llama(
            model_path=str(self.path),
            n_ctx=min(trained, MAX_CONTEXT_TOKENS),
            n_threads=self.threads,
            n_threads_batch=self.threads,
            n_gpu_layers=-1 if device == "cuda" else 0,
            # As llama.cpp's own tools run: fused attention (their "auto" picks it on
            # the CPU and on CUDA), and a sliding-window layer's cache only as long as
            # its window (Gemma 2/3: a few hundred tokens, not the whole context).
            flash_attn=True,
            swa_full=False,
            verbose=False,
        )
        self.context_length = int(self.llm.n_ctx())
        self.chat_template: str | None = self.llm.metadata.get("tokenizer.chat_template")
        vocab = self.llm._model
        eos, bos = self.llm.token_eos(), self.llm.token_bos()
        self._formatter = (
            Jinja2ChatFormatter(
                template=self.chat_template,
                eos_token=vocab.token_get_text(eos) if eos != -1 else "",
                bos_token=vocab.token_get_text(bos) if bos != -1 else "",
            )
            if self.chat_template
            else None
        )
        self._lib: Any = llama_cpp
        self._vocab = vocab.vocab
        self.lock = threading.Lock()
        self.load_seconds = time.perf_counter() - started

    # -- prompt ------------------------------------------------------------------------
    def render(self, messages: Sequence[ChatMessage]) -> list[int]:
        """Token ids of the conversation in the GGUF's chat template, by llama.cpp's
        tokenizer (a model without a template gets plain "role: text" lines)."""
        turns: Any = [{"role": m.role, "content": m.content} for m in messages]
        if self._formatter is not None:
            text = self._formatter(messages=turns).prompt
        else:
            text = "".join(f"{m.role}: {m.content}\n" for m in messages) + "assistant:"
        # The template writes the BOS token itself where the model wants one.
        return list(self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def count_prompt_tokens(self, messages: Sequence[ChatMessage]) -> int:
        return len(self.render(messages))

    def count_tokens(self, text: str) -> int:
        """Tokens of plain ``text`` by llama.cpp's own tokenizer."""
        return len(self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    # -- generation --------------------------------------------------------------------
    def stream(
        self, request: TextRequest, ctx: JobContext | None = None
    ) -> Iterator[str | TextResult]:
        """The reply's text pieces as tokens are made, then the :class:`TextResult`."""
        with self.lock:  # one reply at a time: llama.cpp's context is not shared
            settings = SamplingSettings.from_request(request)
            ids, _, budget, notices = fit_context(
                self.render,
                self.context_length,
                self.name,
                request.messages,
                settings.max_new_tokens,
            )
            notices = self.warnings + notices
            if any(request.steering.values()):
                notices = (*notices, message("text.llamacpp_no_steering"))
            started = time.perf_counter()
            decode_started = started
            made: list[int] = []
            text = ""

            def result(stopped: bool) -> TextResult:
                now = time.perf_counter()
                decode_tokens = max(0, len(made) - 1)
                return TextResult(
                    text=text,
                    model_id=self.model_id,
                    tokens=len(made),
                    seconds=now - started,
                    stopped_early=stopped,
                    notices=notices,
                    seed=settings.seed,
                    prompt_tokens=len(ids),
                    tokens_per_second=decode_tokens / (now - decode_started)
                    if decode_tokens
                    else 0.0,
                    reused_tokens=reused,
                )

            lib = self._lib
            reused = reusable_prefix(lib, self.llm, ids)
            sampler = Sampler(lib, settings, self.llm.n_vocab())
            feeder = Feeder(lib, self.llm)
            pieces = Pieces(lib, self._vocab)
            context = self.llm._ctx.ctx
            stopped_early = False
            try:
                self.llm.eval(ids[reused:])  # the prompt's new part, in batches
                sampler.accept(ids)
                while True:
                    if ctx is not None and ctx.cancelled:
                        stopped_early = True
                        break
                    token = sampler.sample(context)
                    if lib.llama_vocab_is_eog(self._vocab, token):
                        break
                    made.append(token)
                    if len(made) == 1:
                        decode_started = time.perf_counter()
                    piece = pieces.text(token)
                    if piece:
                        text += piece
                        if ctx is not None:
                            ctx.keep_partial(result(True))
                            elapsed = time.perf_counter() - decode_started
                            speed = (len(made) - 1) / elapsed if elapsed > 0 else 0.0
                            ctx.report(
                                len(made),
                                budget,
                                message=message("progress.tokens_per_second", speed=f"{speed:.1f}"),
                                preview=text,
                            )
                        yield piece
                    if len(made) >= budget:
                        stopped_early = True
                        break
                    feeder.feed(token)
            finally:
                sampler.close()
                feeder.close()
            yield result(stopped_early)

    def generate(self, request: TextRequest, ctx: JobContext | None = None) -> TextResult:
        """The whole reply (streams through ``ctx`` reports while it is made)."""
        final: TextResult | None = None
        for item in self.stream(request, ctx):
            if isinstance(item, TextResult):
                final = item
        assert final is not None
        return final
