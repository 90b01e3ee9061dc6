"""Measure the shipped emoji models and save contact sheets for people to look at.

    python -m engines.image.evaluate --out /tmp/image-eval

Prints JSON: the VAE's held-out PSNR (composited on white), DCGAN sample diversity,
diffusion time per step, for colour prompts the share of samples whose dominant colour is
the one asked for; with ``--data`` (the training set), for 30 everyday prompts ("a
rocket", "a cup of coffee"...) the share of samples whose 5 nearest emoji include the
one named, and how many prompts get it in at least half their samples; the upscaler's PSNR against bicubic at 256; and, measured with the
emoji-category classifier (``train_classifier``), its held-out accuracy, the KID of GAN
and diffusion samples against the held-out emoji (on the classifier's penultimate
features), and the share of diffusion samples for category prompts that the classifier
puts in the asked category. Held-out images come from ``tests/image/data``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
HELD_OUT = ROOT / "tests/image/data/heldout64.npz"
HELD_OUT_256 = ROOT / "tests/image/data/heldout256-sample.npz"  # 24 held-out emoji
CLASSIFIER = ROOT / "assets/models/image/emoji-classifier.safetensors"
PROMPTS = (
    "red heart", "yellow smiling face", "green apple", "red apple", "blue heart",
    "cat face", "pizza", "rocket", "sun", "christmas tree", "purple heart", "fire",
    "dog face", "flag", "star", "grinning face with big eyes",
)  # fmt: skip
# Everyday prompts and the training emoji each one names (any of them counts). Fixed
# before measuring; every named emoji is in the training split. ("a pizza" is not here:
# pizza is a held-out emoji, which the model never saw.)
EVERYDAY = (
    ("red heart", ("red_heart",)),
    ("a smiling face", ("smiling_face", "slightly_smiling_face", "grinning_face",
                        "grinning_face_with_smiling_eyes", "smiling_face_with_smiling_eyes",
                        "beaming_face_with_smiling_eyes", "grinning_face_with_big_eyes")),
    ("a cat face", ("cat_face",)),
    ("a rocket", ("rocket",)),
    ("a red apple", ("red_apple",)),
    ("the sun", ("sun", "sun_with_face")),
    ("a car", ("automobile", "oncoming_automobile", "racing_car", "police_car", "taxi")),
    ("a tree", ("deciduous_tree", "evergreen_tree")),
    ("the flag of Japan", ("Japan",)),
    ("a dog", ("dog",)),
    ("a birthday cake", ("birthday_cake",)),
    ("a star", ("star", "glowing_star")),
    ("a house", ("house", "house_with_garden")),
    ("a banana", ("banana",)),
    ("a cup of coffee", ("hot_beverage",)),
    ("a guitar", ("guitar",)),
    ("the moon", ("crescent_moon", "full_moon", "first_quarter_moon", "new_moon_face",
                  "full_moon_face")),
    ("a snowman", ("snowman", "snowman_without_snow")),
    ("a fish", ("fish", "tropical_fish")),
    ("an umbrella", ("umbrella", "closed_umbrella", "umbrella_with_rain_drops")),
    ("a rainbow", ("rainbow",)),
    ("a ghost", ("ghost",)),
    ("a soccer ball", ("soccer_ball",)),
    ("a light bulb", ("light_bulb",)),
    ("a strawberry", ("strawberry",)),
    ("a thumbs up", ("thumbs_up",)),
    ("a snowflake", ("snowflake",)),
    ("a penguin", ("penguin",)),
    ("a crown", ("crown",)),
    ("a gift", ("wrapped_gift",)),
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


def category_prompts(categories: list[str], per_category: int = 4) -> list[tuple[str, int]]:
    """(prompt, category index): "an emoji of <category>, <subcategory>" (the training
    captions' form) for each category's ``per_category`` largest subcategories."""
    from collections import Counter

    from engines.image.build_dataset import SKIN_TONES, groups_table

    tones = tuple(f"{t:04X}" for t in SKIN_TONES)  # variants the data set leaves out
    counts = Counter(
        tuple(g) for key, g in groups_table().items() if not any(t in key for t in tones)
    )
    prompts = []
    for index, name in enumerate(categories):
        subs = sorted(((n, sub) for (cat, sub), n in counts.items() if cat == name), reverse=True)
        words = name.replace("&", "and").lower()
        for _, sub in subs[:per_category]:
            prompts.append((f"an emoji of {words}, {sub.replace('-', ' ')}", index))
    return prompts


def classifier_features(classifier: Any, pictures: list[Any] | np.ndarray) -> Any:
    """Penultimate features (N, D) of 64x64 RGBA pictures (PIL images or uint8 arrays)."""
    import torch

    from engines.image.vae import rgba_to_tensor

    arrays = np.stack(
        [p if isinstance(p, np.ndarray) else np.asarray(p.resize((64, 64))) for p in pictures]
    )
    x = rgba_to_tensor(torch.from_numpy(arrays))
    with torch.no_grad():
        return torch.cat([classifier.features(x[i : i + 128]) for i in range(0, len(x), 128)])


def classifier_metrics(args: argparse.Namespace, held: Any, gan: Any, ldm: Any) -> dict[str, Any]:
    """Held-out accuracy, KID of samples against held-out emoji, category prompt accuracy."""
    import torch

    from engines.image import classifier as C
    from engines.image.types import ImageRequest
    from engines.image.vae import rgba_to_tensor
    from engines.jobs import JobContext

    report: dict[str, Any] = {}
    classifier = C.load(args.classifier)
    labels = torch.from_numpy(held["category"])
    with torch.no_grad():
        logits = classifier(rgba_to_tensor(torch.from_numpy(held["images"])))
    report["classifier_held_out_accuracy"] = round(
        float((logits.argmax(1) == labels).float().mean()), 3
    )
    real = classifier_features(classifier, held["images"])
    if args.data is not None and args.data.exists():
        # The floor: real training emoji against real held-out ones.
        data = np.load(args.data)
        train = data["images"][~data["held_out"]]
        pick = np.random.default_rng(0).choice(len(train), 500, replace=False)
        report["kid_train_vs_held_out"] = _kid(real, classifier_features(classifier, train[pick]))
    gan_pictures = gan.generate(ImageRequest("", seed=1000, batch=64, size=64), JobContext()).images
    more = [gan.generate(ImageRequest("", seed=2000 + 64 * i, batch=64, size=64), JobContext())
            for i in range(7)]  # fmt: skip
    gan_all = list(gan_pictures) + [p for r in more for p in r.images]
    report["kid_gan_vs_held_out"] = _kid(real, classifier_features(classifier, gan_all))
    # Diffusion samples for the held-out emoji's own names (never trained on).
    names = [str(n) for n in held["names"]]
    samples = [
        ldm.generate(ImageRequest(n, seed=i, steps=25, size=64), JobContext()).images[0]
        for i, n in enumerate(names)
    ]
    sheet(samples[:64], 16).save(args.out / "ldm-held-out-names.png")
    report["kid_ldm_vs_held_out"] = _kid(real, classifier_features(classifier, samples))
    categories = [str(c) for c in held["category_names"]]
    hits, total, per = 0, 0, {c: [0, 0] for c in categories}
    category_pictures = []
    for prompt, index in category_prompts(categories):
        request = ImageRequest(prompt, seed=0, steps=25, size=64, batch=args.samples)
        pictures = list(ldm.generate(request, JobContext()).images)
        category_pictures += pictures
        with torch.no_grad():
            guess = classifier(rgba_to_tensor(torch.from_numpy(np.stack(
                [np.asarray(p) for p in pictures])))).argmax(1)  # fmt: skip
        right = int((guess == index).sum())
        hits, total = hits + right, total + len(pictures)
        per[categories[index]][0] += right
        per[categories[index]][1] += len(pictures)
    sheet(category_pictures, args.samples * 4).save(args.out / "ldm-category-prompts.png")
    report["ldm_category_prompt_accuracy"] = round(hits / total, 3)
    report["ldm_category_prompt_samples"] = total
    report["ldm_category_prompt_accuracy_by_category"] = {
        c: round(h / n, 2) for c, (h, n) in per.items() if n
    }
    return report


def _on_white_small(rgba: np.ndarray) -> np.ndarray:
    """(N, 64, 64, 4) uint8 -> (N, 32 * 32 * 3): composited on white, 2x2 averaged (so
    that a pixel's worth of shift or noise does not decide the match)."""
    x = rgba.astype(np.float32) / 255
    rgb = x[..., :3] * x[..., 3:] + (1 - x[..., 3:])
    n = len(rgb)
    return rgb.reshape(n, 32, 2, 32, 2, 3).mean((2, 4)).reshape(n, -1)


def everyday_prompts(ldm: Any, data: Any, out: Path, samples: int) -> dict[str, Any]:
    """Is a sample for "a rocket" the rocket emoji? For each everyday prompt, ``samples``
    pictures; one counts as recognisable when the named emoji is among its 5 nearest of
    all the emoji (pixels on white). Reports the share of samples, the prompts with at
    least half their samples recognisable, and saves a labelled sheet."""
    from PIL import Image, ImageDraw

    from engines.image.types import ImageRequest
    from engines.jobs import JobContext

    names = [str(n) for n in data["names"]]
    reference = _on_white_small(data["images"])
    cell, label = 96, 150
    board = Image.new("RGB", (label + cell * samples, cell * len(EVERYDAY)), "white")
    draw = ImageDraw.Draw(board)
    per_prompt: dict[str, int] = {}
    for row, (prompt, targets) in enumerate(EVERYDAY):
        request = ImageRequest(prompt, seed=1, steps=25, size=64, batch=samples)
        pictures = [p.convert("RGBA") for p in ldm.generate(request, JobContext()).images]
        x = _on_white_small(np.stack([np.asarray(p) for p in pictures]))
        distances = ((x[:, None, :] - reference[None]) ** 2).sum(-1)
        nearest = [{names[i] for i in np.argsort(d)[:5]} for d in distances]
        per_prompt[prompt] = sum(bool(n & set(targets)) for n in nearest)
        draw.text((6, row * cell + cell // 2 - 6), f"{prompt} ({per_prompt[prompt]}/{samples})",
                  fill="black")  # fmt: skip
        for k, p in enumerate(pictures):
            tile = p.resize((cell, cell), Image.Resampling.LANCZOS)
            board.paste(tile, (label + k * cell, row * cell), tile)
    board.save(out / "ldm-everyday-prompts.png")
    hits = sum(per_prompt.values())
    return {
        "ldm_everyday_sample_recognised": round(hits / (samples * len(EVERYDAY)), 3),
        "ldm_everyday_prompts_recognised": sum(2 * v >= samples for v in per_prompt.values()),
        "ldm_everyday_prompts": len(EVERYDAY),
        "ldm_everyday_by_prompt": per_prompt,
    }


def _kid(real: Any, fake: Any) -> dict[str, float]:
    from engines.image.classifier import kid

    mean, std = kid(real, fake)
    return {"mean": round(mean, 4), "std": round(std, 4), "samples": len(fake)}


def upscaler_psnr() -> dict[str, float]:
    """Held-out PSNR at 256 (on white) of the shipped upscaler and of bicubic, on the 24
    held-out emoji kept in tests/image/data."""
    import torch

    from engines.image.emoji import load_upscaler
    from engines.image.train_upscaler import bicubic
    from engines.image.vae import psnr_on_white, rgba_to_tensor

    data = np.load(HELD_OUT_256)
    x = rgba_to_tensor(torch.from_numpy(data["images64"]))
    target = rgba_to_tensor(torch.from_numpy(data["images256"]))
    with torch.no_grad():
        ours = float(psnr_on_white(load_upscaler()(x), target).mean())
    return {
        "upscaler_psnr_db_24_held_out": round(ours, 2),
        "bicubic_psnr_db_24_held_out": round(float(psnr_on_white(bicubic(x), target).mean()), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/image-eval"))
    parser.add_argument("--samples", type=int, default=4, help="samples per prompt")
    parser.add_argument("--classifier", type=Path, default=CLASSIFIER)
    parser.add_argument(
        "--ldm", type=Path, default=None, help="diffusion weights to measure instead of the shipped"
    )
    parser.add_argument(
        "--data", type=Path, default=None, help="the training set, for a real-vs-real KID floor"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    from PIL import Image

    from engines.image.build_dataset import dominant_colour
    from engines.image.registry import load_engine
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

    if args.ldm is None:
        ldm = load_engine("emoji-ldm")
    else:  # the same VAE and encoder, other diffusion weights
        from engines.catalogue import Catalogue
        from engines.image.emoji import EmojiDiffusionEngine

        _, vae_file, encoder = Catalogue().get("emoji-ldm").require()
        ldm = EmojiDiffusionEngine("emoji-ldm", args.ldm, vae_file, encoder)
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
    if args.data is not None and args.data.exists():
        report.update(everyday_prompts(ldm, np.load(args.data), args.out, args.samples))
    report.update(upscaler_psnr())
    report.update(classifier_metrics(args, held, gan, ldm))
    print(json.dumps(report, indent=2))
    (args.out / "report.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
