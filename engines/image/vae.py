"""A small convolutional VAE for 64x64 RGBA emoji (Kingma & Welling 2014, "Auto-Encoding
Variational Bayes").

Pixels are four channels in [-1, 1]: the colour composited on white, then alpha. That is
the picture people see (and what PSNR is measured on), and straight RGBA comes back from
it exactly wherever alpha is not zero. The encoder halves the size twice, 64 -> 16, and
gives a Gaussian posterior over a (4, 16, 16) latent; the decoder mirrors it. The first
stage has no residual blocks at full resolution: they dominated the step time on a CPU
and added little.

Imports torch at module level: import this file only inside an engine's ``load()``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn


@dataclass(frozen=True)
class VAEConfig:
    """Shape of the network; saved in the weights file's metadata."""

    image_channels: int = 4  # colour on white + alpha
    latent_channels: int = 4
    # Channels at 64, 32 and 16 pixels. Kept small: it trains on a shared 2-core CPU.
    channels: tuple[int, ...] = (16, 48, 96)
    blocks: int = 1  # residual blocks at each of the two lower resolutions
    # Multiplies latents so diffusion sees roughly unit variance; set after training.
    latent_scale: float = 1.0
    # Per-channel mean of the training latents: random codes are drawn around it.
    latent_mean: tuple[float, ...] = (0.0, 0.0, 0.0, 0.0)


def _norm(ch: int) -> nn.GroupNorm:
    return nn.GroupNorm(min(8, ch), ch)


class ResBlock(nn.Module):
    def __init__(self, ch: int) -> None:
        super().__init__()
        self.body = nn.Sequential(
            _norm(ch), nn.SiLU(), nn.Conv2d(ch, ch, 3, padding=1), _norm(ch), nn.SiLU(),
            nn.Conv2d(ch, ch, 3, padding=1),
        )  # fmt: skip

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.body(x)


class Encoder(nn.Module):
    def __init__(self, cfg: VAEConfig) -> None:
        super().__init__()
        c0, c1, c2 = cfg.channels
        self.net = nn.Sequential(
            nn.Conv2d(cfg.image_channels, c0, 3, padding=1),  # (B, c0, 64, 64)
            nn.SiLU(),
            nn.Conv2d(c0, c1, 4, stride=2, padding=1),  # (B, c1, 32, 32)
            *[ResBlock(c1) for _ in range(cfg.blocks)],
            nn.Conv2d(c1, c2, 4, stride=2, padding=1),  # (B, c2, 16, 16)
            *[ResBlock(c2) for _ in range(cfg.blocks)],
            _norm(c2),
            nn.SiLU(),
            nn.Conv2d(c2, 2 * cfg.latent_channels, 3, padding=1),  # mean and log-variance
        )

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        mean, logvar = self.net(x).chunk(2, dim=1)
        return mean, logvar.clamp(-20.0, 10.0)


class Decoder(nn.Module):
    def __init__(self, cfg: VAEConfig) -> None:
        super().__init__()
        c0, c1, c2 = cfg.channels
        self.net = nn.Sequential(
            nn.Conv2d(cfg.latent_channels, c2, 3, padding=1),  # (B, c2, 16, 16)
            *[ResBlock(c2) for _ in range(cfg.blocks)],
            nn.Upsample(scale_factor=2.0, mode="nearest"),
            nn.Conv2d(c2, c1, 3, padding=1),  # (B, c1, 32, 32)
            *[ResBlock(c1) for _ in range(cfg.blocks)],
            nn.Upsample(scale_factor=2.0, mode="nearest"),
            nn.Conv2d(c1, c0, 3, padding=1),  # (B, c0, 64, 64)
            _norm(c0),
            nn.SiLU(),
            nn.Conv2d(c0, cfg.image_channels, 3, padding=1),
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z)


class EmojiVAE(nn.Module):
    """Encoder + decoder; ``encode`` gives the posterior, ``decode`` pixels in [-1, 1]."""

    def __init__(self, cfg: VAEConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.encoder = Encoder(cfg)
        self.decoder = Decoder(cfg)

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.encoder(x)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(z)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        mean, logvar = self.encode(x)
        z = mean + torch.randn_like(mean) * (0.5 * logvar).exp()  # reparameterisation
        return self.decode(z), mean, logvar


def vae_loss(
    x: torch.Tensor, recon: torch.Tensor, mean: torch.Tensor, logvar: torch.Tensor, kl_weight: float
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Mean squared error per pixel plus a lightly weighted KL term (per image, summed)."""
    mse = F.mse_loss(recon.float(), x)
    kl = 0.5 * (mean.float().pow(2) + logvar.float().exp() - 1.0 - logvar.float())
    kl = kl.flatten(1).sum(1).mean()
    return mse + kl_weight * kl, mse, kl


# --- pixels <-> tensors -------------------------------------------------------------


def rgba_to_tensor(rgba: torch.Tensor) -> torch.Tensor:
    """(B, 64, 64, 4) uint8 straight RGBA -> (B, 4, 64, 64) in [-1, 1], colour on white."""
    x = rgba.float().permute(0, 3, 1, 2) / 255.0
    alpha = x[:, 3:4]
    on_white = x[:, :3] * alpha + (1.0 - alpha)
    return torch.cat([on_white, alpha], dim=1) * 2.0 - 1.0


def tensor_to_rgba(x: torch.Tensor) -> torch.Tensor:
    """Inverse of :func:`rgba_to_tensor`: (B, 4, H, W) -> (B, H, W, 4) uint8 straight RGBA."""
    x = ((x.float().clamp(-1.0, 1.0) + 1.0) / 2.0).permute(0, 2, 3, 1)
    on_white, alpha = x[..., :3], x[..., 3:4]
    # Undo compositing where there is something to see; fully clear pixels stay white.
    straight = (on_white - (1.0 - alpha)) / alpha.clamp_min(1e-3)
    straight = torch.where(alpha > 1e-3, straight, torch.ones_like(straight)).clamp(0.0, 1.0)
    return (torch.cat([straight, alpha], dim=-1) * 255.0).round().to(torch.uint8)


def on_white(x: torch.Tensor) -> torch.Tensor:
    """(B, 4, H, W) in [-1, 1] -> (B, 3, H, W) in [0, 1]: what a person sees on white."""
    return ((x[:, :3].float().clamp(-1.0, 1.0)) + 1.0) / 2.0


def psnr_on_white(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Per-image PSNR in dB of two (B, 4, H, W) batches, composited on white."""
    mse = (on_white(a) - on_white(b)).pow(2).flatten(1).mean(1).clamp_min(1e-10)
    return 10.0 * torch.log10(1.0 / mse)


# --- weights files ------------------------------------------------------------------


def save(model: EmojiVAE, path: Path, extra: dict[str, str] | None = None) -> None:
    from safetensors.torch import save_file

    cfg = asdict(model.cfg)
    meta = {"family": "vae", "config": json.dumps(cfg), **(extra or {})}
    state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    save_file(state, str(path), metadata=meta)


def load(path: Path, device: str | torch.device = "cpu") -> EmojiVAE:
    from safetensors import safe_open
    from safetensors.torch import load_file

    with safe_open(str(path), framework="pt") as f:
        meta = f.metadata() or {}
    if meta.get("family") != "vae":
        raise ValueError(f"{path} is not an emoji VAE weights file")
    raw = json.loads(meta["config"])
    raw["channels"] = tuple(raw["channels"])
    raw["latent_mean"] = tuple(raw.get("latent_mean", (0.0,) * raw["latent_channels"]))
    model = EmojiVAE(VAEConfig(**raw))
    model.load_state_dict(load_file(str(path), device=str(device)))
    return model.eval().to(device)
