"""A MusicVAE-style melody VAE over 2-bar windows (32 sixteenth-note tokens).

After Roberts, Engel, Raffel, Hawthorne and Eck, "A Hierarchical Latent Vector Model
for Learning Long-Term Structure in Music" (ICML 2018), in its flat 2-bar form: a
bidirectional GRU encoder reads the tokens and gives the mean and log-variance of a
latent ``z``; an autoregressive GRU decoder starts from a state made of ``z`` and gets
``z`` again at every step (so it cannot ignore it). Training uses the KL term with
free bits, as the paper does, so that the latent keeps enough information for
reconstructions; word dropout on the decoder's previous tokens (Bowman et al., 2016)
makes it take the melody from ``z`` rather than from its own last note, so that a
free-running decode does not drift after one slip.

The shipped weights keep many nats in ``z`` (free bits 128 after the first 10,397
steps at 48 then 64), so their codes do not fill N(0, I): new melodies are drawn from a
kernel density over training codes that ships beside the weights (``sample_latents``),
and the deterministic decode is a small beam search (``DECODE_BEAM``).

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
from engines.messages import message
from engines.music.data import HOLD, NUM_MELODY_TOKENS, REST, canonical

if TYPE_CHECKING:
    import torch

MODEL_ID = "melody-vae-2bar"
WINDOW = 32  # steps: two bars of 4/4 on the 16th-note grid
# Kernel width of the code density, as a share of the codes' own spread, chosen on the
# shipped weights by the in-scale share of 400 samples against the data's 98.4% and the
# share that copy a training window note for note (in any transposition): 0.25 gave
# 97.8% and 10% copies, 0.5 96.3% and 1%, 0.75 94.5% and 0.5%. (N(0, I): 89.5%.)
CODE_BANDWIDTH = 0.5
# Beam width of the deterministic decode (temperature 0). A beam finds the decoder's most
# likely melody for a latent where greedy decoding follows its first slip: on the 1,802
# held-out windows the shipped weights get 90.7% of tokens right with 4 beams, 88.8%
# greedy. 4 beams cost a few milliseconds for a 2-bar melody.
DECODE_BEAM = 4


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

        def decode_logits(
            self, z: torch.Tensor, tokens: torch.Tensor, word_dropout: float = 0.0
        ) -> torch.Tensor:
            """Teacher-forced logits (B, T, V) for the target ``tokens``.

            ``word_dropout`` hides that share of the previous tokens from the decoder
            (shown as the start token, Bowman et al. 2016), so that it learns to lean
            on ``z`` and to recover from its own slips when it runs free.
            """
            start = torch.full_like(tokens[:, :1], self.start_token)
            previous = torch.cat([start, tokens[:, :-1]], dim=1)  # (B, T)
            if word_dropout > 0:
                hidden = torch.rand(previous.shape, device=previous.device) < word_dropout
                previous = previous.masked_fill(hidden, self.start_token)
            inputs = self.embed(previous)  # (B, T, E)
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

        @torch.no_grad()
        def decode_beam(self, z: torch.Tensor, beam: int) -> torch.Tensor:
            """Tokens (B, T) from latents (B, Z): the most likely sequence a beam of
            ``beam`` finds (still free-running: each token follows the decoder's own)."""
            batch, vocab = z.shape[0], self.config.vocab
            zk = z.repeat_interleave(beam, 0)  # (B*K, Z)
            state = torch.tanh(self.z_to_state(zk)).unsqueeze(0)  # (1, B*K, H)
            prev = torch.full((batch * beam,), self.start_token, dtype=torch.long, device=z.device)
            sounding = torch.zeros(batch * beam, dtype=torch.bool, device=z.device)
            scores = torch.full((batch, beam), float("-inf"), device=z.device)
            scores[:, 0] = 0.0  # one live beam at the start: the others would repeat it
            history = torch.zeros(batch, beam, 0, dtype=torch.long, device=z.device)
            rows = torch.arange(batch, device=z.device).unsqueeze(1)  # (B, 1)
            for _ in range(self.config.steps):
                x = torch.cat([self.embed(prev), zk], dim=-1).unsqueeze(1)
                y, state = self.decoder(x, state)
                logp = torch.log_softmax(self.head(y[:, -1]), -1)  # (B*K, V)
                logp[~sounding, HOLD] = float("-inf")
                total = (scores.unsqueeze(-1) + logp.view(batch, beam, vocab)).view(batch, -1)
                scores, flat = total.topk(beam, dim=-1)  # (B, K)
                parent, token = flat // vocab, flat % vocab
                history = torch.cat([history[rows, parent], token.unsqueeze(-1)], dim=-1)
                pick = (rows * beam + parent).view(-1)  # (B*K,) rows of the parents
                state = state[:, pick]
                sounding = (token.view(-1) >= 2) | (sounding[pick] & (token.view(-1) == HOLD))
                prev = token.view(-1)
            return history[:, 0]  # topk sorts: beam 0 is the best

        def forward(
            self, tokens: torch.Tensor, word_dropout: float = 0.0
        ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
            mu, logvar = self.encode(tokens)
            z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
            return self.decode_logits(z, tokens, word_dropout), mu, logvar

    return MelodyVAENetwork


def build_network(config: VAEConfig) -> Any:
    return _network_class()(config)


def loss_terms(
    network: Any, tokens: torch.Tensor, word_dropout: float = 0.0
) -> dict[str, torch.Tensor]:
    """Reconstruction cross-entropy, KL (whole latent, nats) and teacher-forced accuracy."""
    import torch.nn.functional as F

    logits, mu, logvar = network(tokens, word_dropout)
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
        raise BadInput(message("music.melody_empty"))
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
    # A kernel density over training windows' latent means (see ``fit_code_density``):
    # new latents are drawn from it instead of N(0, I) when the weights carry it.
    codes: np.ndarray | None = None  # (K, Z) a bank of training codes
    code_scale: np.ndarray | None = (
        None  # (Z, Z) lower-triangular: the codes' covariance is L @ L.T
    )
    code_bandwidth: float = CODE_BANDWIDTH  # kernel width as a share of the codes' spread

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
        density = {k: v.numpy() for k, v in state.items() if k.startswith("density.")}
        weights = {k: v for k, v in state.items() if not k.startswith(("attribute.", "density."))}
        network = build_network(config)
        network.load_state_dict(weights)
        network.eval()
        return cls(
            network,
            config,
            attributes,
            json.loads(meta.get("info", "{}")),
            density.get("density.codes"),
            density.get("density.scale_tril"),
            float(density["density.bandwidth"][0])
            if "density.bandwidth" in density
            else CODE_BANDWIDTH,
        )

    def save(self, path: Path, info: dict[str, Any] | None = None) -> None:
        from safetensors.torch import save_file

        tensors = {k: v.detach().contiguous() for k, v in self.network.state_dict().items()}
        import torch

        for name, vec in self.attributes.items():
            tensors[f"attribute.{name}"] = torch.as_tensor(vec, dtype=torch.float32)
        if self.codes is not None and self.code_scale is not None:
            tensors["density.codes"] = torch.as_tensor(self.codes, dtype=torch.float32)
            tensors["density.scale_tril"] = torch.as_tensor(self.code_scale, dtype=torch.float32)
            tensors["density.bandwidth"] = torch.tensor([self.code_bandwidth])
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
        """The melody (C * 32 tokens) for latents (C, Z).

        Temperature 0 is the decoder's most likely melody (a beam search of
        ``DECODE_BEAM``); above 0, tokens are sampled one by one at that temperature.
        """
        import torch

        z = np.atleast_2d(np.asarray(z, dtype=np.float32))
        gen = torch.Generator().manual_seed(int(seed))
        with torch.no_grad():
            if temperature <= 0:
                tokens = self.network.decode_beam(torch.as_tensor(z), DECODE_BEAM)
            else:
                tokens = self.network.decode(torch.as_tensor(z), temperature, gen)
        return canonical(tokens.reshape(-1).numpy())

    def sample_latents(self, chunks_count: int, seed: int) -> np.ndarray:
        """New latents (C, Z): from the code density if the weights carry one.

        The prior N(0, I) is the right source only when the posteriors fill it; with
        the many free bits this VAE trains with, they do not, and N(0, I) draws decode
        to melodies that wander out of key. A kernel density over training codes (a
        random code plus Gaussian noise shaped like the codes' spread) samples where the
        posteriors are, as the image VAE draws around its training codes.
        """
        rng = np.random.default_rng(seed)
        noise = rng.standard_normal((chunks_count, self.config.latent)).astype(np.float32)
        if self.codes is None:
            return noise
        picked = self.codes[rng.integers(0, len(self.codes), chunks_count)]
        return (picked + self.code_bandwidth * self._shape_noise(noise)).astype(np.float32)

    def _shape_noise(self, noise: np.ndarray) -> np.ndarray:
        """Unit-normal noise (C, Z) with the codes' covariance (unchanged without one)."""
        if self.code_scale is None:
            return noise.astype(np.float32)
        return (noise @ self.code_scale.T).astype(np.float32)

    def sample(self, bars: int = 2, seed: int = 0, temperature: float = 0.0) -> np.ndarray:
        """A new melody of ``bars`` bars (rounded up to whole 2-bar chunks)."""
        z = self.sample_latents(max(1, -(-bars // 2)), seed)
        return self.decode(z, temperature, seed)[: bars * 16]

    def interpolate(self, a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
        """The latent between ``a`` and ``b`` (same shape) at ``t`` in [0, 1], by slerp."""
        if a.shape != b.shape:
            raise BadInput(message("music.morph_bars"))
        return np.stack([slerp(x, y, t) for x, y in zip(a, b, strict=True)]).astype(np.float32)

    def with_attributes(self, z: np.ndarray, amounts: dict[str, float]) -> np.ndarray:
        """``z`` moved along the attribute directions by the given amounts (-1..1 a unit)."""
        out = np.array(z, dtype=np.float32, copy=True)
        for name, amount in amounts.items():
            if name in self.attributes and amount:
                out += float(amount) * self.attributes[name][None, :]
        return out

    def variations(self, z: np.ndarray, count: int, spread: float, seed: int) -> list[np.ndarray]:
        """Latents near ``z``: ``spread`` is the noise's share of the codes' own spread
        (of a unit normal where the weights carry no fitted density)."""
        rng = np.random.default_rng(seed)
        return [
            (z + spread * self._shape_noise(rng.standard_normal(z.shape))).astype(np.float32)
            for _ in range(count)
        ]


def fit_code_density(latents: np.ndarray, bank: int = 4096) -> tuple[np.ndarray, np.ndarray]:
    """A bank of ``bank`` codes (K, Z) and the Cholesky factor (Z, Z) of their covariance.

    Sampling from a density fitted to the training set's posterior codes rather than the
    prior is the usual repair when a VAE is trained with a low KL weight or many free
    bits ("ex-post density estimation", Ghosh et al., "From Variational to Deterministic
    Autoencoders", ICLR 2020); here a Gaussian kernel density, whose kernel is the
    codes' covariance times ``CODE_BANDWIDTH``.
    """
    latents = np.asarray(latents, dtype=np.float64)
    cov = np.cov(latents, rowvar=False) + 1e-4 * np.eye(latents.shape[1])
    return latents[:bank].astype(np.float32), np.linalg.cholesky(cov).astype(np.float32)


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
