"""The token loop of :class:`engines.text.llamacpp.LlamaCppModel`, on llama.cpp's C API.

Each token costs what llama.cpp's own CLI pays and little more: the next token is drawn
by llama.cpp's sampler chain in C, straight from the context's logits (nothing copied
into a numpy array), one ``llama_decode`` feeds it back, and its text is one
``llama_token_to_piece`` through an incremental UTF-8 decoder (the reply is never decoded
again). ``llama_cpp`` is imported by the caller (only when a model is loaded); here it
is passed in as ``lib``.
"""

from __future__ import annotations

import codecs
import ctypes
from typing import Any

from engines.text.sampling import SamplingSettings

# How many of the last tokens the repetition penalty looks at (llama.cpp's default).
PENALTY_LAST_N = 64


class Sampler:
    """llama.cpp's sampler chain for one reply: repetition penalty, then greedy when the
    temperature is 0, else top-k, top-p, temperature and a draw seeded by ``seed``
    (the order llama.cpp's CLI uses). Free it with :meth:`close`."""

    def __init__(self, lib: Any, settings: SamplingSettings, n_vocab: int) -> None:
        self._lib = lib
        self._n_vocab = n_vocab
        self.chain = lib.llama_sampler_chain_init(lib.llama_sampler_chain_default_params())
        add = lambda sampler: lib.llama_sampler_chain_add(self.chain, sampler)  # noqa: E731
        self.penalised = settings.repetition_penalty != 1.0
        if self.penalised:
            add(
                lib.llama_sampler_init_penalties(
                    n_vocab, PENALTY_LAST_N, settings.repetition_penalty, 0.0, 0.0
                )
            )
        # Plain greedy is an argmax over the logits where llama.cpp left them: the chain
        # would first copy all of them into a candidate array (0.4 ms a token for a
        # 262k-token vocabulary, 2% of a small model's step).
        self.argmax = settings.temperature == 0 and not self.penalised
        if settings.temperature == 0:
            add(lib.llama_sampler_init_greedy())
        else:
            if settings.top_k > 0:
                add(lib.llama_sampler_init_top_k(settings.top_k))
            if settings.top_p < 1.0:
                add(lib.llama_sampler_init_top_p(settings.top_p, 1))
            add(lib.llama_sampler_init_temp(settings.temperature))
            # llama.cpp reads the seed 0xFFFFFFFF as "pick one at random".
            add(lib.llama_sampler_init_dist(min(settings.seed & 0xFFFFFFFF, 0xFFFFFFFE)))

    def accept(self, tokens: list[int]) -> None:
        """Let the repetition penalty see ``tokens`` (the prompt) as already said."""
        if self.penalised:
            for token in tokens[-PENALTY_LAST_N:]:
                self._lib.llama_sampler_accept(self.chain, token)

    def sample(self, ctx: Any) -> int:
        """The next token from the last decoded position's logits (accepted already)."""
        if self.argmax:
            import numpy as np

            pointer = self._lib.llama_get_logits_ith(ctx, -1)
            # np.argmax and llama.cpp's greedy sampler both keep the first of equal maxima.
            return int(np.ctypeslib.as_array(pointer, shape=(self._n_vocab,)).argmax())
        return int(self._lib.llama_sampler_sample(self.chain, ctx, -1))

    def close(self) -> None:
        if self.chain is not None:
            self._lib.llama_sampler_free(self.chain)
            self.chain = None


class Pieces:
    """Token ids to text, one token at a time: the bytes of a multi-byte character split
    over two tokens are held back until the character is whole."""

    def __init__(self, lib: Any, vocab: Any) -> None:
        self._lib = lib
        self._vocab = vocab
        self._size = 64
        self._buffer = ctypes.create_string_buffer(self._size)
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def piece(self, token: int) -> bytes:
        n = self._lib.llama_token_to_piece(self._vocab, token, self._buffer, self._size, 0, False)
        if n < 0:  # longer than the buffer: -n is the length it needs
            self._size = -n
            self._buffer = ctypes.create_string_buffer(self._size)
            n = self._lib.llama_token_to_piece(
                self._vocab, token, self._buffer, self._size, 0, False
            )
        return self._buffer.raw[:n]

    def text(self, token: int) -> str:
        """The new text ``token`` completes ("" while a character is unfinished)."""
        return self._utf8.decode(self.piece(token))


class Feeder:
    """Feeds tokens to the :class:`llama_cpp.Llama` ``llm`` one ``llama_decode`` at a
    time, keeping its record of the tokens in its cache (``input_ids``, ``n_tokens``)
    as ``Llama.eval`` does, so that the next reply's prefix match sees them."""

    def __init__(self, lib: Any, llm: Any) -> None:
        self._lib = lib
        self._llm = llm
        self._batch = lib.llama_batch_init(1, 0, 1)
        self._batch.n_tokens = 1
        self._batch.n_seq_id[0] = 1
        self._batch.seq_id[0][0] = 0
        self._batch.logits[0] = True

    def feed(self, token: int) -> None:
        llm = self._llm
        position = llm.n_tokens
        batch = self._batch
        batch.token[0] = token
        batch.pos[0] = position
        code = self._lib.llama_decode(llm._ctx.ctx, batch)
        if code != 0:
            raise RuntimeError(f"llama_decode returned {code}")
        llm.input_ids[position] = token
        llm.n_tokens = position + 1

    def close(self) -> None:
        if self._batch is not None:
            self._lib.llama_batch_free(self._batch)
            self._batch = None


def reusable_prefix(lib: Any, llm: Any, ids: list[int]) -> int:
    """How many leading tokens of ``ids`` the cache holds already and can keep; the rest
    of the cache is dropped. At least the prompt's last token is always decoded again
    (its logits draw the first token). A sliding-window cache that has let go of
    positions the kept prefix still attends to is cleared instead (as llama.cpp's
    server does): reusing it would give wrong text, not an error."""
    cached = llm.input_ids[: llm.n_tokens].tolist()
    keep = 0
    for a, b in zip(cached, ids, strict=False):
        if a != b:
            break
        keep += 1
    keep = min(keep, len(ids) - 1)
    memory = lib.llama_get_memory(llm._ctx.ctx)
    if keep > 0 and lib.llama_memory_seq_rm(memory, -1, keep, -1):
        window = max(1, lib.llama_model_n_swa(llm._model.model))
        if lib.llama_memory_seq_pos_min(memory, 0) <= max(0, keep - window):
            llm.n_tokens = keep
            return keep
    lib.llama_memory_clear(memory, True)
    llm.n_tokens = 0
    return 0
