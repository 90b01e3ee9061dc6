"""A MusicVAE-style melody VAE over 2-bar windows (32 sixteenth-note tokens).

After Roberts, Engel, Raffel, Hawthorne and Eck, "A Hierarchical Latent Vector Model
for Learning Long-Term Structure in Music" (ICML 2018), in its flat 2-bar form: a
bidirectional GRU encoder reads the tokens and gives the mean and log-variance of a
latent ``z``; an autoregressive GRU decoder starts from a state made of ``z`` and gets
``z`` again at every step (so it cannot ignore it). Training uses the KL term with
free bits, as the paper does, so that the latent keeps enough information for
reconstructions while staying close to the prior for sampling.

Tokens are those of ``engines.music.data``: rest, hold, 60 pitches. Melodies longer
than two bars are handled two bars at a time (one latent per 2-bar chunk).

Attribute directions (note density, pitch range, syncopation) are the mean latent of
the windows in the top quarter of an attribute minus that of the bottom quarter
(the "attribute vectors" of the paper); they ship beside the weights.

Torch is imported inside functions so that importing this module stays light.
"""

from __future__ import annotations

import functools
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from engines import paths
from engines.errors import BadInput, ModelUnavailable
from engines.music.data import HOLD, NUM_MELODY_TOKENS, REST, canonical

if TYPE_CHECKING:
    import torch

MODEL_ID = "melody-vae-2bar"
WINDOW = 32  # steps: two bars of 4/4 on the 16th-note grid


def default_weights_path() -> Path:
    return paths.assets_dir() / "models" / "music" / "melody_vae_2bar.safetensors"


@dataclass(frozen=True)
class VAEConfig:
    """Sizes of the VAE. Small on purpose: it trains in half an hour on one CPU thread."""

    steps: int = WINDOW
    vocab: int = NUM_MELODY_TOKENS
    embed: int = 32
    encoder_hidden: int = 128  # per direction
    latent: int = 64
    decoder_hidden: int = 256
    # Nats of KL (whole latent) that cost nothing: the paper's 48 for 2-bar melodies.
    # Enough room for near-exact reconstructions; sampling still works from the prior.
    free_bits: float = 48.0
    beta: float = 0.2  # KL weight after warm-up; MusicVAE used 0.2 for 2-bar melodies


@functools.cache
def _network_class() -> Any:
    """The torch module, defined on first use so that torch loads only when needed."""
    import torch
    from torch import nn

    class MelodyVAENetwork(nn.Module):
        def __init__(self, config: VAEConfig) -> None:
            super().__init__()
            self.config = c = config
            self.embed = nn.Embedding(c.vocab + 1, c.embed)  # +1: the decoder's start token
            self.encoder = nn.GRU(c.embed, c.encoder_hidden, batch_first=True, bidirectional=True)
            self.to_mu = nn.Linear(2 * c.encoder_hidden, c.latent)
            self.to_logvar = nn.Linear(2 * c.encoder_hidden, c.latent)
            self.z_to_state = nn.Linear(c.latent, c.decoder_hidden)
            self.decoder = nn.GRU(c.embed + c.latent, c.decoder_hidden, batch_first=True)
            self.head = nn.Linear(c.decoder_hidden, c.vocab)

        @property
        def start_token(self) -> int:
            return self.config.vocab

        def encode(self, tokens: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
            # tokens (B, T) -> mu, logvar (B, Z)
            _, last = self.encoder(self.embed(tokens))  # last (2, B, H)
            both = torch.cat([last[0], last[1]], dim=-1)  # (B, 2H)
            return self.to_mu(both), self.to_logvar(both).clamp(-12, 6)

        def decode_logits(self, z: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
            """Teacher-forced logits (B, T, V) for the target ``tokens``."""
            start = torch.full_like(tokens[:, :1], self.start_token)
            inputs = self.embed(torch.cat([start, tokens[:, :-1]], dim=1))  # (B, T, E)
            zs = z.unsqueeze(1).expand(-1, tokens.shape[1], -1)  # (B, T, Z)
            state = torch.tanh(self.z_to_state(z)).unsqueeze(0)  # (1, B, H)
            out, _ = self.decoder(torch.cat([inputs, zs], dim=-1), state)
            return self.head(out)

        @torch.no_grad()
        def decode(
            self, z: torch.Tensor, temperature: float = 0.0, generator: Any = None
        ) -> torch.Tensor:
            """Tokens (B, T) from latents (B, Z); temperature 0 is greedy."""
            batch = z.shape[0]
            state = torch.tanh(self.z_to_state(z)).unsqueeze(0)
            prev = torch.full((batch, 1), self.start_token, dtype=torch.long, device=z.device)
            sounding = torch.zeros(batch, dtype=torch.bool, device=z.device)
            out = []
            for _ in range(self.config.steps):
                x = torch.cat([self.embed(prev), z.unsqueeze(1)], dim=-1)
                y, state = self.decoder(x, state)
                logits = self.head(y[:, -1])  # (B, V)
                # A hold with nothing sounding means nothing: never pick it there.
                logits[~sounding, HOLD] = float("-inf")
                if temperature <= 0:
                    nxt = logits.argmax(-1)
                else:
                    probs = torch.softmax(logits / temperature, -1)
                    nxt = torch.multinomial(probs, 1, generator=generator).squeeze(1)
                sounding = (nxt >= 2) | (sounding & (nxt == HOLD))
                out.append(nxt)
                prev = nxt.unsqueeze(1)
            return torch.stack(out, dim=1)

        def forward(self, tokens: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
            mu, logvar = self.encode(tokens)
            z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
            return self.decode_logits(z, tokens), mu, logvar

    return MelodyVAENetwork


def build_network(config: VAEConfig) -> Any:
    return _network_class()(config)


def loss_terms(network: Any, tokens: torch.Tensor) -> dict[str, torch.Tensor]:
    """Reconstruction cross-entropy, KL (whole latent, nats) and teacher-forced accuracy."""
    import torch.nn.functional as F

    logits, mu, logvar = network(tokens)
    recon = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tokens.reshape(-1))
    kl = 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).sum(-1).mean()
    accuracy = (logits.argmax(-1) == tokens).float().mean()
    return {"recon": recon, "kl": kl, "accuracy": accuracy}


def slerp(a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
    """Spherical interpolation: keeps in-between latents at the prior's typical norm."""
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    if na < 1e-8 or nb < 1e-8:
        return (1 - t) * a + t * b
    cos = float(np.clip(np.dot(a / na, b / nb), -1.0, 1.0))
    omega = np.arccos(cos)
    if omega < 1e-4:
        return (1 - t) * a + t * b
    return (np.sin((1 - t) * omega) * a + np.sin(t * omega) * b) / np.sin(omega)


def chunks(tokens: np.ndarray) -> np.ndarray:
    """A melody as 2-bar windows (C, 32), the last one padded with rests."""
    tokens = canonical(tokens)
    if len(tokens) == 0:
        raise BadInput("the melody is empty")
    count = -(-len(tokens) // WINDOW)
    padded = np.full(count * WINDOW, REST, dtype=np.int64)
    padded[: len(tokens)] = tokens
    return padded.reshape(count, WINDOW)


@dataclass
class MelodyVAE:
    """The trained VAE, ready to sample, encode, decode and interpolate melodies.

    Latents are numpy arrays of shape (C, latent): one row per 2-bar chunk.
    """

    network: Any
    config: VAEConfig
    attributes: dict[str, np.ndarray] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None = None) -> MelodyVAE:
        from safetensors import safe_open

        from engines import device

        path = Path(path or default_weights_path())
        if not path.exists():
            raise ModelUnavailable(
                f"the melody VAE weights {path} are missing: train them with "
                "`python engines/music/train_vae.py`"
            )
        device.current()  # applies the thread policy
        state: dict[str, Any] = {}
        with safe_open(str(path), framework="pt") as f:
            meta = f.metadata() or {}
            for key in f.keys():  # noqa: SIM118 (safe_open is not a dict)
                state[key] = f.get_tensor(key)
        config = VAEConfig(**json.loads(meta.get("config", "{}")))
        attributes = {
            k.removeprefix("attribute."): v.numpy()
            for k, v in state.items()
            if k.startswith("attribute.")
        }
        weights = {k: v for k, v in state.items() if not k.startswith("attribute.")}
        network = build_network(config)
        network.load_state_dict(weights)
        network.eval()
        return cls(network, config, attributes, json.loads(meta.get("info", "{}")))

    def save(self, path: Path, info: dict[str, Any] | None = None) -> None:
        from safetensors.torch import save_file

        tensors = {k: v.detach().contiguous() for k, v in self.network.state_dict().items()}
        import torch

        for name, vec in self.attributes.items():
            tensors[f"attribute.{name}"] = torch.as_tensor(vec, dtype=torch.float32)
        meta = {"config": json.dumps(asdict(self.config)), "info": json.dumps(info or self.info)}
        path.parent.mkdir(parents=True, exist_ok=True)
        save_file(tensors, str(path), metadata=meta)

    # -- the operations the panel and the CLI use -------------------------------------
    def encode(self, tokens: np.ndarray) -> np.ndarray:
        """The latent means (C, Z) of a melody's 2-bar chunks."""
        import torch

        with torch.no_grad():
            mu, _ = self.network.encode(torch.as_tensor(chunks(tokens)))
        return mu.numpy()

    def decode(self, z: np.ndarray, temperature: float = 0.0, seed: int = 0) -> np.ndarray:
        """The melody (C * 32 tokens) for latents (C, Z)."""
        import torch

        z = np.atleast_2d(np.asarray(z, dtype=np.float32))
        gen = torch.Generator().manual_seed(int(seed))
        with torch.no_grad():
            tokens = self.network.decode(torch.as_tensor(z), temperature, gen)
        return canonical(tokens.reshape(-1).numpy())

    def sample_latents(self, chunks_count: int, seed: int) -> np.ndarray:
        rng = np.random.default_rng(seed)
        return rng.standard_normal((chunks_count, self.config.latent)).astype(np.float32)

    def sample(self, bars: int = 2, seed: int = 0, temperature: float = 0.0) -> np.ndarray:
        """A new melody of ``bars`` bars (rounded up to whole 2-bar chunks)."""
        z = self.sample_latents(max(1, -(-bars // 2)), seed)
        return self.decode(z, temperature, seed)[: bars * 16]

    def interpolate(self, a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
        """The latent between ``a`` and ``b`` (same shape) at ``t`` in [0, 1], by slerp."""
        if a.shape != b.shape:
            raise BadInput("melodies A and B must have the same number of bars to morph")
        return np.stack([slerp(x, y, t) for x, y in zip(a, b, strict=True)]).astype(np.float32)

    def with_attributes(self, z: np.ndarray, amounts: dict[str, float]) -> np.ndarray:
        """``z`` moved along the attribute directions by the given amounts (-1..1 a unit)."""
        out = np.array(z, dtype=np.float32, copy=True)
        for name, amount in amounts.items():
            if name in self.attributes and amount:
                out += float(amount) * self.attributes[name][None, :]
        return out

    def variations(self, z: np.ndarray, count: int, spread: float, seed: int) -> list[np.ndarray]:
        """Latents near ``z``: ``spread`` is the noise's share of a unit normal."""
        rng = np.random.default_rng(seed)
        return [
            (z + spread * rng.standard_normal(z.shape)).astype(np.float32) for _ in range(count)
        ]


def attribute_directions(latents: np.ndarray, windows: np.ndarray) -> dict[str, np.ndarray]:
    """Mean latent of the top quarter minus the bottom quarter, per attribute."""
    from engines.music.data import ATTRIBUTES

    out: dict[str, np.ndarray] = {}
    for name, fn in ATTRIBUTES.items():
        values = np.array([fn(w) for w in windows])
        low, high = np.quantile(values, [0.25, 0.75])
        lo, hi = values <= low, values >= high
        if lo.sum() == 0 or hi.sum() == 0 or low == high:
            continue
        out[name] = (latents[hi].mean(0) - latents[lo].mean(0)).astype(np.float32)
    return out
