"""Llama-family GGUF models on the CPU, decoded straight from their quantised blocks.

Batch-1 decoding on a CPU is bound by the bytes of weights read per token, so the GGUF's
blocks stay quantised. Every matrix runs through ONNX Runtime's ``MatMulNBits`` (blocks
of 32 weights, ``w = (q - zero) * scale``; ``accuracy_level=4``: the activations of each
block are quantised to int8 on the fly and multiplied in integers). Quantised once, the
activations made the logits stray up to 2.6 from the exact ones, and the AVX2 and AVX-512
kernels rounded near-ties differently, so answers changed with the CPU; each matrix's
input therefore goes in as two int8-exact parts (:meth:`_Graph._int8_parts`), 4-bit
blocks take centred zero points (:func:`centred_zero_points`), and the logits stay within
0.01 of :mod:`engines.text.reference` on both kernels. Every load checks a probe prompt
against the exact logits (:func:`check_against_reference`). The exactness costs speed:
in the step graph each matrix takes 11 small ops around its ``MatMulNBits`` (17 in the
first exact version, 59 tokens/s against 81 for the single pass); with them (packed format
7), ``tests/bench/bench_text.py`` measured 85.3 tokens/s against llama.cpp's 103.9 on the
same GGUF on an AVX-512 (VNNI) CPU, 1 thread: 0.82x (the single pass: 94.4, 0.91x). Per
token (ONNX Runtime's profiler, 13.8 ms): ``MatMulNBits`` 7.1 ms (the 8-bit head alone
2.0), the exact parts' small ops 3.2, Q4_1's offsets 1.9, attention 0.8. The figures below
are those of the single pass, measured on an AVX2 CPU.

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
each tensor is read from the memory-mapped GGUF, packed into the graphs and dropped, and
the step graph's weights go straight to ``decoder.data`` (the first load peaks at about
850 MB, tokenizer conversion included). The graphs and the embedding rows are cached under
``cache_dir()/text`` so later loads only open them.

The decoder follows ``transformers``' Llama (pre-norm RMSNorm, rotary attention with
grouped KV heads, SwiGLU MLP; Touvron et al. 2023, "Llama 2"). A step (one token, or a
prompt) is ONE ONNX Runtime call over all layers, the final norm and the head
(``decoder.onnx``, built by :class:`_StepGraph`): attention is ONNX Runtime's
``GroupQueryAttention`` (rotary from cos/sin tables, grouped KV heads, an fp32 cache that
the step writes in place through IO binding), norms are fused with the residual adds, and
the head runs on the last position only. That removed the per-layer round trips of the
previous design (two ONNX calls per layer with torch doing rotary, cache and attention in
between: 60 calls a token and about a quarter of its CPU time): 11.5 ms of CPU a token
instead of 17.6 ms, same weights, same machine. End to end (``tests/bench/bench_text.py``:
1 thread, 128 greedy tokens, medians of 6, load average ~1): 87.6 tokens/s against
llama.cpp's 71.7 on the same GGUF (1.22x; the per-layer design reached 0.80-0.84x),
transformers fp32 15.2; peak RSS 496 MB for load + 128 tokens. Where a step's CPU time
goes (ONNX Runtime's profiler): MatMulNBits two thirds, GroupQueryAttention a tenth;
Q4_1's offset terms (block sums and their small matmul, four small ops per matrix) cost
0.8-1.5 ms of the ~11 ms (timed against the same graph without them).

Steering vectors are an input of the step graph (each layer's row is the bias of the norm
that follows it, so steering costs no extra op and keeps the speed: 87.5 tokens/s with the
"formal" vector on). Hooks attach to ``blocks`` (one torch module per layer): while any
hook is attached (capturing activations to build a steering vector, for one), the step
runs layer by layer instead: per layer one ONNX call for norm + QKV,
torch for rotary, cache and attention, a second ONNX call for the output projection,
residual, norm and MLP, with the hooks seeing the residual stream between layers. Both
ways share the cache buffers, and the per-layer sessions open only when first needed.

onnx, onnxruntime, gguf and torch are imported inside functions only.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from engines import paths
from engines.errors import BadInput
from engines.jobs import JobContext
from engines.messages import message

if TYPE_CHECKING:
    import numpy as np
    import torch

BLOCK = 32  # weights per GGUF block, and MatMulNBits' block size
_PACKED_FORMAT = 7  # bump when the cached layout changes
# MatMulNBits' accuracy level 4: int8 activations per block, integer dot products (the
# fast path). 0 computes in fp32 from the same weights (tests use it to check exactness).
ACCURACY_LEVEL = 4
# Each matrix's activations go to the kernel as two int8-exact parts (see
# _Graph._int8_parts), so the fast path gives the exact path's tokens on every CPU.
EXACT_ACTIVATIONS: frozenset[str] = frozenset({"qkv", "o", "gate_up", "down", "head"})
_OPSET = 17
_IR_VERSION = 9  # what onnxruntime 1.18+ reads
# ONNX Runtime's GroupQueryAttention on the CPU takes head sizes in multiples of 16 only;
# other models run layer by layer.
_STEP_HEAD_DIM_MULTIPLE = 16
_EXTERNAL_MIN_BYTES = 1024  # smaller weights (shapes, norms) stay inside the graph
_STEP_OPSET = 21  # blocked QuantizeLinear / DequantizeLinear (the step graph)
_STEP_IR_VERSION = 10
_INT8 = 3  # onnx.TensorProto.INT8
_MICROSOFT_OPS = ("MatMulNBits", "GroupQueryAttention", "SkipSimplifiedLayerNormalization")


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
    exact = ",".join(sorted(EXACT_ACTIVATIONS))  # a bench packs the other way too
    key = f"{gguf_path.resolve()}|{stat.st_size}|{int(stat.st_mtime)}|{_PACKED_FORMAT}|{exact}"
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


def centred_zero_points(blocks: Blocks) -> tuple[np.ndarray, np.ndarray | None]:
    """4-bit blocks rewritten as ``w = scale * (q - zero) + rest`` with ``zero`` (N, K/32)
    uint8 in 0..15 chosen so that ``rest`` is at most half a step (None when it is 0
    everywhere, as for Q4_0, whose zero is 8).

    Why: with ``accuracy_level=4`` ONNX Runtime quantises each block of activations to
    int8, so the integer product carries an error of about ``(x_q - x) . scale * (q -
    zero)``, while the offset term is computed from the exact activation sums. With
    Q4_1's ``w = d * q + m`` taken at zero 0, ``d * q`` is all positive (about twice the
    weight's own size) and ``m`` (about ``-7.5 d``) no longer cancels the error: SmolLM2's
    logits came out up to 2.6 off the exact ones, and the int8 kernels' rounding (AVX2 or
    AVX-512 VNNI) decided between near-tied tokens, so answers changed with the CPU.
    Centred, the error is that of the weights themselves (what llama.cpp's Q4_1 x Q8_1
    dot product has), the same for every kernel."""
    import numpy as np

    if blocks.offset is None:
        return np.zeros(blocks.scale.shape, dtype=np.uint8), None
    d = blocks.scale.astype(np.float64)
    m = blocks.offset.astype(np.float64)
    safe = np.where(d > 0, d, 1.0)
    zero = np.where(d > 0, np.clip(np.rint(-m / safe), 0, 15), 8).astype(np.uint8)
    rest = (m + zero * d).astype(np.float32)
    return zero, (rest if rest.any() else None)


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
        raise BadInput(message("gguf.block_width", width=k, block=BLOCK))
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
    """An ONNX graph under construction (nodes, weights, unique names).

    With ``data`` (an open file beside the model, named ``data_name``), each large weight
    is written there at once and the graph keeps only its place: the whole decoder's
    weights then never sit in memory as protobuf copies (building and serialising them in
    one piece tripled the first load's peak memory)."""

    def __init__(
        self, prefix: str, data: BinaryIO | None = None, data_name: str = "", rank: int = 2
    ) -> None:
        self.prefix = prefix
        self.rank = rank  # of the activations: (T, C), or (1, T, C) in the step graph
        self.nodes: list[Any] = []
        self.weights: list[Any] = []
        self.count = 0
        self.data, self.data_name = data, data_name

    def name(self, hint: str) -> str:
        self.count += 1
        return f"{self.prefix}_{hint}_{self.count}"

    def op(self, op_type: str, inputs: list[str], hint: str = "", **attrs: Any) -> str:
        return self.ops(op_type, inputs, 1, hint, **attrs)[0]

    def ops(
        self, op_type: str, inputs: list[str], count: int, hint: str = "", **attrs: Any
    ) -> list[str]:
        """A node with ``count`` outputs (names returned in order)."""
        from onnx import helper

        outs = [self.name(hint or op_type.lower()) for _ in range(count)]
        domain = "com.microsoft" if op_type in _MICROSOFT_OPS else ""
        self.nodes.append(helper.make_node(op_type, inputs, outs, domain=domain, **attrs))
        return outs

    def weight(self, array: np.ndarray, hint: str) -> str:
        import numpy as np
        from onnx import TensorProto, helper, numpy_helper

        name = self.name(hint)
        if self.data is None or array.nbytes < _EXTERNAL_MIN_BYTES:
            self.weights.append(numpy_helper.from_array(array, name))
            return name
        # Page-aligned, so that ONNX Runtime may map the file rather than read it.
        offset = -(-self.data.tell() // 4096) * 4096
        self.data.seek(offset)
        self.data.write(np.ascontiguousarray(array).tobytes())
        tensor = TensorProto()
        tensor.name = name
        tensor.data_type = helper.np_dtype_to_tensor_dtype(array.dtype)
        tensor.dims.extend(array.shape)
        tensor.data_location = TensorProto.EXTERNAL
        for key, value in (
            ("location", self.data_name),
            ("offset", str(offset)),
            ("length", str(array.nbytes)),
        ):
            entry = tensor.external_data.add()
            entry.key, entry.value = key, value
        self.weights.append(tensor)
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
        offset = blocks.offset
        if blocks.bits == 4:
            packed = blocks.q[:, 0::2] | (blocks.q[:, 1::2] << 4)  # element 2i low, 2i+1 high
            data = packed.reshape(n, per_row, BLOCK // 2)
            zero, offset = centred_zero_points(blocks)
            if per_row % 2:
                zero = np.concatenate([zero, np.zeros((n, 1), dtype=np.uint8)], axis=1)
            zeros = (zero[:, 0::2] | (zero[:, 1::2] << 4)).reshape(-1)  # two blocks a byte
        else:
            data = blocks.q.reshape(n, per_row, BLOCK)
            zeros = np.full((n * per_row,), 128, dtype=np.uint8)
        exact = hint in EXACT_ACTIVATIONS and ACCURACY_LEVEL == 4
        if self.rank == 3:
            return self._linear_step(x, blocks, hint, data, zeros, offset, exact)
        # (rows, blocks, 32): the per-layer graphs' x is (T, K).
        shape = self.weight(np.array([-1, per_row, BLOCK], dtype=np.int64), "shape")
        grouped = self.op("Reshape", [x, shape])
        operand = self._int8_parts(grouped, k) if exact else x
        y = self._matmul_nbits(operand, blocks, hint, data, zeros)
        if operand != x:  # (2 R, N): the two parts' products, summed
            halves = self.weight(np.array([2, -1, n], dtype=np.int64), "halves")
            y = self.op(
                "ReduceSum",
                [
                    self.op("Reshape", [y, halves]),
                    self.weight(np.array([0], dtype=np.int64), "axis"),
                ],
                keepdims=0,
            )  # (R, N)
        if offset is not None:
            # Q4_1's offsets: sum over a block of m * x = m * (sum of that block's x).
            sums = self.op(
                "ReduceSum",
                [grouped, self.weight(np.array([-1], dtype=np.int64), "axis")],
                keepdims=0,
            )
            offsets = self.weight(np.ascontiguousarray(offset.T.astype(np.float32)), f"{hint}_m")
            y = self.op("Add", [y, self.op("MatMul", [sums, offsets])])
        return y

    def _matmul_nbits(
        self, operand: str, blocks: Blocks, hint: str, data: np.ndarray, zeros: np.ndarray
    ) -> str:
        import numpy as np

        n, k = blocks.q.shape
        return self.op(
            "MatMulNBits",
            [
                operand,
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

    def _linear_step(
        self,
        x: str,
        blocks: Blocks,
        hint: str,
        data: np.ndarray,
        zeros: np.ndarray,
        offset: np.ndarray | None,
        exact: bool,
    ) -> str:
        """:meth:`linear` in the step graph (``x`` (1, T, K), opset 21), in as few ops as
        the exactness allows, since at one token each small op costs about as much as its
        arithmetic (2-3 us): the blocks of 32 are pooling windows (``MaxPool`` for each
        block's largest magnitude, ``AveragePool`` for its sum), so ``x`` is never
        reshaped, and the two int8-exact parts go on a batch axis of their own, summed by
        one ``ReduceSum``."""
        import numpy as np

        operand = x
        if exact:
            largest = self.op(
                "MaxPool", [self.op("Abs", [x])], kernel_shape=[BLOCK], strides=[BLOCK]
            )  # (1, T, K/32)
            inv127 = self.weight(np.array([1 / 127], dtype=np.float32), "inv127")
            step = self.op("Mul", [largest, inv127])
            # The int8 grid of each block, as the kernel quantises it: a block of zeros has
            # step 0, and its high part is 0 * q = 0 whatever q is.
            q = self.op("QuantizeLinear", [x, step], axis=2, block_size=BLOCK, output_dtype=_INT8)
            high = self.op("DequantizeLinear", [q, step], axis=2, block_size=BLOCK)
            low = self.op("Sub", [x, high])
            operand = self.op("Concat", [high, low], axis=0)  # (2, T, K)
        y = self._matmul_nbits(operand, blocks, hint, data, zeros)
        if exact:
            axis = self.weight(np.array([0], dtype=np.int64), "axis")
            y = self.op("ReduceSum", [y, axis], keepdims=1)  # (1, T, N)
        if offset is not None:
            # Q4_1's offsets from each block's mean (the 32 goes into the weights: exact).
            means = self.op("AveragePool", [x], kernel_shape=[BLOCK], strides=[BLOCK])
            offsets = self.weight(
                np.ascontiguousarray((offset.T * BLOCK).astype(np.float32)), f"{hint}_m"
            )
            y = self.op("Add", [y, self.op("MatMul", [means, offsets])])
        return y

    def _int8_parts(self, grouped: str, k: int) -> str:
        """``x`` (R, K/32, 32) as the rows of ``[x_hi; x_lo]`` (2 R, K): ``x_hi`` is x rounded
        to the int8 grid the kernel quantises each block to (a step of the block's largest
        magnitude / 127), so the kernel reads it exactly; ``x_lo = x - x_hi`` is at most half
        a step and its own int8 rounding errs by 1/254 of that. ``W (x_hi + x_lo)`` then has
        about 1/250 of the error of ``W x`` quantised once, for one more row through the same
        weights (memory-bound: about 1.2x the time of one row, not 2x)."""
        import numpy as np

        g = self
        largest = g.op("ReduceMax", [g.op("Abs", [grouped])], axes=[-1], keepdims=1)
        step = g.op(
            "Max",
            [
                g.op("Mul", [largest, g.weight(np.array([1 / 127], dtype=np.float32), "inv127")]),
                g.weight(np.array([1e-30], dtype=np.float32), "tiny"),
            ],
        )
        high = g.op("Mul", [g.op("Round", [g.op("Div", [grouped, step])]), step])
        low = g.op("Sub", [grouped, high])
        both = g.op("Concat", [high, low], axis=0)  # (2 R, K/32, 32)
        return g.op("Reshape", [both, g.weight(np.array([-1, k], dtype=np.int64), "rows")])

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


class _StepGraph:
    """The whole decoder as one graph, one ONNX Runtime call per step: for each layer
    RMSNorm, fused QKV, ``GroupQueryAttention`` (rotary from cos/sin tables, grouped KV
    heads, keys and values written in place into a preallocated cache), output projection,
    residual and RMSNorm fused (``SkipSimplifiedLayerNormalization``), SwiGLU MLP; then the
    final norm and the output head for the last position only.

    Inputs: ``h`` (1, T, C) embedded tokens; ``seqlens_k`` (1,) int32, the positions filled
    after this step minus one; ``total_sequence_length`` () int32, the same plus one;
    ``cos_cache``/``sin_cache`` (S, D/2); ``steer`` (layers * C,), what to add to each
    layer's output (steering; zeros when off); ``past_key_i``/``past_value_i``
    (1, KV, S, D) for each layer. Outputs: ``logits`` (1, 1, V) and
    ``present_key_i``/``present_value_i``, bound to the same buffers as the past ones (ONNX
    Runtime then writes the new positions in place and copies nothing).
    """

    def __init__(self, config: dict[str, Any], data: BinaryIO, data_name: str) -> None:
        self.graph = _Graph("decoder", data, data_name, rank=3)
        self.config = config
        # The residual stream is ``residual`` plus a pending ``delta`` (a sublayer's output),
        # so that the next norm adds them in the same op.
        self.residual = "h"
        self.delta: str | None = None
        self.layers = 0
        # Layer i's steering row, added to its output (the residual stream) as the bias of
        # the norm that follows: no extra op per layer. Split from one input by finish().
        self.steer_rows: list[str] = []

    def _norm(self, weight: np.ndarray, steer: str = "") -> str:
        from onnx import helper

        g, eps = self.graph, self.config["eps"]
        gamma = g.weight(weight, "norm")
        if self.delta is None:
            return g.op(
                "SimplifiedLayerNormalization", [self.residual, gamma], axis=-1, epsilon=eps
            )
        x, total = g.name("x"), g.name("h")
        g.nodes.append(
            helper.make_node(
                "SkipSimplifiedLayerNormalization",
                [self.delta, self.residual, gamma, steer],  # norm(delta + residual + steer)
                [x, "", "", total],  # output, (mean, inverse std: unused), input + skip
                domain="com.microsoft",
                epsilon=eps,
            )
        )
        self.residual, self.delta = total, None
        return x

    def layer(
        self,
        attn_norm: np.ndarray,
        qkv: Blocks,
        out: Blocks,
        ffn_norm: np.ndarray,
        gate_up: Blocks,
        down: Blocks,
    ) -> None:
        import numpy as np
        from onnx import helper

        g, i, config = self.graph, self.layers, self.config
        self.layers += 1
        x = self._norm(attn_norm, self._steer_row(i - 1) if i else "")
        attn = g.name("attn")
        g.nodes.append(
            helper.make_node(
                "GroupQueryAttention",
                [
                    g.linear(x, qkv, "qkv"),  # packed (1, T, (H + 2 KV) D)
                    "",
                    "",
                    f"past_key_{i}",
                    f"past_value_{i}",
                    "seqlens_k",
                    "total_sequence_length",
                    "cos_cache",
                    "sin_cache",
                ],
                [attn, f"present_key_{i}", f"present_value_{i}"],
                domain="com.microsoft",
                num_heads=config["heads"],
                kv_num_heads=config["kv_heads"],
                do_rotary=1,  # transformers' halves layout (q/k rows un-interleaved at packing)
            )
        )
        self.delta = g.linear(attn, out, "o")
        x2 = self._norm(ffn_norm)
        width = gate_up.rows // 2
        sizes = g.weight(np.array([width, width], dtype=np.int64), "split")
        gate, up = g.ops("Split", [g.linear(x2, gate_up, "gate_up"), sizes], 2, axis=-1)
        act = g.op("Mul", [g.op("Mul", [gate, g.op("Sigmoid", [gate])]), up])  # SwiGLU
        self.delta = g.linear(act, down, "down")

    def _steer_row(self, layer: int) -> str:
        name = f"steer_{layer}"
        self.steer_rows.append(name)
        return name

    def finish(self, output_norm: np.ndarray, head: Blocks) -> bytes:
        """The final norm and head on the last position; the serialised model."""
        import numpy as np
        from onnx import TensorProto, helper

        g, config = self.graph, self.config
        last = g.weight(np.array([-1], dtype=np.int64), "last")
        # Only the last position's logits are wanted: a prompt's other positions skip the
        # head (49k x 576 for SmolLM2, the largest matrix).
        self.residual = g.op("Gather", [self.residual, last], axis=1)
        if self.delta is not None:
            self.delta = g.op("Gather", [self.delta, last], axis=1)
        steer = self._steer_row(self.layers - 1)
        logits = g.linear(self._norm(output_norm, steer), head, "head")
        g.nodes.append(helper.make_node("Identity", [logits], ["logits"]))
        # One input for all layers' rows, split once: (layers * C,) -> (C,) each.
        sizes = g.weight(np.full(self.layers, config["hidden"], dtype=np.int64), "rows")
        g.nodes.insert(0, helper.make_node("Split", ["steer", sizes], self.steer_rows, axis=0))
        kv, d = config["kv_heads"], config["head_dim"]
        F, I32 = TensorProto.FLOAT, TensorProto.INT32
        info = helper.make_tensor_value_info
        inputs = [
            info("h", F, [1, "T", config["hidden"]]),
            info("seqlens_k", I32, [1]),
            info("total_sequence_length", I32, []),
            info("cos_cache", F, ["S", d // 2]),
            info("sin_cache", F, ["S", d // 2]),
            info("steer", F, [self.layers * config["hidden"]]),
        ]
        outputs = [info("logits", F, [1, 1, head.rows])]
        for i in range(self.layers):
            for kind in ("key", "value"):
                inputs.append(info(f"past_{kind}_{i}", F, [1, kv, "S", d]))
                outputs.append(info(f"present_{kind}_{i}", F, [1, kv, "S", d]))
        model = helper.make_model(
            helper.make_graph(g.nodes, "decoder", inputs, outputs, initializer=g.weights),
            opset_imports=[
                helper.make_opsetid("", _STEP_OPSET),
                helper.make_opsetid("com.microsoft", 1),
            ],
            ir_version=_STEP_IR_VERSION,
        )
        return bytes(model.SerializeToString())


def read_config(reader: Any) -> dict[str, Any]:
    """The decoder's shape from the GGUF metadata."""
    embed = next(t for t in reader.tensors if t.name == "token_embd.weight")

    def need(key: str) -> Any:
        value = _field(reader, f"llama.{key}")
        if value is None:
            raise BadInput(message("gguf.lacks_key", key=key))
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
            ctx.report(2, 100, message=message("progress.reading_tokenizer", name=gguf_path.name))
        try:
            found = AutoTokenizer.from_pretrained(
                str(gguf_path.parent), gguf_file=gguf_path.name, local_files_only=True
            )
        except Exception as exc:
            raise BadInput(
                message(
                    "gguf.no_tokenizer",
                    path=gguf_path,
                    reason=f"{type(exc).__name__}: {str(exc)[:160]}",
                )
            ) from None
        found.save_pretrained(partial)
        # The same tokenizer in plain Python where it gives the same ids (engines.text.bpe):
        # loading it later never holds the GIL for long (issue #21).
        from engines.text import bpe

        bpe.write_cache(partial, found)
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
            raise BadInput(message("gguf.lacks_tensor", name=name))
        return found

    def vector(name: str) -> np.ndarray:
        return dequantize(tensor(name)).reshape(-1).astype(np.float32)

    hidden, eps = config["hidden"], config["eps"]
    heads, kv_heads, head_dim = config["heads"], config["kv_heads"], config["head_dim"]
    q_order = _unpermute_rows(heads * head_dim, heads)
    k_order = _unpermute_rows(kv_heads * head_dim, kv_heads)
    qkv_width = (heads + 2 * kv_heads) * head_dim
    # The one-call step graph, its weights streamed to decoder.data as they are made.
    step, data = None, None
    if head_dim % _STEP_HEAD_DIM_MULTIPLE == 0:
        data = (partial / "decoder.data").open("wb")
        step = _StepGraph(config, data, "decoder.data")
    try:
        for i in range(config["layers"]):
            if ctx is not None:
                ctx.report(
                    5 + 80 * i // config["layers"],
                    100,
                    message=message("progress.packing_layer", layer=i + 1, layers=config["layers"]),
                )
            b = f"blk.{i}"
            attn_norm, ffn_norm = vector(f"{b}.attn_norm.weight"), vector(f"{b}.ffn_norm.weight")
            qkv = stack(
                [
                    blocks_of(tensor(f"{b}.attn_q.weight")).take_rows(q_order),
                    blocks_of(tensor(f"{b}.attn_k.weight")).take_rows(k_order),
                    blocks_of(tensor(f"{b}.attn_v.weight")),
                ]
            )
            out_proj = blocks_of(tensor(f"{b}.attn_output.weight"))
            gate_up = stack(
                [blocks_of(tensor(f"{b}.ffn_gate.weight")), blocks_of(tensor(f"{b}.ffn_up.weight"))]
            )
            down_proj = blocks_of(tensor(f"{b}.ffn_down.weight"))
            if step is not None:
                step.layer(attn_norm, qkv, out_proj, ffn_norm, gate_up, down_proj)
            # The same layer as two small graphs, for the layer-by-layer path (hooks).
            pre = _Graph(f"pre{i}")
            out = pre.linear(pre.rms_norm("h", attn_norm, eps), qkv, "qkv")
            (partial / f"layer{i}-pre.onnx").write_bytes(
                pre.model([("h", hidden)], [("qkv", out, qkv_width)])
            )
            post = _Graph(f"post{i}")
            h2 = post.op("Add", ["h", post.linear("attn", out_proj, "o")])
            x2 = post.rms_norm(h2, ffn_norm, eps)
            both = post.linear(x2, gate_up, "gate_up")
            width = gate_up.rows // 2
            starts = post.weight(np.array([0], dtype=np.int64), "start")
            middle = post.weight(np.array([width], dtype=np.int64), "middle")
            end = post.weight(np.array([2 * width], dtype=np.int64), "end")
            axis = post.weight(np.array([1], dtype=np.int64), "axis")
            gate = post.op("Slice", [both, starts, middle, axis])
            up = post.op("Slice", [both, middle, end, axis])
            act = post.op("Mul", [post.op("Mul", [gate, post.op("Sigmoid", [gate])]), up])  # SwiGLU
            down = post.linear(act, down_proj, "down")
            (partial / f"layer{i}-post.onnx").write_bytes(
                post.model(
                    [("h", hidden), ("attn", heads * head_dim)],
                    [("out", post.op("Add", [h2, down]), hidden)],
                )
            )
        if ctx is not None:
            ctx.report(88, 100, message=message("progress.packing_head"))
        tied = "output.weight" not in tensors
        embed = blocks_of(tensor("token_embd.weight"))
        if embed.bits != 8:
            embed = quantize8(embed.dequantize())
        head_graph = _Graph("head")
        output_norm = vector("output_norm.weight")
        x = head_graph.rms_norm("h", output_norm, eps)
        head = embed if tied else blocks_of(tensor("output.weight"))
        logits = head_graph.linear(x, head, "head")
        (partial / "head.onnx").write_bytes(
            head_graph.model([("h", hidden)], [("logits", logits, head.rows)])
        )
        if step is not None:
            (partial / "decoder.onnx").write_bytes(step.finish(output_norm, head))
    finally:
        if data is not None:
            data.close()
    # Embedding rows for the lookup: signed int8 and one scale per block, exact for Q8_0.
    np.save(partial / "embed_q.npy", (embed.q.astype(np.int16) - 128).astype(np.int8))
    np.save(partial / "embed_scale.npy", embed.scale.astype(np.float32))
    (partial / "sozo-packed.json").write_text(
        json.dumps({"format": _PACKED_FORMAT, "config": config}), encoding="utf-8"
    )
    if target.exists():
        shutil.rmtree(target)
    partial.replace(target)
    remove_outdated_copies(target)


def remove_outdated_copies(target: Path) -> None:
    """Delete the packed copies beside ``target`` that this code can no longer read (an
    older ``_PACKED_FORMAT``): each is a few hundred MB nothing will ever open again."""
    prefix = target.name.rsplit("-packed-", 1)[0] + "-packed-"
    for folder in target.parent.glob(f"{prefix}*"):
        if folder == target or not folder.is_dir() or folder.name.endswith(".partial"):
            continue
        try:
            meta = json.loads((folder / "sozo-packed.json").read_text(encoding="utf-8"))
            outdated = meta.get("format") != _PACKED_FORMAT
        except (OSError, ValueError, AttributeError):
            continue  # not ours to judge
        if outdated:
            shutil.rmtree(folder, ignore_errors=True)


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
def _hooked(module: Any) -> bool:
    return bool(module._forward_hooks or module._forward_pre_hooks)


class SteeringAddition:
    """``strength() * vector`` added to one layer's output at every position, read at every
    step (a slider moved meanwhile steers the next token). ``remove()`` takes it away."""

    def __init__(
        self, owner: list[SteeringAddition], layer: int, vector: np.ndarray, strength: Any
    ) -> None:
        self.owner, self.layer, self.vector, self.strength = owner, layer, vector, strength
        owner.append(self)

    def remove(self) -> None:
        if self in self.owner:
            self.owner.remove(self)


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
    # The step graph's QuantizeLinear/DequantizeLinear pairs are arithmetic, not a
    # quantised model: left alone, ONNX Runtime's QDQ passes copy each DequantizeLinear
    # for its two consumers (one more op per matrix).
    options.add_session_config_entry("session.disable_quant_qdq", "1")

    def session(name: str) -> Any:
        return ort.InferenceSession(str(folder / name), options, providers=["CPUExecutionProvider"])

    layers = config["layers"]
    heads, kv_heads, head_dim = config["heads"], config["kv_heads"], config["head_dim"]
    group = heads // kv_heads
    scale = 1.0 / math.sqrt(head_dim)

    class Block(torch.nn.Module):
        """One decoder layer on the residual stream (T, C) fp32: h + attn(norm(h)), then
        + mlp(norm(h)). Steering hooks attach here and see its output; while any is
        attached the decoder runs layer by layer through these blocks.

        Its two ONNX sessions open at first use: a plain chat never needs them."""

        def __init__(self, i: int) -> None:
            super().__init__()
            self.index = i
            self._sessions: tuple[Any, Any] | None = None
            # Views of the decoder's cache buffers (KV, S, D): see PackedDecoder.reset.
            self.k_cache = torch.zeros(kv_heads, 0, head_dim)
            self.v_cache = torch.zeros(kv_heads, 0, head_dim)

        @property
        def pre(self) -> Any:
            return self.sessions()[0]

        @property
        def post(self) -> Any:
            return self.sessions()[1]

        def sessions(self) -> tuple[Any, Any]:
            if self._sessions is None:
                i = self.index
                self._sessions = (session(f"layer{i}-pre.onnx"), session(f"layer{i}-post.onnx"))
            return self._sessions

        def forward(
            self, h: torch.Tensor, start: int, rotation: torch.Tensor, mask: torch.Tensor | None
        ) -> torch.Tensor:
            T = h.shape[0]
            pre, post = self.sessions()
            h = h.contiguous()  # a steering hook's output may be a view
            (qkv_array,) = pre.run(None, {"h": h.numpy()})
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
            (h_out,) = post.run(None, {"h": h.numpy(), "attn": out.numpy()})
            return torch.from_numpy(h_out)

    class PackedDecoder(torch.nn.Module):
        """Embedding, blocks, final norm and output head over one fp32 KV cache.

        Two ways through the same weights and the same cache: the whole step as one ONNX
        Runtime call (``decoder.onnx``, see :class:`_StepGraph`; the default), or layer by
        layer through :attr:`blocks` (two ONNX calls and torch attention per layer), taken
        while any hook is attached to a block (steering, capturing activations) or when
        ``layer_by_layer`` is set. Both write the same cache buffers, so a reply may switch
        between them from one token to the next.
        """

        def __init__(self) -> None:
            super().__init__()
            self.blocks = torch.nn.ModuleList(Block(i) for i in range(layers))
            has_step = (folder / "decoder.onnx").exists()
            self.step: Any = None
            self.binding: Any = None
            if has_step:
                self.step = session("decoder.onnx")
                self.binding = self.step.io_binding()
            self._head: Any = None
            self.layer_by_layer = not has_step
            # Memory-mapped: only the rows of tokens actually seen are read.
            self.embed_q = np.load(folder / "embed_q.npy", mmap_mode="r")
            self.embed_scale = np.load(folder / "embed_scale.npy", mmap_mode="r")
            self.device = torch.device("cpu")
            self.dtype = torch.float32
            self.capacity = 0
            self.folder = folder
            half = head_dim // 2
            self.inv_freq = 1.0 / (
                config["rope_theta"] ** (torch.arange(0, half, dtype=torch.float32) / half)
            )
            # rotate_half(x) = x @ P, so x * cos + rotate_half(x) * sin = x @ (cos + P sin).
            p = torch.zeros(head_dim, head_dim)
            p[torch.arange(half) + half, torch.arange(half)] = -1.0
            p[torch.arange(half), torch.arange(half) + half] = 1.0
            self.rotate_half = p
            self.logits = np.zeros((1, 1, config["vocab"]), dtype=np.float32)
            if self.binding is not None:
                shape = list(self.logits.shape)
                self.binding.bind_output(
                    "logits", "cpu", 0, np.float32, shape, self.logits.ctypes.data
                )
            self.cache_buffers: list[Any] = []  # what the bound OrtValues point into
            self.additions: list[SteeringAddition] = []
            # The step graph's steering input, bound once and filled in place per step.
            self.steer = np.zeros(layers * config["hidden"], dtype=np.float32)
            self.steer_value = ort.OrtValue.ortvalue_from_numpy(self.steer)
            if self.binding is not None:
                self.binding.bind_ortvalue_input("steer", self.steer_value)

        def add_steering(self, layer: int, vector: Any, strength: Any) -> SteeringAddition:
            """Add ``strength() * vector`` (C,) to the output of block ``layer`` from now on
            (both paths; the step graph takes it as an input, so steering keeps its speed)."""
            array = np.asarray(vector, dtype=np.float32).reshape(-1)
            return SteeringAddition(self.additions, layer, array, strength)

        def fill_steer(self) -> None:
            self.steer[:] = 0.0
            width = config["hidden"]
            for addition in self.additions:
                scale = float(addition.strength())
                if scale:
                    row = self.steer[addition.layer * width : (addition.layer + 1) * width]
                    row += scale * addition.vector

        @property
        def head(self) -> Any:
            if self._head is None:
                self._head = session("head.onnx")
            return self._head

        def reset(self, tokens: int) -> None:
            """Make room for ``tokens`` positions (the cache is reused between replies)."""
            if tokens <= self.capacity:
                return
            capacity = max(tokens, 256)
            bind = self.binding
            buffers: list[Any] = []
            block: Any
            for i, block in enumerate(self.blocks):
                for kind in ("key", "value"):
                    # (1, KV, S, D): GroupQueryAttention's layout; the blocks see (KV, S, D).
                    cache = np.zeros((1, kv_heads, capacity, head_dim), dtype=np.float32)
                    view = torch.from_numpy(cache)[0]
                    old = block.k_cache if kind == "key" else block.v_cache
                    view[:, : self.capacity] = old  # keep a chat's cached history
                    setattr(block, "k_cache" if kind == "key" else "v_cache", view)
                    buffers.append(cache)
                    if bind is not None:
                        value = ort.OrtValue.ortvalue_from_numpy(cache)
                        # Past and present are one buffer: the step writes in place.
                        bind.bind_ortvalue_input(f"past_{kind}_{i}", value)
                        bind.bind_ortvalue_output(f"present_{kind}_{i}", value)
                        buffers.append(value)
            positions = torch.arange(capacity, dtype=torch.float32)
            angles = torch.outer(positions, self.inv_freq)  # (S, D/2)
            for name, table in (("cos_cache", angles.cos()), ("sin_cache", angles.sin())):
                if bind is not None:
                    array = np.ascontiguousarray(table.numpy())
                    value = ort.OrtValue.ortvalue_from_numpy(array)
                    bind.bind_ortvalue_input(name, value)
                    buffers += [array, value]
            self.cache_buffers = buffers
            self.capacity = capacity

        def rotation(self, start: int, T: int) -> torch.Tensor:
            """(T, D, D) rotary matrices for positions start..start+T-1 (as transformers'
            Llama: the angles repeated over the two halves of each head)."""
            positions = torch.arange(start, start + T, dtype=torch.float32)
            angles = torch.outer(positions, self.inv_freq).repeat(1, 2)  # (T, D)
            return torch.diag_embed(angles.cos()) + self.rotate_half * angles.sin()[:, None, :]

        def embed(self, tokens: list[int]) -> np.ndarray:
            """(T, C) float32 rows of the int8 embedding."""
            rows = np.asarray(self.embed_q[tokens], dtype=np.float32)  # (T, C)
            scales = np.asarray(self.embed_scale[tokens])  # (T, C / 32)
            T = len(tokens)
            return (rows.reshape(T, -1, BLOCK) * scales[..., None]).reshape(T, -1)

        def forward(self, ids: torch.Tensor, start: int) -> torch.Tensor:
            """Logits (vocab,) for the token after ``ids`` (1, T) placed at ``start``."""
            tokens = [int(t) for t in ids.reshape(-1).tolist()]
            T = len(tokens)
            if start + T > self.capacity:
                raise ValueError("the KV cache is too small: call reset() first")
            bind, step, end = self.binding, self.step, start + T
            if step is None or self.layer_by_layer or any(map(_hooked, self.blocks)):
                return self.forward_layers(tokens, start)
            # Kept in locals until the run: the binding may point into their memory.
            h = self.embed(tokens)[None]
            seqlens_k = np.array([end - 1], dtype=np.int32)
            total = np.array(end, dtype=np.int32)
            bind.bind_cpu_input("h", h)
            bind.bind_cpu_input("seqlens_k", seqlens_k)
            bind.bind_cpu_input("total_sequence_length", total)
            if self.additions or self.steer.any():
                self.fill_steer()
            step.run_with_iobinding(bind)
            return torch.from_numpy(self.logits[0, 0].copy())  # the buffer is reused

        def forward_layers(self, tokens: list[int], start: int) -> torch.Tensor:
            T = len(tokens)
            h = torch.from_numpy(self.embed(tokens))
            rotation = self.rotation(start, T)
            mask = None
            if T > 1:
                # Query t (at position start + t) sees keys 0..start + t; rows per (group, t).
                keys = torch.arange(start + T)[None, :]
                allowed = keys <= torch.arange(start, start + T)[:, None]
                mask = torch.zeros(T, start + T).masked_fill(~allowed, -math.inf).repeat(group, 1)
            self.fill_steer()
            width = config["hidden"]
            for i, block in enumerate(self.blocks):
                h = block(h, start, rotation, mask)
                if self.additions:
                    row = self.steer[i * width : (i + 1) * width]
                    if row.any():
                        h = h + torch.from_numpy(row)
            (logits,) = self.head.run(None, {"h": h[-1:].contiguous().numpy()})
            return torch.from_numpy(logits[0])

    return PackedDecoder()


# -- the load-time check -----------------------------------------------------------------
# How far the fast path's logits may stray from the exact reference's on the probe. The
# shipped path measured 0.003-0.010 on SmolLM2 (AVX-512 VNNI and AVX2 kernels); the
# activations quantised once, as before, strayed by 0.6-2.6 and changed greedy answers.
PROBE_TOLERANCE = 0.05
_PROBE_FILE = "probe-reference.npz"


@dataclass(frozen=True)
class ProbeCheck:
    """The fast path against :func:`engines.text.reference.reference_logits` on a probe."""

    max_difference: float
    same_top_token: bool

    @property
    def passed(self) -> bool:
        return self.same_top_token and self.max_difference <= PROBE_TOLERANCE

    def describe(self) -> str:
        top = "the same" if self.same_top_token else "a different"
        return f"logits up to {self.max_difference:.3f} off the exact ones, {top} likeliest token"


def check_against_reference(
    decoder: Any, gguf_path: Path, folder: Path, tokens: list[int]
) -> ProbeCheck:
    """Run ``tokens`` through the fast path and compare the last position's logits with
    the exact reference's. The reference (about 4 s for SmolLM2) is computed at the first
    load and kept in ``folder``; later loads only run the fast path (tens of ms), so a
    cache moved to another CPU is checked again on it."""
    import numpy as np
    import torch

    from engines.text import reference

    stored = folder / _PROBE_FILE
    expected: np.ndarray | None = None
    if stored.exists():
        try:
            with np.load(stored) as data:
                if data["tokens"].tolist() == tokens:
                    expected = data["logits"]
        except (OSError, ValueError, KeyError):
            expected = None
    if expected is None:
        expected = reference.reference_logits(gguf_path, tokens)[-1].numpy()
        partial = stored.with_suffix(".partial.npz")
        np.savez(partial, tokens=np.array(tokens), logits=expected)
        partial.replace(stored)
    decoder.reset(len(tokens))
    with torch.inference_mode():
        fast = decoder(torch.tensor([tokens]), 0).double().numpy()
    return ProbeCheck(
        max_difference=float(np.abs(fast - expected).max()),
        same_top_token=int(fast.argmax()) == int(np.argmax(expected)),
    )
