"""An emoji-category classifier for 64x64 RGBA emoji: the measuring stick of the
evaluation, not a feature of the app.

It sorts a picture into the Unicode emoji groups (Smileys & Emotion, Animals & Nature,
Flags, ...). Its penultimate features stand in for Inception's in the kernel inception
distance (KID: Binkowski et al. 2018, "Demystifying MMD GANs"), because an ImageNet
network cannot be had offline and would know little about emoji anyway; and its
decisions say whether a diffusion sample for a category prompt shows that category.

Pixels are the VAE's four channels in [-1, 1] (colour on white, then alpha).

Imports torch at module level: import this file only inside a function.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn


@dataclass(frozen=True)
class ClassifierConfig:
    """Shape of the network and the names of its classes; saved in the weights' metadata."""

    categories: tuple[str, ...] = ()
    image_channels: int = 4
    width: int = 16  # channels at 32 pixels; doubled at each halving after that
    features: int = 128  # the penultimate layer, which KID measures


def _block(cin: int, cout: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
        nn.MaxPool2d(2),
    )


class EmojiClassifier(nn.Module):
    """(B, 4, 64, 64) -> logits (B, categories); ``features`` gives the penultimate layer."""

    def __init__(self, cfg: ClassifierConfig) -> None:
        super().__init__()
        self.cfg = cfg
        w = cfg.width
        self.stem = nn.Sequential(  # (B, w, 32, 32)
            nn.Conv2d(cfg.image_channels, w, 3, stride=2, padding=1, bias=False),
            nn.BatchNorm2d(w),
            nn.ReLU(inplace=True),
        )
        self.body = nn.Sequential(
            _block(w, 2 * w),  # (B, 2w, 16, 16)
            _block(2 * w, 4 * w),  # (B, 4w, 8, 8)
            _block(4 * w, 4 * w),  # (B, 4w, 4, 4)
        )
        self.embed = nn.Linear(4 * w, cfg.features)
        self.dropout = nn.Dropout(0.3)
        self.head = nn.Linear(cfg.features, len(cfg.categories))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        h = self.body(self.stem(x)).mean(dim=(2, 3))  # (B, 4w)
        return F.relu(self.embed(h))  # (B, features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.dropout(self.features(x)))


# --- kernel inception distance --------------------------------------------------------


def kid(
    real: torch.Tensor, fake: torch.Tensor, subset: int = 100, subsets: int = 50, seed: int = 0
) -> tuple[float, float]:
    """KID (mean, standard deviation over subsets) between two feature sets (N, D).

    The unbiased estimator of the squared MMD with the polynomial kernel
    k(x, y) = (x.y / D + 1)^3, averaged over random subsets of ``subset`` rows of each
    set, as in Binkowski et al. 2018 (and torch-fidelity / clean-fid)."""
    real, fake = real.double(), fake.double()
    d = real.shape[1]
    m = min(subset, len(real), len(fake))
    gen = torch.Generator().manual_seed(seed)
    values = []
    for _ in range(subsets):
        x = real[torch.randperm(len(real), generator=gen)[:m]]
        y = fake[torch.randperm(len(fake), generator=gen)[:m]]
        kxx = (x @ x.T / d + 1) ** 3
        kyy = (y @ y.T / d + 1) ** 3
        kxy = (x @ y.T / d + 1) ** 3
        off = m * (m - 1)
        mmd = (
            (kxx.sum() - kxx.diagonal().sum()) / off
            + (kyy.sum() - kyy.diagonal().sum()) / off
            - 2 * kxy.mean()
        )
        values.append(float(mmd))
    t = torch.tensor(values)
    return float(t.mean()), float(t.std())


# --- weights files ------------------------------------------------------------------


def save(model: EmojiClassifier, path: Path, extra: dict[str, str] | None = None) -> None:
    from safetensors.torch import save_file

    meta = {"family": "classifier", "config": json.dumps(asdict(model.cfg)), **(extra or {})}
    state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    save_file(state, str(path), metadata=meta)


def load(path: Path, device: str | torch.device = "cpu") -> EmojiClassifier:
    from safetensors import safe_open
    from safetensors.torch import load_file

    with safe_open(str(path), framework="pt") as f:
        meta = f.metadata() or {}
    if meta.get("family") != "classifier":
        raise ValueError(f"{path} is not an emoji classifier weights file")
    raw = json.loads(meta["config"])
    raw["categories"] = tuple(raw["categories"])
    model = EmojiClassifier(ClassifierConfig(**raw))
    model.load_state_dict(load_file(str(path), device=str(device)))
    return model.eval().to(device)
