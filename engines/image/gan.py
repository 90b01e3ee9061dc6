"""A DCGAN for emoji (Radford, Metz & Chintala 2016, "Unsupervised Representation Learning
with Deep Convolutional Generative Adversarial Networks"), with GANSpace latent
directions (Härkönen et al. 2020, "GANSpace: Discovering Interpretable GAN Controls").

The generator makes 32x32 pictures (colour on white + alpha, in [-1, 1], the same
four channels as the VAE); the engine upsamples them. At 32 pixels a CPU trains it
four times faster than at 64, and the emoji's shapes are already readable there.

GANSpace: sample many z, take the first layer's activations, find their principal
components, then regress z on the component scores; the regression's rows are
directions in z that move along those components. They are saved beside the weights
and become sliders.

Imports torch at module level: import this file only inside an engine's ``load()``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from torch import nn


@dataclass(frozen=True)
class GANConfig:
    """Shape of the networks; saved in the weights file's metadata."""

    z_dim: int = 64
    image_channels: int = 4
    width: int = 48  # channels of the last hidden layer; earlier layers double it
    image_size: int = 32


class Generator(nn.Module):
    """z (B, z_dim) -> image (B, 4, 32, 32) in [-1, 1]."""

    def __init__(self, cfg: GANConfig) -> None:
        super().__init__()
        w = cfg.width
        self.cfg = cfg
        self.stem = nn.Sequential(  # the activations GANSpace analyses: (B, 4w, 4, 4)
            nn.ConvTranspose2d(cfg.z_dim, 4 * w, 4, 1, 0, bias=False),
            nn.BatchNorm2d(4 * w),
            nn.ReLU(True),
        )
        self.body = nn.Sequential(
            nn.ConvTranspose2d(4 * w, 2 * w, 4, 2, 1, bias=False),  # (B, 2w, 8, 8)
            nn.BatchNorm2d(2 * w),
            nn.ReLU(True),
            nn.ConvTranspose2d(2 * w, w, 4, 2, 1, bias=False),  # (B, w, 16, 16)
            nn.BatchNorm2d(w),
            nn.ReLU(True),
            nn.ConvTranspose2d(w, cfg.image_channels, 4, 2, 1),  # (B, 4, 32, 32)
            nn.Tanh(),
        )

    def features(self, z: torch.Tensor) -> torch.Tensor:
        return self.stem(z[:, :, None, None])

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.body(self.features(z))


class Discriminator(nn.Module):
    """image (B, 4, 32, 32) -> one logit per image."""

    def __init__(self, cfg: GANConfig) -> None:
        super().__init__()
        w = cfg.width
        self.net = nn.Sequential(
            nn.Conv2d(cfg.image_channels, w, 4, 2, 1),  # (B, w, 16, 16)
            nn.LeakyReLU(0.2, True),
            nn.Conv2d(w, 2 * w, 4, 2, 1, bias=False),  # (B, 2w, 8, 8)
            nn.BatchNorm2d(2 * w),
            nn.LeakyReLU(0.2, True),
            nn.Conv2d(2 * w, 4 * w, 4, 2, 1, bias=False),  # (B, 4w, 4, 4)
            nn.BatchNorm2d(4 * w),
            nn.LeakyReLU(0.2, True),
            nn.Conv2d(4 * w, 1, 4, 1, 0),  # (B, 1, 1, 1)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x).flatten()


def init_weights(module: nn.Module) -> None:
    """DCGAN's initialisation: N(0, 0.02) for convolutions, N(1, 0.02) for batch norm."""
    if isinstance(module, nn.Conv2d | nn.ConvTranspose2d):
        nn.init.normal_(module.weight, 0.0, 0.02)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)


@torch.no_grad()
def ganspace_directions(
    generator: Generator, count: int = 8, samples: int = 4096, seed: int = 0
) -> tuple[torch.Tensor, torch.Tensor]:
    """Directions in z (count, z_dim), unit length, and the spread (std) of each component.

    PCA of the first layer's activations; each component is carried back to z by least
    squares (GANSpace's recipe for networks without an intermediate latent).
    """
    gen = torch.Generator().manual_seed(seed)
    z = torch.randn(samples, generator.cfg.z_dim, generator=gen)
    acts = generator.features(z).flatten(1)  # (N, D)
    acts = acts - acts.mean(0)
    _, _, vh = torch.linalg.svd(acts, full_matrices=False)
    scores = acts @ vh[:count].T  # (N, count)
    # z ≈ scores @ B: row k of B is how z moves per unit of component k.
    solution = torch.linalg.lstsq(scores, z).solution  # (count, z_dim)
    directions = solution / solution.norm(dim=1, keepdim=True)
    spread = (z @ directions.T).std(0)
    return directions.contiguous(), spread.contiguous()


def save(generator: Generator, path: Path, extra: dict[str, str] | None = None) -> None:
    from safetensors.torch import save_file

    meta = {"family": "gan", "config": json.dumps(asdict(generator.cfg)), **(extra or {})}
    state = {k: v.detach().contiguous() for k, v in generator.state_dict().items()}
    save_file(state, str(path), metadata=meta)


def load(path: Path, device: str | torch.device = "cpu") -> Generator:
    from safetensors import safe_open
    from safetensors.torch import load_file

    with safe_open(str(path), framework="pt") as f:
        meta = f.metadata() or {}
    if meta.get("family") != "gan":
        raise ValueError(f"{path} is not an emoji GAN weights file")
    generator = Generator(GANConfig(**json.loads(meta["config"])))
    generator.load_state_dict(load_file(str(path), device=str(device)))
    return generator.eval().to(device)
