"""The decoders ``LoadedModel`` runs token by token: ``FastDecoder`` and ``GenericDecoder``.

Both are called as ``decoder(ids, start) -> logits`` over a KV cache kept between
replies, with ``reset(tokens)`` to make room. ``generate()`` and the generic model
forward cost more in Python than the maths of a 135M model, hence the written-out
forward for Llama-shaped models: bf16 weights (half the bytes read per token, the limit
of batch-1 decoding), fused QKV and gate/up projections. Other architectures run
through the model's own forward with a ``DynamicCache``. (The packed GGUF decoder for
the CPU lives in ``gguf_cpu.py``.)
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import torch


# Architectures whose decoder layers FastDecoder reproduces exactly (pre-norm RMSNorm,
# rotary attention with grouped KV heads, SwiGLU MLP; Qwen2 adds q/k/v biases).
FAST_MODEL_TYPES = ("llama", "mistral", "qwen2")


def _linear(weight: torch.Tensor, bias: torch.Tensor | None) -> torch.nn.Module:
    """A linear layer over existing weights (built on the meta device: its own random
    init would be thrown away at once)."""
    import torch

    layer = torch.nn.Linear(weight.shape[1], weight.shape[0], bias=bias is not None, device="meta")
    layer.weight = torch.nn.Parameter(weight, requires_grad=False)
    if bias is not None:
        layer.bias = torch.nn.Parameter(bias, requires_grad=False)
    return layer


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


def build_fast_decoder(hf_model: Any) -> Any:
    """A Llama-shaped decoder sharing the weights of ``hf_model`` (a transformers causal LM
    whose ``config.model_type`` is in :data:`FAST_MODEL_TYPES`)."""
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
            self.qkv = _linear(
                torch.cat([attn.q_proj.weight, attn.k_proj.weight, attn.v_proj.weight]), qkv_bias
            )
            self.o = _linear(attn.o_proj.weight, attn.o_proj.bias)
            self.gate_up = _linear(torch.cat([mlp.gate_proj.weight, mlp.up_proj.weight]), None)
            self.down = _linear(mlp.down_proj.weight, None)
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


class GenericDecoder:
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
