"""A light 4x upscaler for 64x64 RGBA emoji (64 -> 256), trained with a pixel (L1) loss
plus a small adversarial term from a patch discriminator, as in SRGAN (Ledig et al. 2017,
"Photo-Realistic Single Image Super-Resolution Using a Generative Adversarial Network")
and its light real-time relatives (ESPCN: Shi et al. 2016, "Real-Time Single Image and
Video Super-Resolution Using an Efficient Sub-Pixel Convolutional Neural Network").

Speed decides the shape: a slider frame (decode plus upscale) must take 30 ms or less on
one CPU thread. So every convolution runs at 64x64, and a sub-pixel convolution (pixel
shuffle) makes the 256x256 picture in one step, added to a bilinear enlargement of the
input: the network only learns the detail that bilinear misses.

Pixels are the VAE's four channels in [-1, 1] (colour composited on white, then alpha),
so the VAE's ``rgba_to_tensor`` / ``tensor_to_rgba`` convert in and out.

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
class UpscalerConfig:
    """Shape of the network; saved in the weights file's metadata."""

    image_channels: int = 4  # colour on white + alpha
    width: int = 24  # channels of every 64x64 layer; the frame budget sets it
    blocks: int = 2  # residual blocks (two 3x3 convolutions each) at 64x64
    scale: int = 4


class ResBlock(nn.Module):
    def __init__(self, ch: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(ch, ch, 3, padding=1)
        self.conv2 = nn.Conv2d(ch, ch, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # No normalisation: it costs time and shifts colours between small and large batches.
        return x + self.conv2(F.relu(self.conv1(x), inplace=True))


class Upscaler(nn.Module):
    """(B, 4, H, W) in [-1, 1] -> (B, 4, 4H, 4W) in [-1, 1]."""

    def __init__(self, cfg: UpscalerConfig) -> None:
        super().__init__()
        self.cfg = cfg
        w, c, s = cfg.width, cfg.image_channels, cfg.scale
        self.head = nn.Conv2d(c, w, 3, padding=1)  # (B, w, H, W)
        self.body = nn.Sequential(*[ResBlock(w) for _ in range(cfg.blocks)])
        # 1x1: a 3x3 here cost as much as the whole body (it has c*s*s = 64 outputs).
        self.tail = nn.Conv2d(w, c * s * s, 1)  # (B, c*s*s, H, W)
        # Start as plain bilinear: the learned residual begins at zero.
        for parameter in self.tail.parameters():
            nn.init.zeros_(parameter)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        s = self.cfg.scale
        base = F.interpolate(x, scale_factor=float(s), mode="bilinear", align_corners=False)
        h = F.relu(self.head(x), inplace=True)
        detail = F.pixel_shuffle(self.tail(self.body(h)), s)  # (B, c, sH, sW)
        return (base + detail).clamp(-1.0, 1.0)


class PatchDiscriminator(nn.Module):
    """(B, 4, H, W) -> a grid of real/fake logits, one per overlapping patch (PatchGAN:
    Isola et al. 2017, "Image-to-Image Translation with Conditional Adversarial
    Networks"). Used only in training."""

    def __init__(self, channels: int = 4, width: int = 32) -> None:
        super().__init__()
        w = width
        self.net = nn.Sequential(
            nn.Conv2d(channels, w, 4, 2, 1),  # (B, w, H/2, W/2)
            nn.LeakyReLU(0.2, True),
            nn.Conv2d(w, 2 * w, 4, 2, 1),  # (B, 2w, H/4, W/4)
            nn.LeakyReLU(0.2, True),
            nn.Conv2d(2 * w, 4 * w, 4, 2, 1),  # (B, 4w, H/8, W/8)
            nn.LeakyReLU(0.2, True),
            nn.Conv2d(4 * w, 1, 3, 1, 1),  # (B, 1, H/8, W/8)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


# --- weights files ------------------------------------------------------------------


def save(model: Upscaler, path: Path, extra: dict[str, str] | None = None) -> None:
    from safetensors.torch import save_file

    meta = {"family": "upscaler", "config": json.dumps(asdict(model.cfg)), **(extra or {})}
    state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    save_file(state, str(path), metadata=meta)


def load(path: Path, device: str | torch.device = "cpu") -> Upscaler:
    from safetensors import safe_open
    from safetensors.torch import load_file

    with safe_open(str(path), framework="pt") as f:
        meta = f.metadata() or {}
    if meta.get("family") != "upscaler":
        raise ValueError(f"{path} is not an emoji upscaler weights file")
    model = Upscaler(UpscalerConfig(**json.loads(meta["config"])))
    model.load_state_dict(load_file(str(path), device=str(device)))
    return model.eval().to(device)
