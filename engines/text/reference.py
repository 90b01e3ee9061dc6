"""An exact reference for Llama-family GGUF models: float64, straight from the file.

The fast CPU path (:mod:`engines.text.gguf_cpu`) runs the GGUF's blocks through ONNX
Runtime kernels that differ by instruction set (AVX2, AVX-512, VNNI). This module is
what they are checked against: every weight is dequantised by the ``gguf`` package's
own reader (the format's reference implementation), the maths is plain torch in float64,
and the rotary embedding is applied as llama.cpp applies it to the GGUF's own row order
(adjacent pairs), so that neither the packing's row permutation nor any fused kernel is
shared with the path under test.

It runs one prompt at a time, layer by layer, dequantising each layer's weights when it
reaches them and dropping them after: the peak is one layer's weights in float64 plus
the output head in row chunks (about 60 MB for SmolLM2-135M), so the packed decoder's
first load can afford it (:func:`engines.text.gguf_cpu.check_against_reference`).

The architecture follows ``transformers``' Llama (Touvron et al. 2023, "Llama 2"):
pre-norm RMSNorm, rotary attention with grouped KV heads, SwiGLU MLP.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import torch

_HEAD_CHUNK = 4096  # output-head rows dequantised at a time


def _weight(tensors: dict[str, Any], name: str) -> torch.Tensor:
    """A GGUF tensor as float64 (rows, columns) through gguf's own dequantiser."""
    import numpy as np
    import torch

    from engines.text.gguf_cpu import dequantize

    return torch.from_numpy(dequantize(tensors[name]).astype(np.float64))


def _rows(tensors: dict[str, Any], name: str, start: int, stop: int) -> torch.Tensor:
    """Rows ``start:stop`` of a 2-D GGUF tensor as float64 (a bounded slice of the file)."""
    import numpy as np
    import torch
    from gguf import quants

    tensor = tensors[name]
    width = int(tensor.shape[0])
    raw = tensor.data.reshape(int(tensor.shape[1]), -1)[start:stop]
    values = quants.dequantize(raw, tensor.tensor_type)
    return torch.from_numpy(np.asarray(values, dtype=np.float64).reshape(stop - start, width))


def _rms_norm(x: torch.Tensor, weight: torch.Tensor, eps: float) -> torch.Tensor:
    return x / (x.pow(2).mean(-1, keepdim=True) + eps).sqrt() * weight


def _rope_pairs(x: torch.Tensor, positions: torch.Tensor, theta: float) -> torch.Tensor:
    """llama.cpp's rotary embedding on adjacent pairs (x[2i], x[2i+1]) of each head:
    the layout of Q/K rows inside a GGUF. ``x`` (T, heads, D)."""
    import torch

    d = x.shape[-1]
    inv_freq = theta ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)  # (D/2,)
    angles = positions[:, None].double() * inv_freq[None]  # (T, D/2)
    cos, sin = angles.cos()[:, None, :], angles.sin()[:, None, :]
    even, odd = x[..., 0::2], x[..., 1::2]
    out = torch.empty_like(x)
    out[..., 0::2] = even * cos - odd * sin
    out[..., 1::2] = even * sin + odd * cos
    return out


def reference_logits(gguf_path: Path, tokens: list[int]) -> torch.Tensor:
    """Logits (T, vocab) float64 of a Llama-family GGUF for ``tokens`` from position 0."""
    import gguf
    import torch

    from engines.text import gguf_cpu

    reader = gguf.GGUFReader(gguf_path)
    tensors = {t.name: t for t in reader.tensors}

    def meta(key: str, default: Any = None) -> Any:
        value = gguf_cpu._field(reader, f"llama.{key}")
        return default if value is None else value

    layers = int(meta("block_count"))
    heads = int(meta("attention.head_count"))
    kv_heads = int(meta("attention.head_count_kv", heads))
    hidden = int(meta("embedding_length"))
    head_dim = int(meta("rope.dimension_count", hidden // heads))
    eps = float(meta("attention.layer_norm_rms_epsilon", 1e-5))
    theta = float(meta("rope.freq_base", 10000.0))

    T = len(tokens)
    positions = torch.arange(T)
    embed = tensors["token_embd.weight"]
    h = torch.stack([_rows(tensors, embed.name, t, t + 1)[0] for t in tokens])  # (T, C)
    causal = torch.full((T, T), float("-inf"), dtype=torch.float64).triu(1)
    group = heads // kv_heads
    for i in range(layers):
        b = f"blk.{i}"
        x = _rms_norm(h, _weight(tensors, f"{b}.attn_norm.weight"), eps)
        q = (x @ _weight(tensors, f"{b}.attn_q.weight").T).view(T, heads, head_dim)
        k = (x @ _weight(tensors, f"{b}.attn_k.weight").T).view(T, kv_heads, head_dim)
        v = (x @ _weight(tensors, f"{b}.attn_v.weight").T).view(T, kv_heads, head_dim)
        q, k = _rope_pairs(q, positions, theta), _rope_pairs(k, positions, theta)
        k = k.repeat_interleave(group, dim=1)  # (T, H, D): each KV head serves `group` heads
        v = v.repeat_interleave(group, dim=1)
        scores = torch.einsum("thd,shd->hts", q, k) / head_dim**0.5 + causal  # (H, T, S)
        attn = torch.einsum("hts,shd->thd", scores.softmax(-1), v).reshape(T, heads * head_dim)
        h = h + attn @ _weight(tensors, f"{b}.attn_output.weight").T
        x = _rms_norm(h, _weight(tensors, f"{b}.ffn_norm.weight"), eps)
        gate = x @ _weight(tensors, f"{b}.ffn_gate.weight").T
        up = x @ _weight(tensors, f"{b}.ffn_up.weight").T
        h = h + (torch.nn.functional.silu(gate) * up) @ _weight(tensors, f"{b}.ffn_down.weight").T
    x = _rms_norm(h, _weight(tensors, "output_norm.weight"), eps)
    head_name = "output.weight" if "output.weight" in tensors else "token_embd.weight"
    vocab = int(tensors[head_name].shape[1])
    chunks = [
        x @ _rows(tensors, head_name, s, min(s + _HEAD_CHUNK, vocab)).T
        for s in range(0, vocab, _HEAD_CHUNK)
    ]
    return torch.cat(chunks, dim=1)
