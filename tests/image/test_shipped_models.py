"""The shipped emoji models (assets/models/image) measured on held-out emoji.

``data/heldout64.npz`` is the fixed 10% held-out split of the training set (Noto Color
Emoji glyphs, OFL-1.1, rendered by engines/image/build_dataset.py), never trained on.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from engines.image.build_dataset import dominant_colour
from engines.image.types import ImageRequest
from engines.jobs import JobContext

pytestmark = pytest.mark.integration

HELD_OUT = Path(__file__).parent / "data" / "heldout64.npz"

# The floor; the shipped VAE measured 25.67 dB (966 steps, batch 32).
VAE_PSNR_FLOOR_DB = 25.0
# The shipped upscaler measured 34.63 dB on the 24 held-out emoji kept at 256 (bicubic
# 29.28 dB); on all 162 held-out emoji 34.48 dB against 29.05 dB.
UPSCALER_PSNR_FLOOR_DB = 33.5
UPSCALER_GAIN_FLOOR_DB = 4.0
# The shipped classifier measured 70.4% on the 162 held-out emoji (9 categories).
CLASSIFIER_ACCURACY_FLOOR = 0.68
CATEGORY_HITS_FLOOR = 12  # of 16 diffusion samples for four category prompts


@pytest.fixture(scope="module")
def held_out() -> Any:
    return np.load(HELD_OUT)


@pytest.fixture(scope="module")
def vae() -> Any:
    from engines.image.registry import load_engine

    return load_engine("emoji-vae")


@pytest.fixture(scope="module")
def ldm() -> Any:
    from engines.image.registry import load_engine

    return load_engine("emoji-ldm")


def test_vae_reconstructs_held_out_emoji(vae: Any, held_out: Any) -> None:
    from engines.image.evaluate import vae_held_out_psnr

    assert vae_held_out_psnr(vae, held_out["images"]) >= VAE_PSNR_FLOOR_DB


def test_vae_random_codes_decode_to_emoji_not_noise(vae: Any) -> None:
    for seed in range(4):
        alpha = np.asarray(vae.decode(vae.random_latent(seed))[0], np.float32)[..., 3] / 255
        # Noise has speckled alpha everywhere; an emoji is a solid shape.
        assert alpha[20:44, 20:44].mean() > 0.6
        assert np.abs(np.diff(alpha, axis=1)).mean() < 0.1


def test_vae_interpolation_is_smooth(vae: Any, held_out: Any) -> None:
    a = vae.encode(Image.fromarray(held_out["images"][0], "RGBA"))
    b = vae.encode(Image.fromarray(held_out["images"][1], "RGBA"))
    frames = [
        np.asarray(vae.decode(vae.interpolate(a, b, t / 10))[0], dtype=np.float32)
        for t in range(11)
    ]
    jump = np.abs(frames[-1] - frames[0]).mean()
    steps = [np.abs(frames[i + 1] - frames[i]).mean() for i in range(10)]
    # No single step carries more than a third of the whole change.
    assert max(steps) < jump / 3


def test_colour_words_are_followed(ldm: Any) -> None:
    asked = {"red heart": "red", "blue heart": "blue", "green apple": "green"}
    hits = 0
    for prompt, colour in asked.items():
        for seed in range(3):
            result = ldm.generate(ImageRequest(prompt, seed=seed, steps=20, size=64), JobContext())
            hits += dominant_colour(np.asarray(result.images[0])) == colour
    assert hits >= 6, f"only {hits} of 9 samples had the asked colour"


def test_same_seed_same_pixels_with_the_real_model(ldm: Any) -> None:
    def make() -> np.ndarray:
        request = ImageRequest("cat face", seed=11, steps=10, size=64)
        return np.asarray(ldm.generate(request, JobContext()).images[0])

    assert np.array_equal(make(), make())


def test_a_diffusion_image_takes_seconds_on_a_cpu(ldm: Any) -> None:
    ldm.generate(ImageRequest("sun", seed=0, steps=2, size=64), JobContext())  # warm up
    start = time.perf_counter()
    ldm.generate(ImageRequest("sun", seed=0, steps=25, size=256), JobContext())
    # The goal is 2 s on an idle core; shared CI machines get a generous margin.
    assert time.perf_counter() - start < 10.0


def test_gan_samples_differ_and_look_like_emoji() -> None:
    from engines.image.registry import load_engine

    gan = load_engine("emoji-dcgan")
    result = gan.generate(ImageRequest("", seed=0, batch=16, size=64), JobContext())
    arrays = np.stack([np.asarray(p, dtype=np.float32) for p in result.images])
    assert np.abs(arrays[:, None] - arrays[None]).mean() > 10.0  # no mode collapse
    # Emoji are centred shapes: corners are mostly transparent, the middle mostly not.
    alpha = arrays[..., 3] / 255.0
    assert alpha[:, :6, :6].mean() < 0.5 < alpha[:, 24:40, 24:40].mean()
    assert len(gan.directions()) == 8


def test_face_gan_from_its_package_interpolates_smoothly() -> None:
    pytest.importorskip("gan_face_generate", reason="the opt-in face model is not installed")
    from engines.image.registry import load_engine

    faces = load_engine("face-dcgan-64")
    result = faces.generate(ImageRequest("", seed=1, batch=2, size=64), JobContext())
    assert any("non-commercial" in n for n in result.notices)  # the licence note is shown
    a, b = faces.random_latent(1), faces.random_latent(2)
    frames = [
        np.asarray(faces.decode(faces.interpolate(a, b, t / 8))[0], np.float32) for t in range(9)
    ]
    jump = np.abs(frames[-1] - frames[0]).mean()
    assert jump > 10.0
    assert max(np.abs(frames[i + 1] - frames[i]).mean() for i in range(8)) < jump / 3
    assert len(faces.directions()) == 8


def test_upscaler_beats_bicubic_on_held_out_emoji() -> None:
    from engines.image.evaluate import upscaler_psnr

    report = upscaler_psnr()
    ours, bicubic = report["upscaler_psnr_db_24_held_out"], report["bicubic_psnr_db_24_held_out"]
    assert ours >= UPSCALER_PSNR_FLOOR_DB
    assert ours - bicubic >= UPSCALER_GAIN_FLOOR_DB


def test_upscaled_results_and_slider_frames_are_256(vae: Any) -> None:
    result = vae.generate(ImageRequest("", seed=3, size=256), JobContext())
    assert result.images[0].size == (256, 256)
    assert "Upscale: learned 4x" in result.parameters
    assert not any("Lanczos" in n for n in result.notices)
    assert vae.frame(vae.random_latent(3)).size == (256, 256)


def test_classifier_sorts_held_out_emoji_into_categories(held_out: Any) -> None:
    import torch

    from engines.image import classifier as C
    from engines.image.evaluate import CLASSIFIER
    from engines.image.vae import rgba_to_tensor

    model = C.load(CLASSIFIER)
    with torch.no_grad():
        guess = model(rgba_to_tensor(torch.from_numpy(held_out["images"]))).argmax(1).numpy()
    assert list(model.cfg.categories) == [str(c) for c in held_out["category_names"]]
    assert (guess == held_out["category"]).mean() >= CLASSIFIER_ACCURACY_FLOOR


def test_category_prompts_are_drawn_in_their_category(ldm: Any) -> None:
    import torch

    from engines.image import classifier as C
    from engines.image.evaluate import CLASSIFIER
    from engines.image.vae import rgba_to_tensor

    classifier = C.load(CLASSIFIER)
    asked = {
        "an emoji of smileys and emotion, face smiling": "Smileys & Emotion",
        "an emoji of food and drink, food fruit": "Food & Drink",
        "an emoji of flags, country flag": "Flags",
        "an emoji of travel and places, time": "Travel & Places",
    }
    hits = 0
    for prompt, category in asked.items():
        request = ImageRequest(prompt, seed=0, steps=25, size=64, batch=4)
        pictures = ldm.generate(request, JobContext()).images
        x = rgba_to_tensor(torch.from_numpy(np.stack([np.asarray(p) for p in pictures])))
        with torch.no_grad():
            guesses = classifier(x).argmax(1).tolist()
        hits += sum(classifier.cfg.categories[g] == category for g in guesses)
    # Measured: 15 of 16 (over all 35 category prompts: 75.7% of 140 samples).
    assert hits >= CATEGORY_HITS_FLOOR, f"only {hits} of 16 samples in the asked category"
