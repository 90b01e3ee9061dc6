"""Pictures to test the watermark on: the committed sheets of the studio's own model
outputs (tests/bench/image-evaluation), cut into tiles and upscaled as the studio's
upscaler would show them, and synthesised textured pictures (noise at several scales,
edges, gradients and flat areas, like photographs' mix). No network, no data sets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import Image

SHEETS = Path(__file__).resolve().parent / "bench" / "image-evaluation"


def model_output_tiles(size: int = 512, tile: int = 256) -> Iterator[np.ndarray]:
    """256-pixel tiles of the model-output sheets, upscaled to ``size``."""
    for sheet in sorted(SHEETS.glob("*.png")):
        im = Image.open(sheet).convert("RGB")
        step = tile if im.height >= tile else im.height
        for top in range(0, im.height - step + 1, step):
            for left in range(0, im.width - step + 1, step):
                crop = im.crop((left, top, left + step, top + step))
                yield np.asarray(crop.resize((size, size), Image.Resampling.BICUBIC))


def textured(seed: int, size: int = 512) -> np.ndarray:
    """A synthetic 'photograph': smooth colour fields, fine grain, shapes with edges."""
    from scipy.ndimage import gaussian_filter

    rng = np.random.default_rng(seed)
    planes = []
    for _ in range(3):
        coarse = gaussian_filter(rng.normal(0, 1, (size, size)), rng.uniform(8, 40))
        fine = gaussian_filter(rng.normal(0, 1, (size, size)), rng.uniform(0.5, 2))
        plane = coarse / (coarse.std() + 1e-9) * 40 + fine / (fine.std() + 1e-9) * 12
        planes.append(plane)
    image = np.stack(planes, -1) + rng.uniform(60, 190, 3)
    yy, xx = np.mgrid[:size, :size]
    for _ in range(rng.integers(3, 9)):  # discs and boxes: sharp edges, flat insides
        cy, cx = rng.integers(0, size, 2).tolist()
        r = int(rng.integers(size // 16, size // 4))
        mask = (
            (yy - cy) ** 2 + (xx - cx) ** 2 < r**2
            if rng.random() < 0.5
            else ((abs(yy - cy) < r) & (abs(xx - cx) < r // 2))
        )
        image[mask] = rng.uniform(0, 255, 3)
    image += (xx / size * rng.uniform(-40, 40))[..., None]  # a light gradient
    return np.clip(image, 0, 255).astype(np.uint8)


def sample_pictures(count: int = 100) -> list[np.ndarray]:
    """``count`` pictures: the model-output tiles first, then textured ones."""
    pictures = list(model_output_tiles())[: count // 2]
    seed = 0
    while len(pictures) < count:
        pictures.append(textured(seed))
        seed += 1
    return pictures
