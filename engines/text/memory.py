"""How much device memory a text model needs, read from its files without loading it."""

from __future__ import annotations

import json
import math
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engines.errors import SozoError
from engines.text.sources import gguf_field, open_gguf, read_config, resolve_source


class DoesNotFit(SozoError):
    """The model needs more device memory than is free; the message offers the CPU."""

    def __init__(self, message: str, estimate: MemoryEstimate) -> None:
        super().__init__(message)
        self.estimate = estimate


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
        reader = open_gguf(source)
        count = sum(int(t.n_elements) for t in reader.tensors)
        config: dict[str, Any] = {}
        arch = gguf_field(reader, "general.architecture") or "llama"
        for key, name in (
            ("block_count", "num_hidden_layers"),
            ("attention.head_count", "num_attention_heads"),
            ("attention.head_count_kv", "num_key_value_heads"),
            ("embedding_length", "hidden_size"),
            ("context_length", "max_position_embeddings"),
        ):
            value = gguf_field(reader, f"{arch}.{key}")
            if value is not None:
                config[name] = int(value)
        return count, config
    config = read_config(source)
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


def check_fits_on_gpu(
    model_id: str | None, free_bytes: int, gpu_name: str, catalogue: Any = None
) -> None:
    """:class:`DoesNotFit` when the model (a catalogue id or path; None: the default) at
    2 bytes a parameter and its KV cache need more than ``free_bytes``; read from its
    headers, without loading it (the Text panel asks before it sends)."""
    _, name, source = resolve_source(model_id, catalogue)
    check_fits(memory_estimate_for(source, bytes_per_parameter=2), free_bytes, gpu_name, name)


def _safetensors_parameter_count(path: Path) -> int:
    with path.open("rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
    return sum(math.prod(v["shape"]) for k, v in header.items() if k != "__metadata__")
