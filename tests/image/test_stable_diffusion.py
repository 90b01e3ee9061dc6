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


# --- LoRA -------------------------------------------------------------------------------


def build_tiny_lora(pipeline_folder: Path, out: Path, cross_attention_dim: int = 16) -> Path:
    """A random LoRA (rank 2) on the tiny UNet's attention layers, saved as diffusers
    does. With another ``cross_attention_dim`` it fits a different model's shapes."""
    import torch
    from diffusers import StableDiffusionPipeline, UNet2DConditionModel
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    config = dict(UNet2DConditionModel.load_config(str(pipeline_folder / "unet")))
    config["cross_attention_dim"] = cross_attention_dim
    torch.manual_seed(1)
    unet = UNet2DConditionModel.from_config(config)
    # init_lora_weights=False draws both LoRA matrices at random (the default starts at
    # zero, which would change nothing), so the adapter visibly moves the pictures.
    targets = ["to_q", "to_k", "to_v", "to_out.0"]
    unet.add_adapter(LoraConfig(r=2, lora_alpha=2, target_modules=targets, init_lora_weights=False))
    out.mkdir(parents=True, exist_ok=True)
    StableDiffusionPipeline.save_lora_weights(
        str(out), unet_lora_layers=get_peft_model_state_dict(unet), safe_serialization=True
    )
    return out / "pytorch_lora_weights.safetensors"


def _pixels(result: Any) -> np.ndarray:
    return np.asarray(result.images[0]).astype(int)


def test_lora_weight_zero_is_the_model_and_weight_one_changes_it(
    engine: Any, tmp_path: Path
) -> None:
    from engines.image.types import LoraWeight

    lora = build_tiny_lora(engine.path, tmp_path / "style")
    request = ImageRequest("a cat", seed=3, steps=3)
    plain = _pixels(engine.generate(request, JobContext()))
    try:
        off = engine.generate(
            ImageRequest("a cat", seed=3, steps=3, loras=(LoraWeight(lora, 0.0),)), JobContext()
        )
        assert np.array_equal(_pixels(off), plain)
        on = engine.generate(
            ImageRequest("a cat", seed=3, steps=3, loras=(LoraWeight(lora, 1.0),)), JobContext()
        )
        assert np.abs(_pixels(on) - plain).mean() > 1.0
        assert "LoRA: pytorch_lora_weights.safetensors:1" in on.parameters
        # Without LoRAs in the request the model is itself again; unloading keeps it so.
        assert np.array_equal(_pixels(engine.generate(request, JobContext())), plain)
        engine.set_loras([LoraWeight(lora, 1.0)])
        engine.unload_loras()
        assert not any(engine.pipe.get_list_adapters().values())
        assert np.array_equal(_pixels(engine.generate(request, JobContext())), plain)
    finally:
        engine.unload_loras()


def test_two_loras_with_their_own_weights(engine: Any, tmp_path: Path) -> None:
    from engines.image.types import LoraWeight

    a = build_tiny_lora(engine.path, tmp_path / "a")
    b = tmp_path / "b.safetensors"
    build_tiny_lora(engine.path, tmp_path / "b").rename(b)
    try:
        only_a = _pixels(
            engine.generate(
                ImageRequest("dog", seed=1, steps=2, loras=(LoraWeight(a, 1.0),)), JobContext()
            )
        )
        both = ImageRequest("dog", seed=1, steps=2, loras=(LoraWeight(a, 1.0), LoraWeight(b, 0.0)))
        assert np.array_equal(_pixels(engine.generate(both, JobContext())), only_a)
        assert sorted(engine.pipe.get_active_adapters()) == sorted(engine._lora_names.values())
        with pytest.raises(BadInput, match="twice"):
            engine.set_loras([LoraWeight(a, 1.0), LoraWeight(a, 0.5)])
    finally:
        engine.unload_loras()


def test_files_that_are_not_loras_for_this_model_are_refused(engine: Any, tmp_path: Path) -> None:
    import torch
    from safetensors.torch import save_file

    from engines.image.types import LoraWeight

    other = build_tiny_lora(engine.path, tmp_path / "other", cross_attention_dim=32)
    unrelated = tmp_path / "weights.safetensors"
    save_file({"encoder.weight": torch.zeros(3, 3)}, str(unrelated))
    foreign_keys = tmp_path / "foreign.safetensors"
    save_file({"lora_unet_nowhere.lora_down.weight": torch.zeros(2, 3)}, str(foreign_keys))
    junk = tmp_path / "junk.safetensors"
    junk.write_bytes(b"\0" * 32)
    pickle = tmp_path / "style.pt"
    pickle.write_bytes(b"not loaded")
    request = ImageRequest("a cat", seed=3, steps=2)
    plain = _pixels(engine.generate(request, JobContext()))
    for path, message in [
        (other, r"pytorch_lora_weights\.safetensors is not a LoRA for this model"),
        (unrelated, r"weights\.safetensors is not a LoRA for this model"),
        (foreign_keys, r"foreign\.safetensors is not a LoRA for this model"),
        (junk, r"junk\.safetensors is not a readable"),
        (pickle, r"style\.pt is a pickle file"),
        (tmp_path / "missing.safetensors", r"missing\.safetensors does not exist"),
    ]:
        with pytest.raises(BadInput, match=message):
            engine.set_loras([LoraWeight(path, 1.0)])
    # A refused file leaves nothing behind: the model draws as before.
    assert not any(engine.pipe.get_list_adapters().values())
    assert np.array_equal(_pixels(engine.generate(request, JobContext())), plain)


def test_other_engines_refuse_loras() -> None:
    from engines.image.api import ImageEngine
    from engines.image.types import LoraWeight

    class NoLora(ImageEngine):
        model_id = "plain"

    with pytest.raises(BadInput, match="does not take LoRA"):
        NoLora()._checked(ImageRequest("x", loras=(LoraWeight(Path("a.safetensors")),)))


def test_lora_from_the_command_line(
    engine: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    from engines.image import api
    from studio.cli import main
    from studio.cli.image import parse_lora

    monkeypatch.setitem(api._engines, "tiny-sd", engine)
    lora = build_tiny_lora(engine.path, tmp_path / "style")
    out = tmp_path / "cat.png"
    base = ["image", "a cat", "-o", str(out), "--model", "tiny-sd", "--seed", "2", "--steps", "2"]
    try:
        assert main(base) == 0
        with Image.open(out) as image:
            plain = np.asarray(image).astype(int)
        assert main([*base, "--lora", f"{lora}:0.8"]) == 0
        with Image.open(out) as image:
            assert "LoRA: pytorch_lora_weights.safetensors:0.8" in image.text["parameters"]  # type: ignore[attr-defined]
            assert np.abs(np.asarray(image).astype(int) - plain).mean() > 1.0
        assert main([*base, "--lora", str(tmp_path / "nothing.safetensors")]) == 1
        err = capsys.readouterr().err
        assert "nothing.safetensors" in err and len(err.strip().splitlines()) == 1
    finally:
        engine.unload_loras()
    assert parse_lora("a.safetensors").weight == 1.0
    assert parse_lora("a.safetensors:-0.5").weight == -0.5
    assert parse_lora(r"C:\styles\ink.safetensors").path == Path(r"C:\styles\ink.safetensors")
