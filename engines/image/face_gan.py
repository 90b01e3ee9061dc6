"""Faces of people who do not exist: the DCGAN shipped by the ``gan-face-generate`` package.

Only its weights are used (the package is installed with ``--no-deps``; its code imports
matplotlib and torchvision, which the studio does not need). The generator is the
PyTorch DCGAN tutorial's (Radford et al. 2016): z (100) -> 64x64 RGB, trained on
DigiFace-1M, whose licence allows non-commercial research only: the catalogue marks the
model opt-in and shows that note.

GANSpace directions (Härkönen et al. 2020) are found at load time, with a fixed seed, from
the first layer's activations, as for the emoji GAN.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from engines.errors import BadInput
from engines.image.base import (
    NATIVE_SIZE,
    ImageEngine,
    format_parameters,
    resize_output,
)
from engines.image.types import ImageRequest, ImageResult, LatentDirection
from engines.jobs import JobContext
from engines.messages import message

if TYPE_CHECKING:
    import torch
    from PIL import Image

Z_DIM, WIDTH = 100, 64


def build_generator() -> Any:
    """The tutorial's generator, with its state-dict names (``main.N.*``)."""
    from torch import nn

    class Generator(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            w = WIDTH
            layers: list[nn.Module] = []
            widths = (Z_DIM, 8 * w, 4 * w, 2 * w, w)
            for i in range(4):
                stride, pad = (1, 0) if i == 0 else (2, 1)
                layers += [
                    nn.ConvTranspose2d(widths[i], widths[i + 1], 4, stride, pad, bias=False),
                    nn.BatchNorm2d(widths[i + 1]),
                    nn.ReLU(True),
                ]
            layers += [nn.ConvTranspose2d(w, 3, 4, 2, 1, bias=False), nn.Tanh()]
            self.main = nn.Sequential(*layers)

        def features(self, z: torch.Tensor) -> torch.Tensor:
            return self.main[:3](z[:, :, None, None])  # (B, 512, 4, 4)

        def forward(self, z: torch.Tensor) -> torch.Tensor:
            return self.main(z[:, :, None, None])  # (B, 3, 64, 64) in [-1, 1]

    return Generator()


class FaceGANEngine(ImageEngine):
    """Sampling, slerp interpolation and GANSpace sliders for the face DCGAN."""

    family = "gan"

    def __init__(self, model_id: str, weights: Path, licence_note: str = "") -> None:
        import torch

        from engines import device

        self.model_id = model_id
        self.model_file = weights
        self.licence_note = licence_note
        self.torch = torch
        self.device = device.current().torch_device
        self.generator = build_generator()
        try:
            # weights_only: the file is a pickle; only tensors and plain containers load.
            state = torch.load(weights, map_location="cpu", weights_only=True)
            self.generator.load_state_dict(state["netG_state_dict"])
        except Exception as exc:
            raise BadInput(message("face.bad_weights", path=weights, reason=exc)) from None
        self.generator.eval().to(self.device)
        self._directions, self._spread = self._ganspace(8)

    def _ganspace(self, count: int) -> tuple[torch.Tensor, torch.Tensor]:
        torch = self.torch
        with torch.no_grad():
            z = torch.randn(1024, Z_DIM, generator=torch.Generator().manual_seed(0))
            acts = self.generator.features(z.to(self.device)).flatten(1).cpu()
            acts = acts - acts.mean(0)
            # The leading components from the small (N x N) Gram matrix: a full SVD of
            # (1024, 8192) took most of a minute on a busy CPU.
            _, vectors = torch.linalg.eigh(acts @ acts.T)
            scores = acts @ (acts.T @ vectors[:, -count:].flip(1))  # (N, count), up to scale
            scores = scores / scores.norm(dim=0, keepdim=True)
            solution = torch.linalg.lstsq(scores, z).solution
            directions = solution / solution.norm(dim=1, keepdim=True)
            return directions, (z @ directions.T).std(0)

    def latent_shape(self) -> tuple[int, ...]:
        return (Z_DIM,)

    def decode(self, latent: torch.Tensor) -> list[Image.Image]:
        from PIL import Image

        with self.torch.no_grad():
            x = self.generator(latent.to(self.device)).cpu()
        pixels = ((x.clamp(-1, 1) + 1) * 127.5).round().to(self.torch.uint8).permute(0, 2, 3, 1)
        return [Image.fromarray(p.numpy(), "RGB").convert("RGBA") for p in pixels]

    def directions(self) -> list[LatentDirection]:
        return [
            LatentDirection(i, f"component {i + 1}", float(s))
            for i, s in enumerate(self._spread.tolist())
        ]

    def move(self, latent: torch.Tensor, index: int, amount: float) -> torch.Tensor:
        if not 0 <= index < len(self._directions):
            raise BadInput(message("image.no_direction", model=self.model_id, index=index))
        return latent + amount * self._directions[index].to(latent.dtype)

    def generate(self, request: ImageRequest, ctx: JobContext) -> ImageResult:
        seed, size, notices = self._checked(request)
        if self.licence_note:
            notices.append(self.licence_note)
        pictures = []
        for i in range(request.batch):
            picture = self.decode(self.random_latent(seed + i))[0]
            pictures.append(resize_output(picture, size))
            ctx.keep_partial(pictures)
            ctx.report(i + 1, request.batch, preview=picture)
        settings = {"Size": f"{size}x{size}", "Native": f"{NATIVE_SIZE}x{NATIVE_SIZE}"}
        params = format_parameters(
            request.prompt, self.model_id, seed, settings, model_hash=self.model_hash()
        )
        return ImageResult(tuple(pictures), self.model_id, seed, params, tuple(notices))
