"""Llama-family GGUF models on the CPU, decoded straight from their quantised blocks.

Batch-1 decoding on a CPU is bound by the bytes of weights read per token, so the GGUF's
blocks stay quantised. Every matrix runs through ONNX Runtime's ``MatMulNBits`` (blocks
of 32 weights, ``w = (q - zero) * scale``; ``accuracy_level=4``: the activations of each
block are quantised to int8 on the fly and multiplied in integers, as llama.cpp does):

- Q4_1 blocks (``w = d * q + m``, q in 0..15) become a 4-bit ``MatMulNBits`` with
  ``scale = d`` and zero point 0, plus ``m`` times each block's activation sum (a small
  fp32 matmul with 1/32 of the columns): the same weights llama.cpp runs, no second
  quantisation. Q4_0 (``w = d * (q - 8)``) is Q4_1 with ``m = -8 d``.
- Q8_0 blocks (``w = d * q``) become an 8-bit ``MatMulNBits`` (zero point 128), again
  exactly; SmolLM2's tied embedding / output head is stored so.
- Any other block type (K-quants, f16...) is dequantised one tensor at a time and stored
  as 8-bit blocks of 32 (one scale per block: a small, bounded rounding).

Measured on this project's 2-core CPU (``tests/bench/bench_text.py`` has the end-to-end
figures): per decoder layer of SmolLM2, CPU time for the four matrices was 219 us here
against 602 us for torch's int4 kernel (``_weight_int4pack_mm_for_cpu``), 325 us for its
int8 one and 498 us for bf16 ``linear``.

No full-precision copy of the model is built (that made the first load peak at 1.2 GB):
each tensor is read from the memory-mapped GGUF, packed into a small ONNX graph per layer
and dropped. The graphs and the embedding rows are cached under ``cache_dir()/text`` so
later loads only open them.

The decoder follows ``transformers``' Llama (pre-norm RMSNorm, rotary attention with
grouped KV heads, SwiGLU MLP; Touvron et al. 2023, "Llama 2"). Per layer, one ONNX call
does norm + QKV, torch does the rotary embedding, KV cache and attention (fp32), and a
second ONNX call does the output projection, residual, norm and MLP. Steering hooks attach
to the torch blocks and see the residual stream between layers.

onnx, onnxruntime, gguf and torch are imported inside functions only.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engines import paths
from engines.errors import BadInput
from engines.jobs import JobContext

if TYPE_CHECKING:
    import numpy as np
    import torch

BLOCK = 32  # weights per GGUF block, and MatMulNBits' block size
_PACKED_FORMAT = 1  # bump when the cached layout changes
# MatMulNBits' accuracy level 4: int8 activations per block, integer dot products (the
# fast path). 0 computes in fp32 from the same weights (tests use it to check exactness).
ACCURACY_LEVEL = 4
_OPSET = 17
_IR_VERSION = 9  # what onnxruntime 1.18+ reads


def supported(reader: Any) -> bool:
    """Whether this GGUF holds a model the packed decoder reproduces (Llama layout)."""
    arch = _field(reader, "general.architecture")
    names = {t.name for t in reader.tensors}
    return arch == "llama" and "blk.0.attn_q.weight" in names and "token_embd.weight" in names


def _field(reader: Any, key: str) -> Any:
    item = reader.fields.get(key)
    if item is None:
        return None
    try:
        return item.contents()
    except Exception:
        return None


def packed_dir(gguf_path: Path) -> Path:
    """The cache folder for one GGUF file (invalidated by its size and mtime)."""
    stat = gguf_path.stat()
    key = f"{gguf_path.resolve()}|{stat.st_size}|{int(stat.st_mtime)}|{_PACKED_FORMAT}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return paths.cache_dir() / "text" / f"{gguf_path.stem[:50]}-packed-{digest}"


# -- GGUF blocks -> MatMulNBits blocks -----------------------------------------------------
@dataclass
class Blocks:
    """One matrix (N rows, K columns) as blocks of 32: ``w = (q - zero) * scale (+ offset)``.

    ``q``: (N, K) uint8; ``scale``: (N, K/32) f32; ``offset``: (N, K/32) f32 or None (only
    4-bit blocks carry one: Q4_1's ``m``); 4-bit blocks have zero 0, 8-bit blocks 128.
    """

    bits: int
    q: np.ndarray
    scale: np.ndarray
    offset: np.ndarray | None

    @property
    def rows(self) -> int:
        return int(self.q.shape[0])

    def take_rows(self, order: np.ndarray) -> Blocks:
        offset = self.offset[order] if self.offset is not None else None
        return Blocks(self.bits, self.q[order], self.scale[order], offset)

    def dequantize(self) -> np.ndarray:
        import numpy as np

        zero = 0 if self.bits == 4 else 128
        n, k = self.q.shape
        w = (self.q.reshape(n, -1, BLOCK).astype(np.float32) - zero) * self.scale[..., None]
        if self.offset is not None:
            w += self.offset[..., None]
        return w.reshape(n, k)


def _raw_blocks(tensor: Any, block_bytes: int) -> np.ndarray:
    rows = int(tensor.shape[1]) if len(tensor.shape) > 1 else 1
    return tensor.data.reshape(rows, -1, block_bytes)


def _f16(raw: np.ndarray) -> np.ndarray:
    import numpy as np

    return raw.copy().view(np.float16)[..., 0].astype(np.float32)


def blocks_of(tensor: Any) -> Blocks:
    """A GGUF matrix as :class:`Blocks`: exact for Q4_0, Q4_1 and Q8_0."""
    import numpy as np

    kind = tensor.tensor_type.name
    if kind in ("Q4_0", "Q4_1"):
        if kind == "Q4_1":
            raw = _raw_blocks(tensor, 20)  # d f16, m f16, 16 bytes of nibbles
            d, m, nibbles = _f16(raw[..., 0:2]), _f16(raw[..., 2:4]), raw[..., 4:]
        else:
            raw = _raw_blocks(tensor, 18)  # d f16, 16 bytes of nibbles; w = d (q - 8)
            d, nibbles = _f16(raw[..., 0:2]), raw[..., 2:]
            m = -8 * d
        # ggml keeps weights 0..15 of a block in the low nibbles, 16..31 in the high ones.
        q = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=-1)
        return Blocks(4, q.reshape(q.shape[0], -1), d, m)
    if kind == "Q8_0":
        raw = _raw_blocks(tensor, 34)  # d f16, 32 int8
        q = raw[..., 2:].copy().view(np.int8).astype(np.int16) + 128
        return Blocks(8, q.astype(np.uint8).reshape(raw.shape[0], -1), _f16(raw[..., 0:2]), None)
    return quantize8(dequantize(tensor))


def quantize8(w: np.ndarray) -> Blocks:
    """Symmetric 8-bit blocks of 32 for any float matrix (N, K)."""
    import numpy as np

    n, k = w.shape
    if k % BLOCK:
        raise BadInput(f"A matrix of width {k} cannot be split into blocks of {BLOCK}.")
    grouped = w.reshape(n, -1, BLOCK)
    scale = np.abs(grouped).max(-1) / 127
    safe = np.where(scale > 0, scale, 1.0)
    q = np.clip(np.round(grouped / safe[..., None]), -127, 127) + 128
    return Blocks(8, q.astype(np.uint8).reshape(n, k), scale.astype(np.float32), None)


def dequantize(tensor: Any) -> np.ndarray:
    """One tensor as float32 (rows, columns), whatever its GGUF type."""
    import numpy as np
    from gguf import quants

    values = quants.dequantize(tensor.data, tensor.tensor_type)
    shape = [int(s) for s in reversed(tensor.shape)]  # GGUF lists the fastest axis first
    return np.asarray(values, dtype=np.float32).reshape(shape)


def stack(parts: list[Blocks]) -> Blocks:
    """Blocks stacked along the rows (fused QKV, gate/up); mixed widths go to 8 bits."""
    import numpy as np

    if len({p.bits for p in parts}) > 1:
        parts = [p if p.bits == 8 else quantize8(p.dequantize()) for p in parts]
    offsets = [p.offset for p in parts]
    offset = None
    if any(o is not None for o in offsets):
        offset = np.concatenate(
            [
                o if o is not None else np.zeros_like(p.scale)
                for o, p in zip(offsets, parts, strict=True)
            ]
        )
    return Blocks(
        parts[0].bits,
        np.concatenate([p.q for p in parts]),
        np.concatenate([p.scale for p in parts]),
        offset,
    )


def _unpermute_rows(n_rows: int, heads: int) -> np.ndarray:
    """Row order that undoes llama.cpp's interleaving of Q/K rows for its rotary layout
    (the inverse of convert_hf_to_gguf's ``permute``), back to transformers' halves."""
    import numpy as np

    half = n_rows // heads // 2
    return np.arange(n_rows).reshape(heads, half, 2).swapaxes(1, 2).reshape(-1)


# -- ONNX graphs ---------------------------------------------------------------------------
class _Graph:
    """A small ONNX graph under construction (nodes, weights, unique names)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.nodes: list[Any] = []
        self.weights: list[Any] = []
        self.count = 0

    def name(self, hint: str) -> str:
        self.count += 1
        return f"{self.prefix}_{hint}_{self.count}"

    def op(self, op_type: str, inputs: list[str], hint: str = "", **attrs: Any) -> str:
        from onnx import helper

        out = self.name(hint or op_type.lower())
        domain = "com.microsoft" if op_type == "MatMulNBits" else ""
        self.nodes.append(helper.make_node(op_type, inputs, [out], domain=domain, **attrs))
        return out

    def weight(self, array: np.ndarray, hint: str) -> str:
        from onnx import numpy_helper

        name = self.name(hint)
        self.weights.append(numpy_helper.from_array(array, name))
        return name

    def rms_norm(self, x: str, weight: np.ndarray, eps: float) -> str:
        import numpy as np

        squares = self.op("Mul", [x, x])
        mean = self.op("ReduceMean", [squares], axes=[-1], keepdims=1)
        eps_name = self.weight(np.array([eps], dtype=np.float32), "eps")
        root = self.op("Sqrt", [self.op("Add", [mean, eps_name])])
        return self.op("Mul", [self.op("Div", [x, root]), self.weight(weight, "norm")])

    def linear(self, x: str, blocks: Blocks, hint: str) -> str:
        """``x @ w.T`` for a matrix held as :class:`Blocks`."""
        import numpy as np

        n, k = blocks.q.shape
        per_row = k // BLOCK
        if blocks.bits == 4:
            packed = blocks.q[:, 0::2] | (blocks.q[:, 1::2] << 4)  # element 2i low, 2i+1 high
            data = packed.reshape(n, per_row, BLOCK // 2)
            zeros = np.zeros((n * ((per_row + 1) // 2),), dtype=np.uint8)
        else:
            data = blocks.q.reshape(n, per_row, BLOCK)
            zeros = np.full((n * per_row,), 128, dtype=np.uint8)
        y = self.op(
            "MatMulNBits",
            [
                x,
                self.weight(np.ascontiguousarray(data), f"{hint}_q"),
                self.weight(blocks.scale.reshape(-1).astype(np.float32), f"{hint}_scale"),
                self.weight(zeros, f"{hint}_zero"),
            ],
            hint,
            K=k,
            N=n,
            bits=blocks.bits,
            block_size=BLOCK,
            accuracy_level=ACCURACY_LEVEL,
        )
        if blocks.offset is None:
            return y
        # Q4_1's offsets: sum over a block of m * x = m * (sum of that block's x).
        shape = self.weight(np.array([0, per_row, BLOCK], dtype=np.int64), "shape")
        sums = self.op(
            "ReduceSum",
            [self.op("Reshape", [x, shape]), self.weight(np.array([-1], dtype=np.int64), "axis")],
            keepdims=0,
        )
        offsets = self.weight(np.ascontiguousarray(blocks.offset.T.astype(np.float32)), f"{hint}_m")
        return self.op("Add", [y, self.op("MatMul", [sums, offsets])])

    def model(self, inputs: list[tuple[str, int]], outputs: list[tuple[str, str, int]]) -> bytes:
        """Serialised model; ``inputs`` (name, width); ``outputs`` (name, node output, width)."""
        from onnx import TensorProto, helper

        nodes = list(self.nodes)
        for name, source, _ in outputs:
            nodes.append(helper.make_node("Identity", [source], [name]))
        graph = helper.make_graph(
            nodes,
            self.prefix,
            [helper.make_tensor_value_info(n, TensorProto.FLOAT, ["T", w]) for n, w in inputs],
            [helper.make_tensor_value_info(n, TensorProto.FLOAT, ["T", w]) for n, _, w in outputs],
            initializer=self.weights,
        )
        model = helper.make_model(
            graph,
            opset_imports=[
                helper.make_opsetid("", _OPSET),
                helper.make_opsetid("com.microsoft", 1),
            ],
            ir_version=_IR_VERSION,
        )
        return bytes(model.SerializeToString())


def read_config(reader: Any) -> dict[str, Any]:
    """The decoder's shape from the GGUF metadata."""
    embed = next(t for t in reader.tensors if t.name == "token_embd.weight")

    def need(key: str) -> Any:
        value = _field(reader, f"llama.{key}")
        if value is None:
            raise BadInput(f"The GGUF file lacks llama.{key}: it cannot be run.")
        return value

    heads = int(need("attention.head_count"))
    hidden = int(need("embedding_length"))
    return {
        "layers": int(need("block_count")),
        "hidden": hidden,
        "intermediate": int(need("feed_forward_length")),
        "heads": heads,
        "kv_heads": int(_field(reader, "llama.attention.head_count_kv") or heads),
        "head_dim": int(_field(reader, "llama.rope.dimension_count") or hidden // heads),
        "eps": float(_field(reader, "llama.attention.layer_norm_rms_epsilon") or 1e-5),
        "rope_theta": float(_field(reader, "llama.rope.freq_base") or 10000.0),
        "context_length": int(_field(reader, "llama.context_length") or 2048),
        "vocab": int(embed.shape[1]),
    }


def pack_gguf(
    gguf_path: Path, target: Path, ctx: JobContext | None = None, *, tokenizer: bool = True
) -> None:
    """Write the tokenizer (unless ``tokenizer`` is False), the per-layer ONNX graphs, the
    embedding blocks and the config of ``gguf_path`` to ``target``, whole or not at all,
    one GGUF tensor at a time."""
    import gc

    import gguf
    import numpy as np
    from transformers import AutoTokenizer

    partial = target.with_name(target.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir(parents=True)
    if tokenizer:
        # First, and alone: transformers reads the GGUF's vocabulary into Python objects
        # (~150 MB for 49k tokens); our own reader opens after that has been freed.
        if ctx is not None:
            ctx.report(2, 100, message=f"Reading the tokenizer from {gguf_path.name}")
        try:
            found = AutoTokenizer.from_pretrained(
                str(gguf_path.parent), gguf_file=gguf_path.name, local_files_only=True
            )
        except Exception as exc:
            raise BadInput(
                f"{gguf_path} has no tokenizer transformers can read: "
                f"{type(exc).__name__}: {str(exc)[:160]}"
            ) from None
        found.save_pretrained(partial)
        del found
        gc.collect()
    reader = gguf.GGUFReader(gguf_path)
    config = read_config(reader)
    eos = _field(reader, "tokenizer.ggml.eos_token_id")
    config["eos_token_id"] = int(eos) if eos is not None else None
    tensors = {t.name: t for t in reader.tensors}

    def tensor(name: str) -> Any:
        found = tensors.get(name)
        if found is None:
            raise BadInput(f"The GGUF file lacks the tensor {name}: it cannot be run.")
        return found

    def vector(name: str) -> np.ndarray:
        return dequantize(tensor(name)).reshape(-1).astype(np.float32)

    hidden, eps = config["hidden"], config["eps"]
    heads, kv_heads, head_dim = config["heads"], config["kv_heads"], config["head_dim"]
    q_order = _unpermute_rows(heads * head_dim, heads)
    k_order = _unpermute_rows(kv_heads * head_dim, kv_heads)
    qkv_width = (heads + 2 * kv_heads) * head_dim
    for i in range(config["layers"]):
        if ctx is not None:
            ctx.report(
                5 + 85 * i // config["layers"],
                100,
                message=f"Packing the GGUF's weights (layer {i + 1} of {config['layers']})",
            )
        b = f"blk.{i}"
        pre = _Graph(f"pre{i}")
        x = pre.rms_norm("h", vector(f"{b}.attn_norm.weight"), eps)
        qkv = stack(
            [
                blocks_of(tensor(f"{b}.attn_q.weight")).take_rows(q_order),
                blocks_of(tensor(f"{b}.attn_k.weight")).take_rows(k_order),
                blocks_of(tensor(f"{b}.attn_v.weight")),
            ]
        )
        out = pre.linear(x, qkv, "qkv")
        (partial / f"layer{i}-pre.onnx").write_bytes(
            pre.model([("h", hidden)], [("qkv", out, qkv_width)])
        )
        post = _Graph(f"post{i}")
        h2 = post.op(
            "Add", ["h", post.linear("attn", blocks_of(tensor(f"{b}.attn_output.weight")), "o")]
        )
        x2 = post.rms_norm(h2, vector(f"{b}.ffn_norm.weight"), eps)
        gate_up = stack(
            [blocks_of(tensor(f"{b}.ffn_gate.weight")), blocks_of(tensor(f"{b}.ffn_up.weight"))]
        )
        both = post.linear(x2, gate_up, "gate_up")
        width = gate_up.rows // 2
        starts = post.weight(np.array([0], dtype=np.int64), "start")
        middle = post.weight(np.array([width], dtype=np.int64), "middle")
        end = post.weight(np.array([2 * width], dtype=np.int64), "end")
        axis = post.weight(np.array([1], dtype=np.int64), "axis")
        gate = post.op("Slice", [both, starts, middle, axis])
        up = post.op("Slice", [both, middle, end, axis])
        act = post.op("Mul", [post.op("Mul", [gate, post.op("Sigmoid", [gate])]), up])  # SwiGLU
        down = post.linear(act, blocks_of(tensor(f"{b}.ffn_down.weight")), "down")
        (partial / f"layer{i}-post.onnx").write_bytes(
            post.model(
                [("h", hidden), ("attn", heads * head_dim)],
                [("out", post.op("Add", [h2, down]), hidden)],
            )
        )
    if ctx is not None:
        ctx.report(92, 100, message="Packing the output head")
    tied = "output.weight" not in tensors
    embed = blocks_of(tensor("token_embd.weight"))
    if embed.bits != 8:
        embed = quantize8(embed.dequantize())
    head_graph = _Graph("head")
    x = head_graph.rms_norm("h", vector("output_norm.weight"), eps)
    head = embed if tied else blocks_of(tensor("output.weight"))
    logits = head_graph.linear(x, head, "head")
    (partial / "head.onnx").write_bytes(
        head_graph.model([("h", hidden)], [("logits", logits, head.rows)])
    )
    # Embedding rows for the lookup: signed int8 and one scale per block, exact for Q8_0.
    np.save(partial / "embed_q.npy", (embed.q.astype(np.int16) - 128).astype(np.int8))
    np.save(partial / "embed_scale.npy", embed.scale.astype(np.float32))
    (partial / "sozo-packed.json").write_text(
        json.dumps({"format": _PACKED_FORMAT, "config": config}), encoding="utf-8"
    )
    if target.exists():
        shutil.rmtree(target)
    partial.replace(target)


def read_packed_config(folder: Path) -> dict[str, Any] | None:
    """The config of a complete cached copy, or None."""
    meta = folder / "sozo-packed.json"
    if not meta.exists():
        return None
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("format") != _PACKED_FORMAT:
        return None
    config: dict[str, Any] = data["config"]
    return config


# -- the decoder -------------------------------------------------------------------------
def build_decoder(folder: Path, config: dict[str, Any]) -> Any:
    """A ``PackedDecoder`` over a packed folder: ``reset(tokens)``, then
    ``decoder(ids (1, T), start) -> logits (vocab,) float32``; ``blocks`` take hooks.
    Threads come from the device policy."""
    import numpy as np
    import onnxruntime as ort
    import torch

    from engines import device

    options = device.onnx_session_options(device.current())
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # No arena: activations are tiny, and an arena keeps its high-water mark per session.
    options.enable_cpu_mem_arena = False

    def session(name: str) -> Any:
        return ort.InferenceSession(str(folder / name), options, providers=["CPUExecutionProvider"])

    layers = config["layers"]
    heads, kv_heads, head_dim = config["heads"], config["kv_heads"], config["head_dim"]
    group = heads // kv_heads
    scale = 1.0 / math.sqrt(head_dim)

    class Block(torch.nn.Module):
        """One decoder layer on the residual stream (T, C) fp32: h + attn(norm(h)), then
        + mlp(norm(h)). Steering hooks attach here and see its output."""

        def __init__(self, i: int) -> None:
            super().__init__()
            self.pre = session(f"layer{i}-pre.onnx")
            self.post = session(f"layer{i}-post.onnx")
            self.k_cache = torch.zeros(kv_heads, 0, head_dim)
            self.v_cache = torch.zeros(kv_heads, 0, head_dim)

        def forward(
            self, h: torch.Tensor, start: int, rotation: torch.Tensor, mask: torch.Tensor | None
        ) -> torch.Tensor:
            T = h.shape[0]
            h = h.contiguous()  # a steering hook's output may be a view
            (qkv_array,) = self.pre.run(None, {"h": h.numpy()})
            qkv = torch.from_numpy(qkv_array)  # (T, (H + 2 KV) D)
            qk = qkv[:, : (heads + kv_heads) * head_dim].view(T, heads + kv_heads, head_dim)
            qk = torch.bmm(qk, rotation)  # the rotary embedding of q and k at once
            v = qkv[:, (heads + kv_heads) * head_dim :].view(T, kv_heads, head_dim)
            end = start + T
            self.k_cache[:, start:end] = qk[:, heads:].transpose(0, 1)  # cache (KV, S, D)
            self.v_cache[:, start:end] = v.transpose(0, 1)
            # Queries grouped by the KV head they share: (KV, group * T, D). One token (the
            # decode step) needs no permute: fewer ops per layer and token.
            if T == 1:
                q = qk[0, :heads].reshape(kv_heads, group, head_dim)
            else:
                q = qk[:, :heads].reshape(T, kv_heads, group, head_dim)
                q = q.permute(1, 2, 0, 3).reshape(kv_heads, group * T, head_dim)
            scores = torch.bmm(q, self.k_cache[:, :end].transpose(1, 2)).mul_(scale)
            if mask is not None:
                scores = scores + mask  # (group * T, S): -inf above the causal diagonal
            out = torch.bmm(torch.softmax(scores, dim=-1), self.v_cache[:, :end])
            if T == 1:
                out = out.reshape(1, heads * head_dim)
            else:
                out = out.view(kv_heads, group, T, head_dim).permute(2, 0, 1, 3).reshape(T, -1)
            (h_out,) = self.post.run(None, {"h": h.numpy(), "attn": out.numpy()})
            return torch.from_numpy(h_out)

    class PackedDecoder(torch.nn.Module):
        """Embedding, blocks, final norm and output head, with a preallocated fp32 KV cache."""

        def __init__(self) -> None:
            super().__init__()
            self.blocks = torch.nn.ModuleList(Block(i) for i in range(layers))
            self.head = session("head.onnx")
            # Memory-mapped: only the rows of tokens actually seen are read.
            self.embed_q = np.load(folder / "embed_q.npy", mmap_mode="r")
            self.embed_scale = np.load(folder / "embed_scale.npy", mmap_mode="r")
            self.device = torch.device("cpu")
            self.dtype = torch.float32
            self.capacity = 0
            half = head_dim // 2
            self.inv_freq = 1.0 / (
                config["rope_theta"] ** (torch.arange(0, half, dtype=torch.float32) / half)
            )
            # rotate_half(x) = x @ P, so x * cos + rotate_half(x) * sin = x @ (cos + P sin).
            p = torch.zeros(head_dim, head_dim)
            p[torch.arange(half) + half, torch.arange(half)] = -1.0
            p[torch.arange(half), torch.arange(half) + half] = 1.0
            self.rotate_half = p

        def reset(self, tokens: int) -> None:
            """Make room for ``tokens`` positions (the cache is reused between replies)."""
            if tokens <= self.capacity:
                return
            capacity = max(tokens, 256)
            block: Any
            for block in self.blocks:
                k_cache = torch.zeros(kv_heads, capacity, head_dim)
                v_cache = torch.zeros(kv_heads, capacity, head_dim)
                k_cache[:, : self.capacity] = block.k_cache  # keep a chat's cached history
                v_cache[:, : self.capacity] = block.v_cache
                block.k_cache, block.v_cache = k_cache, v_cache
            self.capacity = capacity

        def rotation(self, start: int, T: int) -> torch.Tensor:
            """(T, D, D) rotary matrices for positions start..start+T-1 (as transformers'
            Llama: the angles repeated over the two halves of each head)."""
            positions = torch.arange(start, start + T, dtype=torch.float32)
            angles = torch.outer(positions, self.inv_freq).repeat(1, 2)  # (T, D)
            return torch.diag_embed(angles.cos()) + self.rotate_half * angles.sin()[:, None, :]

        def embed(self, tokens: list[int]) -> torch.Tensor:
            rows = np.asarray(self.embed_q[tokens], dtype=np.float32)  # (T, C)
            scales = np.asarray(self.embed_scale[tokens])  # (T, C / 32)
            T = len(tokens)
            return torch.from_numpy((rows.reshape(T, -1, BLOCK) * scales[..., None]).reshape(T, -1))

        def forward(self, ids: torch.Tensor, start: int) -> torch.Tensor:
            """Logits (vocab,) for the token after ``ids`` (1, T) placed at ``start``."""
            tokens = [int(t) for t in ids.reshape(-1).tolist()]
            T = len(tokens)
            if start + T > self.capacity:
                raise ValueError("the KV cache is too small: call reset() first")
            h = self.embed(tokens)
            rotation = self.rotation(start, T)
            mask = None
            if T > 1:
                # Query t (at position start + t) sees keys 0..start + t; rows per (group, t).
                keys = torch.arange(start + T)[None, :]
                allowed = keys <= torch.arange(start, start + T)[:, None]
                mask = torch.zeros(T, start + T).masked_fill(~allowed, -math.inf).repeat(group, 1)
            for block in self.blocks:
                h = block(h, start, rotation, mask)
            (logits,) = self.head.run(None, {"h": h[-1:].contiguous().numpy()})
            return torch.from_numpy(logits[0])

    return PackedDecoder()
