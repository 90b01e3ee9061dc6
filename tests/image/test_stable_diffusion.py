"""The diffusers engine with a tiny random Stable Diffusion pipeline built here (no hub).

The tokenizer is a tiny local CLIP BPE vocabulary of single letters, so nothing is
downloaded; the networks have 2 blocks of 8 channels, seed 0.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from engines.errors import BadInput
from engines.image.types import ImageRequest
from engines.jobs import Cancelled, JobContext, Progress

pytest.importorskip("diffusers")


def build_tiny_pipeline(folder: Path) -> Path:
    import torch
    from diffusers import (
        AutoencoderKL,
        DDIMScheduler,
        StableDiffusionPipeline,
        UNet2DConditionModel,
    )
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

    letters = [chr(c) for c in range(ord("a"), ord("z") + 1)]
    tokens = [*letters, *(f"{c}</w>" for c in letters), "<|startoftext|>", "<|endoftext|>"]
    vocab_file, merges_file = folder / "vocab.json", folder / "merges.txt"
    folder.mkdir(parents=True, exist_ok=True)
    vocab_file.write_text(json.dumps({t: i for i, t in enumerate(tokens)}))
    merges_file.write_text("#version: 0.2\n")
    tokenizer = CLIPTokenizer(str(vocab_file), str(merges_file), model_max_length=16)

    torch.manual_seed(0)
    unet = UNet2DConditionModel(
        block_out_channels=(8, 16),
        layers_per_block=1,
        sample_size=8,
        in_channels=4,
        out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=16,
        attention_head_dim=4,
        norm_num_groups=4,
    )
    vae = AutoencoderKL(
        block_out_channels=(8, 8),
        in_channels=3,
        out_channels=3,
        down_block_types=("DownEncoderBlock2D", "DownEncoderBlock2D"),
        up_block_types=("UpDecoderBlock2D", "UpDecoderBlock2D"),
        latent_channels=4,
        norm_num_groups=4,
        sample_size=16,
    )
    text_encoder = CLIPTextModel(
        CLIPTextConfig(
            vocab_size=len(tokens),
            hidden_size=16,
            intermediate_size=32,
            num_hidden_layers=2,
            num_attention_heads=2,
            max_position_embeddings=16,
            bos_token_id=len(tokens) - 2,
            eos_token_id=len(tokens) - 1,
        )
    )
    pipe = StableDiffusionPipeline(
        unet=unet,
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        scheduler=DDIMScheduler(),
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )
    out = folder / "tiny-sd"
    pipe.save_pretrained(str(out), safe_serialization=True)
    return out


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from engines.image.sd import StableDiffusionEngine

    folder = build_tiny_pipeline(tmp_path_factory.mktemp("sd"))
    return StableDiffusionEngine("tiny-sd", folder)


def test_txt2img_previews_every_step_and_repeats_with_a_seed(engine: Any) -> None:
    seen: list[Progress] = []
    ctx = JobContext(on_progress=seen.append)
    result = engine.generate(ImageRequest("a cat", seed=5, steps=3), ctx)
    assert result.images[0].size == (16, 16)  # the tiny model's native size: 8 latent cells x 2
    assert [p.step for p in seen] == [1, 2, 3] and all(p.preview for p in seen)
    again = engine.generate(ImageRequest("a cat", seed=5, steps=3), JobContext())
    assert np.array_equal(np.asarray(result.images[0]), np.asarray(again.images[0]))
    other = engine.generate(ImageRequest("a cat", seed=6, steps=3), JobContext())
    assert not np.array_equal(np.asarray(result.images[0]), np.asarray(other.images[0]))
    assert "Seed: 5" in result.parameters and "Steps: 3" in result.parameters


def test_img2img_inpaint_and_schedulers(engine: Any, tmp_path: Path) -> None:
    init, mask = tmp_path / "init.png", tmp_path / "mask.png"
    Image.new("RGB", (40, 30), (200, 10, 10)).save(init)
    Image.new("L", (64, 64), 255).save(mask)
    seen: list[Progress] = []
    request = ImageRequest("dog", seed=0, steps=4, init_image=init, strength=0.5)
    result = engine.generate(request, JobContext(on_progress=seen.append))
    assert result.images[0].size == (16, 16) and [p.step for p in seen] == [1, 2]
    request = ImageRequest("dog", seed=0, steps=2, init_image=init, mask=mask)
    assert engine.generate(request, JobContext()).images[0].size == (16, 16)
    for sampler in ("dpm++2m", "euler"):
        request = ImageRequest("dog", seed=0, steps=2, sampler=sampler)
        assert f"Sampler: {sampler}" in engine.generate(request, JobContext()).parameters
    with pytest.raises(BadInput, match="Unknown sampler"):
        engine.generate(ImageRequest("dog", steps=2, sampler="magic"), JobContext())


def test_cancel_stops_at_the_step(engine: Any) -> None:
    ctx = JobContext()
    seen: list[int] = []

    def on_progress(progress: Progress) -> None:
        seen.append(progress.step)
        if progress.step == 2:
            ctx.cancel()

    ctx._on_progress = on_progress
    with pytest.raises(Cancelled):
        engine.generate(ImageRequest("a cat", seed=0, steps=6), ctx)
    assert seen == [1, 2]


def test_encode_decode_round_trip_shapes(engine: Any) -> None:
    z = engine.encode(Image.new("RGB", (100, 50), "blue"))
    assert z.shape == (1, 4, 8, 8)
    assert engine.decode(z)[0].size == (16, 16)


def test_unsafe_or_unknown_files_are_refused(tmp_path: Path) -> None:
    from engines.image.sd import StableDiffusionEngine

    pickle = tmp_path / "model.ckpt"
    pickle.write_bytes(b"not loaded")
    with pytest.raises(BadInput, match=r"model\.ckpt is a pickle checkpoint"):
        StableDiffusionEngine("x", pickle)
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(BadInput, match="not a diffusers model folder"):
        StableDiffusionEngine("x", folder)
    junk = tmp_path / "junk.safetensors"
    junk.write_bytes(b"\0" * 64)
    with pytest.raises(BadInput, match=r"junk\.safetensors"):
        StableDiffusionEngine("x", junk)
