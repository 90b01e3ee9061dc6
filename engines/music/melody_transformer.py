"""A small decoder-only Transformer that continues melodies, nanoGPT style.

After Radford et al. (GPT-2, 2019) as written out by Karpathy's nanoGPT, applied to
melodies like Huang et al., "Music Transformer" (ICLR 2019) but with plain learned
positions: a melody of a few dozen bars fits the context.

A sequence is ``[KEY] [METER] body``: the key (tonic and mode, or unknown) and the
meter condition everything after them; the body is the 16th-note tokens of
``engines.music.data`` with a ``BAR`` token before every bar. When continuing, bar
tokens are placed by the program (every bar's worth of steps), never sampled, so the
result always stays on the meter's grid.

Torch is imported inside functions so that importing this module stays light.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from engines import paths
from engines.errors import BadInput, ModelUnavailable
from engines.messages import message
from engines.music.data import (
    HOLD,
    METERS,
    MODES,
    NUM_MELODY_TOKENS,
    REST,
    bar_steps,
    canonical,
)

if TYPE_CHECKING:
    import torch

MODEL_ID = "melody-transformer"

# The vocabulary: melody tokens, then BAR, then the condition tokens.
BAR = NUM_MELODY_TOKENS  # 62
KEY_BASE = BAR + 1  # 12 tonics x 4 modes
KEY_UNKNOWN = KEY_BASE + 12 * len(MODES)
METER_BASE = KEY_UNKNOWN + 1
VOCAB = METER_BASE + len(METERS)


def key_token(tonic: int | None, mode: str | None) -> int:
    if tonic is None or mode not in MODES:
        return KEY_UNKNOWN
    return KEY_BASE + MODES.index(str(mode)) * 12 + tonic % 12


def meter_token(meter: str) -> int:
    return METER_BASE + METERS.index(meter if meter in METERS else "other")


def with_bars(tokens: np.ndarray, bar_starts: np.ndarray) -> np.ndarray:
    """The body sequence: melody tokens with BAR before each step in ``bar_starts``.

    Bar lines past the last note (trailing empty bars of a transcription) are dropped.
    """
    tokens = np.asarray(tokens, dtype=np.int64)
    starts = np.asarray(bar_starts, dtype=np.int64)
    return np.insert(tokens, starts[(starts >= 0) & (starts < len(tokens))], BAR)


def default_weights_path() -> Path:
    return paths.assets_dir() / "models" / "music" / "melody_transformer.safetensors"


@dataclass(frozen=True)
class TransformerConfig:
    """Sizes of the Transformer; small enough to train in half an hour on one CPU thread."""

    vocab: int = VOCAB
    block: int = 128  # tokens of context: 7.5 bars of 4/4 with bar tokens
    layers: int = 3
    heads: int = 4
    width: int = 96
    dropout: float = 0.1


@functools.cache
def _network_class() -> Any:
    """The torch module, defined on first use so that torch loads only when needed."""
    import torch
    import torch.nn.functional as F
    from torch import nn

    class Block(nn.Module):
        def __init__(self, c: TransformerConfig) -> None:
            super().__init__()
            self.heads = c.heads
            self.ln1 = nn.LayerNorm(c.width)
            self.qkv = nn.Linear(c.width, 3 * c.width)
            self.proj = nn.Linear(c.width, c.width)
            self.ln2 = nn.LayerNorm(c.width)
            self.mlp = nn.Sequential(
                nn.Linear(c.width, 4 * c.width), nn.GELU(), nn.Linear(4 * c.width, c.width)
            )
            self.drop = nn.Dropout(c.dropout)
            self.dropout = c.dropout

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            B, T, C = x.shape
            q, k, v = self.qkv(self.ln1(x)).split(C, dim=2)
            # (B, heads, T, C / heads)
            q, k, v = (t.view(B, T, self.heads, C // self.heads).transpose(1, 2) for t in (q, k, v))
            y = F.scaled_dot_product_attention(
                q, k, v, is_causal=True, dropout_p=self.dropout if self.training else 0.0
            )
            x = x + self.drop(self.proj(y.transpose(1, 2).reshape(B, T, C)))
            return x + self.drop(self.mlp(self.ln2(x)))

        def step(
            self, x: torch.Tensor, past: tuple[torch.Tensor, torch.Tensor] | None
        ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
            """Inference on new tokens ``x`` after cached keys/values ``past``."""
            B, T, C = x.shape
            q, k, v = self.qkv(self.ln1(x)).split(C, dim=2)
            q, k, v = (t.view(B, T, self.heads, C // self.heads).transpose(1, 2) for t in (q, k, v))
            if past is not None:
                k, v = torch.cat([past[0], k], 2), torch.cat([past[1], v], 2)
            # A prefill (no past) is causal; one new token may see every cached one.
            causal = past is None and T > 1
            if past is not None and T > 1:
                raise ValueError("feed one token at a time after a prefill")
            y = F.scaled_dot_product_attention(q, k, v, is_causal=causal)
            x = x + self.proj(y.transpose(1, 2).reshape(B, T, C))
            return x + self.mlp(self.ln2(x)), (k, v)

    class MelodyTransformerNetwork(nn.Module):
        def __init__(self, config: TransformerConfig) -> None:
            super().__init__()
            self.config = c = config
            self.token = nn.Embedding(c.vocab, c.width)
            self.position = nn.Embedding(c.block, c.width)
            self.drop = nn.Dropout(c.dropout)
            self.blocks = nn.ModuleList(Block(c) for _ in range(c.layers))
            self.ln = nn.LayerNorm(c.width)
            self.head = nn.Linear(c.width, c.vocab, bias=False)
            self.head.weight = self.token.weight  # weight tying, as in GPT-2
            self.apply(self._init)

        @staticmethod
        def _init(m: nn.Module) -> None:
            if isinstance(m, nn.Linear | nn.Embedding):
                nn.init.normal_(m.weight, std=0.02)
            if isinstance(m, nn.Linear) and m.bias is not None:
                nn.init.zeros_(m.bias)

        def forward(self, idx: torch.Tensor) -> torch.Tensor:
            # idx (B, T) -> logits (B, T, V)
            pos = torch.arange(idx.shape[1], device=idx.device)
            x = self.drop(self.token(idx) + self.position(pos))
            for block in self.blocks:
                x = block(x)
            return self.head(self.ln(x))

        def incremental(
            self, idx: torch.Tensor, past: list[Any] | None
        ) -> tuple[torch.Tensor, list[Any]]:
            """Logits of the last token of ``idx`` and the updated key/value cache.

            With ``past`` None, ``idx`` is the whole context (a prefill); otherwise one
            new token, placed after the ``past`` tokens."""
            start = 0 if past is None else past[0][0].shape[2]
            pos = torch.arange(start, start + idx.shape[1], device=idx.device)
            x = self.token(idx) + self.position(pos)
            cache = []
            for i, module in enumerate(self.blocks):
                block = cast(Block, module)  # ModuleList items are typed as Module
                x, kv = block.step(x, None if past is None else past[i])
                cache.append(kv)
            return self.head(self.ln(x[:, -1])), cache

    return MelodyTransformerNetwork


def build_network(config: TransformerConfig) -> Any:
    return _network_class()(config)


@dataclass
class MelodyTransformer:
    """The trained Transformer: continues a melody by whole bars."""

    network: Any
    config: TransformerConfig
    info: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None = None) -> MelodyTransformer:
        from safetensors import safe_open

        from engines import device

        path = Path(path or default_weights_path())
        if not path.exists():
            raise ModelUnavailable(
                f"the melody Transformer weights {path} are missing: train them with "
                "`python engines/music/train_transformer.py`"
            )
        device.current()  # applies the thread policy
        with safe_open(str(path), framework="pt") as f:
            meta = f.metadata() or {}
            state = {k: f.get_tensor(k) for k in f.keys()}  # noqa: SIM118
        config = TransformerConfig(**json.loads(meta.get("config", "{}")))
        network = build_network(config)
        state.setdefault("head.weight", state["token.weight"])
        network.load_state_dict(state)
        network.eval()
        return cls(network, config, json.loads(meta.get("info", "{}")))

    def save(self, path: Path, info: dict[str, Any] | None = None) -> None:
        from safetensors.torch import save_file

        state = {k: v.detach().contiguous() for k, v in self.network.state_dict().items()}
        state.pop("head.weight")  # tied to token.weight
        meta = {"config": json.dumps(asdict(self.config)), "info": json.dumps(info or self.info)}
        path.parent.mkdir(parents=True, exist_ok=True)
        save_file(state, str(path), metadata=meta)

    def log_likelihood(self, sequence: np.ndarray, prefix: int = 2) -> tuple[float, int]:
        """Summed natural-log probability of ``sequence[prefix:]`` and its token count.

        Long sequences are read in windows of the context length, each starting with
        the condition tokens again, the way the model saw them in training.
        """
        import torch

        cond, body = sequence[:prefix], sequence[prefix:]
        span = self.config.block - prefix
        total, count = 0.0, 0
        with torch.no_grad():
            for start in range(0, len(body), span):
                chunk = np.concatenate([cond, body[start : start + span]])
                x = torch.as_tensor(chunk[None, :-1])
                logp = torch.log_softmax(self.network(x)[0], -1)
                target = torch.as_tensor(chunk[1:])
                picked = logp[torch.arange(len(target)), target][prefix - 1 :]
                total += picked.sum().item()
                count += len(picked)
        return total, count

    def continue_melody(
        self,
        tokens: np.ndarray,
        bars: int,
        temperature: float = 1.0,
        seed: int = 0,
        key: tuple[int, str] | None = None,
        meter: str = "4/4",
        on_bar: Any = None,
    ) -> np.ndarray:
        """The melody followed by ``bars`` new bars (the prompt is kept unchanged).

        ``tokens`` starts on a bar line. ``on_bar(done, total)`` is called after each
        new bar (progress and cancel). Temperature 0 is greedy.
        """
        import torch

        if bars < 1:
            raise BadInput(message("music.continue_bars"))
        prompt = canonical(tokens)
        per_bar = bar_steps(meter)
        body = with_bars(prompt, np.arange(0, len(prompt), per_bar)).tolist()
        cond = [key_token(*key) if key else KEY_UNKNOWN, meter_token(meter)]
        gen = torch.Generator().manual_seed(int(seed))
        sounding = bool(len(prompt)) and _sounding_at_end(prompt)
        steps_in_bar = len(prompt) % per_bar
        new: list[int] = []
        # Keys and values are cached, so each token costs one small step instead of a
        # pass over the whole context. Positions are absolute, so a full context cannot
        # slide by one token: it restarts from its last half (one prefill) instead, and
        # the model then sees between half and all of its context.
        block = self.config.block
        past: list[Any] | None = None
        fed = 0  # tokens of cond + body the cache holds, counted from ``window_start``
        window_start = 0
        with torch.no_grad():
            while len(new) < bars * per_bar:
                if steps_in_bar == 0:
                    body.append(BAR)
                pending = body[window_start + fed - len(cond) :]
                if past is None or fed + len(pending) > block:
                    keep = len(body) if past is None else (block // 2 - len(cond))
                    keep = min(keep, block - len(cond))
                    window_start = len(body) - keep
                    x = torch.as_tensor([cond + body[window_start:]])
                    out, past = self.network.incremental(x, None)
                    fed = x.shape[1]
                else:
                    for token in pending:
                        out, past = self.network.incremental(torch.as_tensor([[token]]), past)
                        fed += 1
                logits = out[0].clone()
                logits[NUM_MELODY_TOKENS:] = float("-inf")  # only melody tokens here
                if not sounding:
                    logits[HOLD] = float("-inf")
                if temperature <= 0:
                    nxt = int(logits.argmax())
                else:
                    probs = torch.softmax(logits / temperature, -1)
                    nxt = int(torch.multinomial(probs, 1, generator=gen))
                sounding = nxt >= 2 or (sounding and nxt == HOLD)
                body.append(nxt)
                new.append(nxt)
                steps_in_bar = (steps_in_bar + 1) % per_bar
                if steps_in_bar == 0 and on_bar is not None:
                    on_bar(len(new) // per_bar, bars)
        return np.concatenate([prompt, np.array(new, dtype=np.int64)])


def _sounding_at_end(tokens: np.ndarray) -> bool:
    for t in tokens[::-1]:
        if t != HOLD:
            return bool(t >= 2)
    return False


def perplexity(total_log_likelihood: float, count: int) -> float:
    return math.exp(-total_log_likelihood / max(1, count))


__all__ = [
    "BAR",
    "KEY_UNKNOWN",
    "REST",
    "VOCAB",
    "MelodyTransformer",
    "TransformerConfig",
    "build_network",
    "key_token",
    "meter_token",
    "with_bars",
]
