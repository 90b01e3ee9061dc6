"""Measure the shipped emoji models and save contact sheets for people to look at.

    python -m engines.image.evaluate --out /tmp/image-eval

Prints JSON: the VAE's held-out PSNR (composited on white), DCGAN sample diversity,
diffusion time per step, and for colour prompts the share of samples whose dominant
colour is the one asked for. Held-out images come from ``tests/image/data``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np

HELD_OUT = Path(__file__).resolve().parents[2] / "tests/image/data/heldout64.npz"
PROMPTS = (
    "red heart", "yellow smiling face", "green apple", "red apple", "blue heart",
    "cat face", "pizza", "rocket", "sun", "christmas tree", "purple heart", "fire",
    "dog face", "flag", "star", "grinning face with big eyes",
)  # fmt: skip
COLOUR_PROMPTS = (
    ("red heart", "red"), ("blue heart", "blue"), ("green heart", "green"),
    ("yellow heart", "yellow"), ("purple heart", "purple"), ("orange heart", "orange"),
    ("red apple", "red"), ("green apple", "green"),
)  # fmt: skip


def sheet(pictures: list[Any], columns: int, cell: int = 64) -> Any:
    """Pictures on a white grid."""
    from PIL import Image

    rows = (len(pictures) + columns - 1) // columns
    out = Image.new("RGB", (columns * cell, rows * cell), "white")
    for i, p in enumerate(pictures):
        tile = p.resize((cell, cell)) if p.size != (cell, cell) else p
        out.paste(tile, ((i % columns) * cell, (i // columns) * cell), tile)
    return out


def vae_held_out_psnr(engine: Any, images: np.ndarray) -> float:
    import torch

    from engines.image.vae import psnr_on_white, rgba_to_tensor

    x = rgba_to_tensor(torch.from_numpy(images))
    with torch.no_grad():
        mean, _ = engine.vae.encode(x)
        return float(psnr_on_white(engine.vae.decode(mean), x).mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/image-eval"))
    parser.add_argument("--samples", type=int, default=4, help="samples per prompt")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    from PIL import Image

    from engines.image.api import load_engine
    from engines.image.build_dataset import dominant_colour
    from engines.image.types import ImageRequest
    from engines.jobs import JobContext

    report: dict[str, object] = {}
    held = np.load(HELD_OUT)
    vae = load_engine("emoji-vae")
    report["vae_held_out_psnr_db"] = round(vae_held_out_psnr(vae, held["images"]), 2)
    # Reconstructions (top) under originals, and interpolations between pairs.
    originals = [Image.fromarray(a, "RGBA") for a in held["images"][:16]]
    recon = [vae.decode(vae.encode(p))[0] for p in originals]
    sheet(originals + recon, 16).save(args.out / "vae-reconstructions.png")
    frames = []
    for a, b in ((0, 1), (2, 3), (4, 5), (6, 7)):
        za, zb = vae.encode(originals[a]), vae.encode(originals[b])
        frames += [vae.decode(vae.interpolate(za, zb, t / 7))[0] for t in range(8)]
    sheet(frames, 8).save(args.out / "vae-interpolations.png")

    gan = load_engine("emoji-dcgan")
    start = time.perf_counter()
    gan_pictures = list(
        gan.generate(ImageRequest("", seed=0, batch=32, size=64), JobContext()).images
    )
    report["gan_ms_per_image"] = round((time.perf_counter() - start) * 1000 / 32, 2)
    arrays = np.stack([np.asarray(p, dtype=np.float32) for p in gan_pictures])
    report["gan_mean_pairwise_pixel_distance"] = round(
        float(np.abs(arrays[:, None] - arrays[None]).mean()), 2
    )
    sheet(gan_pictures, 8).save(args.out / "gan-samples.png")

    ldm = load_engine("emoji-ldm")
    pictures, times = [], []
    for prompt in PROMPTS:
        for seed in range(args.samples):
            start = time.perf_counter()
            request = ImageRequest(prompt, seed=seed, steps=25, size=64)
            pictures.append(ldm.generate(request, JobContext()).images[0])
            times.append(time.perf_counter() - start)
    sheet(pictures, args.samples * 4).save(args.out / "ldm-samples.png")
    report["ldm_seconds_per_image_25_ddim_steps"] = round(float(np.median(times)), 3)
    hits = total = 0
    for prompt, colour in COLOUR_PROMPTS:
        for seed in range(args.samples):
            picture = ldm.generate(ImageRequest(prompt, seed=seed, steps=25, size=64), JobContext())
            hits += dominant_colour(np.asarray(picture.images[0])) == colour
            total += 1
    report["ldm_colour_prompt_accuracy"] = round(hits / total, 3)
    print(json.dumps(report, indent=2))
    (args.out / "report.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
