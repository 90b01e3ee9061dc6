"""The diffusers engine with a tiny random Stable Diffusion pipeline built here (no hub).

The tokenizer is a tiny local CLIP BPE vocabulary of single letters, so nothing is
downloaded; the networks have 2 blocks of 8 channels, seed 0.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from engines.errors import BadInput
from engines.image.types import ImageRequest
from engines.imagefile import SAMPLER_NAMES, LoraTag, Recipe
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
    # The picture's own size and aspect come back (issue #15), not the model's square.
    assert result.images[0].size == (40, 30) and [p.step for p in seen] == [1, 2]
    request = ImageRequest("dog", seed=0, steps=2, init_image=init, mask=mask)
    inpainted = engine.generate(request, JobContext())
    assert inpainted.images[0].size == (40, 30)
    assert any("scaled to fit" in n for n in inpainted.notices)  # a 64x64 mask on 40x30
    for sampler, label in (("dpm++2m", "DPM++ 2M"), ("euler", "Euler")):
        request = ImageRequest("dog", seed=0, steps=2, sampler=sampler)
        assert f"Sampler: {label}," in engine.generate(request, JobContext()).parameters
    with pytest.raises(BadInput, match="Unknown sampler"):
        engine.generate(ImageRequest("dog", steps=2, sampler="magic"), JobContext())


def test_dpm_2m_karras_is_its_own_sampler_named_as_a1111_names_it(engine: Any) -> None:
    from engines.image.sd import SCHEDULERS

    plain = engine.generate(ImageRequest("dog", seed=0, steps=3, sampler="dpm++2m"), JobContext())
    assert engine.pipe.scheduler.config.use_karras_sigmas is False
    karras = engine.generate(
        ImageRequest("dog", seed=0, steps=3, sampler="dpm++2m-karras"), JobContext()
    )
    assert engine.pipe.scheduler.config.use_karras_sigmas is True
    assert "Sampler: DPM++ 2M Karras," in karras.parameters
    assert not np.array_equal(_pixels(plain), _pixels(karras))  # other noise levels
    # The model's own scheduler is written in A1111's words too, and read back as ours.
    own = engine.generate(ImageRequest("dog", seed=0, steps=2), JobContext()).parameters
    own_name = Recipe.from_parameters(own).sampler
    assert own_name in SCHEDULERS
    assert f"Sampler: {SAMPLER_NAMES[own_name]}," in own


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
        assert on.parameters.startswith("a cat <lora:pytorch_lora_weights:1>\n")
        assert Recipe.from_parameters(on.parameters).loras == (LoraTag("pytorch_lora_weights"),)
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
    from engines.image.base import ImageEngine
    from engines.image.types import LoraWeight

    class NoLora(ImageEngine):
        model_id = "plain"

    with pytest.raises(BadInput, match="does not take LoRA"):
        NoLora()._checked(ImageRequest("x", loras=(LoraWeight(Path("a.safetensors")),)))


def test_lora_from_the_command_line(
    engine: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    from engines.catalogue import Catalogue
    from engines.image import registry
    from studio.cli import main
    from studio.cli.image import parse_lora

    # In the catalogue (the CLI finds engines through it, engines.registry), its engine the
    # loaded tiny one.
    entry = Catalogue().import_model(
        engine.path, "image", "diffusion", engine_module="engines.image.sd"
    )
    monkeypatch.setitem(registry._engines, entry.id, engine)
    lora = build_tiny_lora(engine.path, tmp_path / "style")
    out = tmp_path / "cat.png"
    base = ["image", "a cat", "-o", str(out), "--model", entry.id, "--seed", "2", "--steps", "2"]
    try:
        assert main(base) == 0
        with Image.open(out) as image:
            plain = np.asarray(image).astype(int)
        assert main([*base, "--lora", f"{lora}:0.8", "--overwrite"]) == 0
        with Image.open(out) as image:
            text = image.text["parameters"]  # type: ignore[attr-defined]
            recipe = Recipe.from_parameters(text)
            assert recipe.loras == (LoraTag("pytorch_lora_weights", 0.8),)
            assert recipe.prompt == "a cat" and "<lora:pytorch_lora_weights:0.8>" in text
            assert np.abs(np.asarray(image).astype(int) - plain).mean() > 1.0
        missing = str(tmp_path / "nothing.safetensors")
        assert main([*base, "--lora", missing, "--overwrite"]) == 1
        err = capsys.readouterr().err
        assert "nothing.safetensors" in err and len(err.strip().splitlines()) == 1
    finally:
        engine.unload_loras()
    assert parse_lora("a.safetensors").weight == 1.0
    assert parse_lora("a.safetensors:-0.5").weight == -0.5
    assert parse_lora(r"C:\styles\ink.safetensors").path == Path(r"C:\styles\ink.safetensors")


# --- single-file checkpoints ------------------------------------------------------------


def _rename(state: dict[str, Any], prefixes: list[tuple[str, str]], inner: dict[str, str]) -> dict:
    """diffusers names -> original names: the longest matching block prefix, then the
    layer names inside that block."""
    prefixes = sorted(prefixes, key=lambda pair: -len(pair[0]))
    out = {}
    for key, value in state.items():
        for new, old in prefixes:
            if key.startswith(new):
                rest = key[len(new) :]
                for a, b in inner.items():
                    rest = rest.replace(a, b)
                key = old + rest
                break
        out[key] = value
    return out


def unet_to_ldm(state: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    """The reverse of diffusers' ``convert_ldm_unet_checkpoint`` for SD-style UNets."""
    per = config["layers_per_block"] + 1  # original blocks per level: resnets + sampler
    levels = len(config["block_out_channels"])
    prefixes = [
        ("time_embedding.linear_1.", "time_embed.0."),
        ("time_embedding.linear_2.", "time_embed.2."),
        ("conv_in.", "input_blocks.0.0."),
        ("conv_norm_out.", "out.0."),
        ("conv_out.", "out.2."),
        ("add_embedding.linear_1.", "label_emb.0.0."),  # SDXL's size and pooled-text input
        ("add_embedding.linear_2.", "label_emb.0.2."),
        ("mid_block.resnets.0.", "middle_block.0."),
        ("mid_block.attentions.0.", "middle_block.1."),
        ("mid_block.resnets.1.", "middle_block.2."),
    ]
    for i in range(levels):
        for j in range(per - 1):
            prefixes += [
                (f"down_blocks.{i}.resnets.{j}.", f"input_blocks.{1 + i * per + j}.0."),
                (f"down_blocks.{i}.attentions.{j}.", f"input_blocks.{1 + i * per + j}.1."),
            ]
        for j in range(per):
            prefixes += [
                (f"up_blocks.{i}.resnets.{j}.", f"output_blocks.{i * per + j}.0."),
                (f"up_blocks.{i}.attentions.{j}.", f"output_blocks.{i * per + j}.1."),
            ]
        if i < levels - 1:
            slot = 2 if "CrossAttn" in config["up_block_types"][i] else 1
            prefixes += [
                (f"down_blocks.{i}.downsamplers.0.conv.", f"input_blocks.{(i + 1) * per}.0.op."),
                (f"up_blocks.{i}.upsamplers.0.", f"output_blocks.{i * per + per - 1}.{slot}."),
            ]
    resnet = {
        "norm1.": "in_layers.0.",
        "conv1.": "in_layers.2.",
        "norm2.": "out_layers.0.",
        "conv2.": "out_layers.3.",
        "time_emb_proj.": "emb_layers.1.",
        "conv_shortcut.": "skip_connection.",
    }
    out = {}
    for key, value in state.items():
        inner = resnet if ".resnets." in key else {}
        out.update(_rename({key: value}, prefixes, inner))
    return {f"model.diffusion_model.{k}": v for k, v in out.items()}


def vae_to_ldm(state: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    """The reverse of diffusers' ``convert_ldm_vae_checkpoint``."""
    levels = len(config["block_out_channels"])
    per = config["layers_per_block"]
    prefixes = []
    for part in ("encoder", "decoder"):
        prefixes += [
            (f"{part}.mid_block.resnets.0.", f"{part}.mid.block_1."),
            (f"{part}.mid_block.resnets.1.", f"{part}.mid.block_2."),
            (f"{part}.mid_block.attentions.0.", f"{part}.mid.attn_1."),
            (f"{part}.conv_norm_out.", f"{part}.norm_out."),
        ]
    for i in range(levels):
        up = levels - 1 - i  # the decoder counts its levels from the bottom
        prefixes += [
            (f"encoder.down_blocks.{i}.resnets.{j}.", f"encoder.down.{i}.block.{j}.")
            for j in range(per)
        ]
        prefixes += [
            (f"decoder.up_blocks.{i}.resnets.{j}.", f"decoder.up.{up}.block.{j}.")
            for j in range(per + 1)
        ]
        if i < levels - 1:
            prefixes += [
                (f"encoder.down_blocks.{i}.downsamplers.0.", f"encoder.down.{i}.downsample."),
                (f"decoder.up_blocks.{i}.upsamplers.0.", f"decoder.up.{up}.upsample."),
            ]
    attention = {
        "group_norm.": "norm.",
        "to_q.": "q.",
        "to_k.": "k.",
        "to_v.": "v.",
        "to_out.0.": "proj_out.",
    }
    out = {}
    for key, value in state.items():
        if ".attentions." in key:
            renamed = _rename({key: value}, prefixes, attention)
            ((new_key, new_value),) = renamed.items()
            if new_value.ndim == 2:  # the original attention uses 1x1 convolutions
                new_value = new_value[:, :, None, None]
            out[new_key] = new_value
        else:
            out.update(_rename({key: value}, prefixes, {"conv_shortcut.": "nin_shortcut."}))
    return {f"first_stage_model.{k}": v for k, v in out.items()}


def open_clip_to_ldm(state: dict[str, Any], prefix: str) -> dict[str, Any]:
    """A transformers CLIP text model in OpenCLIP's own layout (SD 2.x, SDXL's second
    encoder): q, k and v packed in one ``in_proj``, the projection transposed."""
    import torch

    state = {
        k if k.startswith(("text_model.", "text_projection")) else f"text_model.{k}": v
        for k, v in state.items()
    }
    out = {
        "positional_embedding": state["text_model.embeddings.position_embedding.weight"],
        "token_embedding.weight": state["text_model.embeddings.token_embedding.weight"],
        "ln_final.weight": state["text_model.final_layer_norm.weight"],
        "ln_final.bias": state["text_model.final_layer_norm.bias"],
    }
    if "text_projection.weight" in state:
        out["text_projection"] = state["text_projection.weight"].T
    layers = {int(k.split(".")[3]) for k in state if k.startswith("text_model.encoder.layers.")}
    for i in layers:
        hf, ldm = f"text_model.encoder.layers.{i}.", f"transformer.resblocks.{i}."
        for kind in ("weight", "bias"):
            out[f"{ldm}attn.in_proj_{kind}"] = torch.cat(
                [state[f"{hf}self_attn.{x}_proj.{kind}"] for x in "qkv"]
            )
            for a, b in [
                ("self_attn.out_proj", "attn.out_proj"),
                ("layer_norm1", "ln_1"),
                ("layer_norm2", "ln_2"),
                ("mlp.fc1", "mlp.c_fc"),
                ("mlp.fc2", "mlp.c_proj"),
            ]:
                out[f"{ldm}{b}.{kind}"] = state[f"{hf}{a}.{kind}"]
    return {prefix + k: v for k, v in out.items()}


def write_single_file(folder: Path, out: Path, open_clip: bool = False) -> Path:
    """A tiny diffusers pipeline's weights in the original single-file layout: SD 1.x
    (or with ``open_clip`` the SD 2.x text layout), or SDXL when it has two encoders."""
    from safetensors.torch import load_file, save_file

    def weights(part: str) -> dict[str, Any]:
        return load_file(str(next((folder / part).glob("*.safetensors"))))

    unet_config = json.loads((folder / "unet" / "config.json").read_text())
    vae_config = json.loads((folder / "vae" / "config.json").read_text())
    state = unet_to_ldm(weights("unet"), unet_config) | vae_to_ldm(weights("vae"), vae_config)
    clip = {
        "text_model." + k.removeprefix("text_model."): v for k, v in weights("text_encoder").items()
    }
    if (folder / "text_encoder_2").exists():
        state |= {f"conditioner.embedders.0.transformer.{k}": v for k, v in clip.items()}
        state |= open_clip_to_ldm(weights("text_encoder_2"), "conditioner.embedders.1.model.")
    elif open_clip:
        state |= open_clip_to_ldm(clip, "cond_stage_model.model.")
    else:
        state |= {f"cond_stage_model.transformer.{k}": v for k, v in clip.items()}
    save_file({k: v.contiguous() for k, v in state.items()}, str(out))
    return out


def config_folder(folder: Path, out: Path) -> Path:
    """The tiny pipeline's folder without its weights: what a single file needs beside it."""
    import shutil

    shutil.copytree(folder, out, ignore=shutil.ignore_patterns("*.safetensors"))
    return out


def test_single_file_gives_the_same_pixels_as_the_folder(engine: Any, tmp_path: Path) -> None:
    from diffusers.loaders.single_file_utils import convert_ldm_unet_checkpoint
    from safetensors.torch import load_file

    from engines.image.sd import StableDiffusionEngine

    checkpoint = write_single_file(engine.path, tmp_path / "tiny.safetensors")
    # The reverse mapping is diffusers' own conversion run backwards: check it round-trips.
    original = load_file(str(checkpoint))
    unet_config = json.loads((engine.path / "unet" / "config.json").read_text())
    back = convert_ldm_unet_checkpoint(original, unet_config)
    assert back.keys() == engine.pipe.unet.state_dict().keys()

    config = config_folder(engine.path, tmp_path / "cfg")
    # The same weights with the text encoder in OpenCLIP's layout, as SD 2.x files have it.
    open_clip = write_single_file(engine.path, tmp_path / "tiny-v2.safetensors", open_clip=True)
    for path in (checkpoint, open_clip):
        single = StableDiffusionEngine("tiny-single", path, config=config)
        assert single.detected is None  # told its configuration, it detects nothing
        for request in (
            ImageRequest("a cat", seed=4, steps=3),
            ImageRequest("a dog", seed=1, steps=2, sampler="euler"),
        ):
            expected = _pixels(engine.generate(request, JobContext()))
            assert np.array_equal(_pixels(single.generate(request, JobContext())), expected)
    # A single file's recipe carries A1111's short hash of it; a folder's has none.
    text = single.generate(ImageRequest("a cat", seed=4, steps=2), JobContext()).parameters
    digest = hashlib.sha256(open_clip.read_bytes()).hexdigest()[:10]
    assert f"Model hash: {digest}, Model: tiny-single" in text
    assert (
        "Model hash" not in engine.generate(ImageRequest("a cat", steps=2), JobContext()).parameters
    )


def build_tiny_xl_pipeline(folder: Path) -> Path:
    """A tiny random SDXL pipeline: two text encoders of different widths (8 and 12, as
    768 and 1280 differ in the real one), size conditioning, the tiny SD VAE."""
    import torch
    from diffusers import (
        AutoencoderKL,
        EulerDiscreteScheduler,
        StableDiffusionXLPipeline,
        UNet2DConditionModel,
    )
    from transformers import (
        CLIPTextConfig,
        CLIPTextModel,
        CLIPTextModelWithProjection,
        CLIPTokenizer,
    )

    sd = build_tiny_pipeline(folder / "base")
    tokenizer = CLIPTokenizer.from_pretrained(str(sd / "tokenizer"))
    vocab = len(tokenizer)

    def text_config(width: int) -> CLIPTextConfig:
        return CLIPTextConfig(
            vocab_size=vocab,
            hidden_size=width,
            intermediate_size=2 * width,
            num_hidden_layers=2,
            num_attention_heads=2,
            max_position_embeddings=16,
            projection_dim=width,
            bos_token_id=vocab - 2,
            eos_token_id=vocab - 1,
        )

    torch.manual_seed(0)
    unet = UNet2DConditionModel(
        block_out_channels=(8, 16),
        layers_per_block=1,
        sample_size=8,
        in_channels=4,
        out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        attention_head_dim=(2, 4),
        transformer_layers_per_block=(1, 2),
        use_linear_projection=True,
        cross_attention_dim=8 + 12,
        addition_embed_type="text_time",
        addition_time_embed_dim=4,
        projection_class_embeddings_input_dim=6 * 4 + 12,
        norm_num_groups=4,
    )
    pipe = StableDiffusionXLPipeline(
        vae=AutoencoderKL.from_pretrained(str(sd / "vae")),
        text_encoder=CLIPTextModel(text_config(8)),
        text_encoder_2=CLIPTextModelWithProjection(text_config(12)),
        tokenizer=tokenizer,
        tokenizer_2=tokenizer,
        unet=unet,
        scheduler=EulerDiscreteScheduler(),
    )
    out = folder / "tiny-sdxl"
    pipe.save_pretrained(str(out), safe_serialization=True)
    return out


def test_sdxl_folder_and_single_file(tmp_path: Path) -> None:
    from engines.image.sd import StableDiffusionEngine

    folder = build_tiny_xl_pipeline(tmp_path)
    xl = StableDiffusionEngine("tiny-sdxl", folder)
    assert type(xl.pipe).__name__ == "StableDiffusionXLPipeline"
    request = ImageRequest("a cat", seed=2, steps=2)
    expected = _pixels(xl.generate(request, JobContext()))
    init = tmp_path / "init.png"
    Image.new("RGB", (20, 20), (0, 90, 200)).save(init)
    moved = xl.generate(ImageRequest("a cat", seed=2, steps=2, init_image=init), JobContext())
    assert moved.images[0].size == (20, 20)  # the picture's own size (issue #15)

    checkpoint = write_single_file(folder, tmp_path / "tiny-xl.safetensors")
    single = StableDiffusionEngine(
        "tiny-xl-single", checkpoint, config=config_folder(folder, tmp_path / "cfg")
    )
    assert type(single.pipe).__name__ == "StableDiffusionXLPipeline"
    assert np.array_equal(_pixels(single.generate(request, JobContext())), expected)


def _fake_checkpoint(path: Path, shapes: dict[str, tuple[int, ...]], spread: float = 0.0) -> Path:
    """Just the tensors detection reads, with the real names and shapes."""
    import torch
    from safetensors.torch import save_file

    tensors = {k: torch.zeros(shape) for k, shape in shapes.items()}
    if spread:
        tensors["model.diffusion_model.output_blocks.11.1.transformer_blocks.0.norm1.bias"] = (
            torch.randn(320, generator=torch.Generator().manual_seed(0)) * spread
        )
    save_file(tensors, str(path))
    return path


UNET_IN = "model.diffusion_model.input_blocks.0.0.weight"
SD1_KEYS = {
    UNET_IN: (320, 4, 3, 3),
    "model.diffusion_model.input_blocks.2.1.transformer_blocks.0.attn2.to_k.weight": (320, 768),
    "cond_stage_model.transformer.text_model.embeddings.position_embedding.weight": (77, 768),
}
SD2_KEYS = {
    UNET_IN: (320, 4, 3, 3),
    "model.diffusion_model.input_blocks.2.1.transformer_blocks.0.attn2.to_k.weight": (320, 1024),
    "cond_stage_model.model.token_embedding.weight": (49408, 1024),
}
SDXL_KEYS = {
    UNET_IN: (320, 4, 3, 3),
    "model.diffusion_model.input_blocks.4.1.transformer_blocks.0.attn2.to_k.weight": (640, 2048),
    "conditioner.embedders.1.model.transformer.resblocks.9.mlp.c_proj.bias": (1280,),
}


def test_families_are_told_apart_from_names_and_shapes(tmp_path: Path) -> None:
    from engines.image.sd import detect_family

    def family(name: str, shapes: dict[str, tuple[int, ...]], spread: float = 0.0) -> Any:
        return detect_family(_fake_checkpoint(tmp_path / f"{name}.safetensors", shapes, spread))

    sd1 = family("sd15", SD1_KEYS)
    assert (sd1.name, sd1.prediction) == ("sd1", None)
    assert family("sd21", SD2_KEYS, spread=0.2).name == "sd2-v"
    base = family("sd21base", SD2_KEYS, spread=0.02)
    assert (base.name, base.prediction) == ("sd2-base", None)
    xl = family("sdxl", SDXL_KEYS)
    assert (xl.name, xl.prediction, xl.zero_snr) == ("sdxl", None, False)
    vpred = family("xlv", {**SDXL_KEYS, "v_pred": (0,), "ztsnr": (0,)})
    assert (vpred.name, vpred.prediction, vpred.zero_snr) == ("sdxl", "v_prediction", True)
    for folder in ("sd1", "sd2-v", "sd2-base", "sdxl"):
        assert (family(folder, SD1_KEYS).config_dir.parent / folder / "model_index.json").exists()

    # Inpainting checkpoints (a 9-channel UNet) are their base family, built to inpaint.
    inpainting = family("sd15-inpainting", {**SD1_KEYS, UNET_IN: (320, 9, 3, 3)})
    assert (inpainting.name, inpainting.inpainting) == ("sd1", True)
    assert not sd1.inpainting
    refused = {
        "seven": ({**SD1_KEYS, UNET_IN: (320, 7, 3, 3)}, "7-channel checkpoint"),
        "style_lora": ({"lora_unet_down.lora_down.weight": (4, 320)}, "is a LoRA, not a model"),
        "vae_only": (
            {"encoder.conv_in.weight": (128, 3, 3, 3)},
            "not a Stable Diffusion checkpoint",
        ),
        "refiner": (
            {
                UNET_IN: (384, 4, 3, 3),
                "conditioner.embedders.0.model.transformer.resblocks.9.mlp.c_proj.bias": (1280,),
            },
            "SDXL refiner",
        ),
        "odd": (
            {
                UNET_IN: (320, 4, 3, 3),
                "model.diffusion_model.input_blocks.2.1.transformer_blocks.0.attn2.to_k.weight": (
                    320,
                    4096,
                ),
            },
            "4096 wide",
        ),
    }
    for name, (shapes, message) in refused.items():
        with pytest.raises(BadInput, match=rf"{name}\.safetensors .*{message}"):
            family(name, shapes)


def test_a_checkpoint_of_the_wrong_shapes_is_refused_naming_it(tmp_path: Path) -> None:
    from engines.image.sd import StableDiffusionEngine

    fake = _fake_checkpoint(tmp_path / "half.safetensors", SD1_KEYS)
    with pytest.raises(
        BadInput,
        match=r"half\.safetensors looked like Stable Diffusion 1\.x but could not be loaded",
    ):
        StableDiffusionEngine("x", fake)


# --- the shipped configuration folders --------------------------------------------------

CONFIGS = Path(__file__).resolve().parents[2] / "assets" / "configs" / "sd"


def test_shipped_clip_tokenizer_gives_clips_ids() -> None:
    from engines.image.sd import _tokenizer

    # Ids published for OpenAI's CLIP tokenizer (its tests and model cards).
    known = {
        "a photo of a cat": [49406, 320, 1125, 539, 320, 2368, 49407],
        "a photo of a dog": [49406, 320, 1125, 539, 320, 1929, 49407],
        "A PHOTO of  a Cat": [49406, 320, 1125, 539, 320, 2368, 49407],
        "a painting of a cat": [49406, 320, 3086, 539, 320, 2368, 49407],
        "bozuman": [49406, 647, 4091, 786, 49407],
        "Hello, world": [49406, 3306, 267, 1002, 49407],
    }
    for folder, pad in [
        ("sd1/tokenizer", 49407),
        ("sd2-v/tokenizer", 0),
        ("sdxl/tokenizer", 49407),
        ("sdxl/tokenizer_2", 0),
    ]:
        tokenizer = _tokenizer(CONFIGS / folder)
        assert len(tokenizer) == 49408 and tokenizer.model_max_length == 77
        for text, ids in known.items():
            assert tokenizer(text).input_ids == ids, (folder, text)
        # SD 1.x pads with the end token; OpenCLIP (SD 2.x, SDXL's second encoder) with 0.
        assert tokenizer("cat", padding="max_length").input_ids[3:] == [pad] * 74
    sd1 = _tokenizer(CONFIGS / "sd1" / "tokenizer")
    assert sd1("Hello, world!").input_ids == [49406, 3306, 267, 1002, 256, 49407]


def test_shipped_configs_build_the_published_networks() -> None:
    from accelerate import init_empty_weights
    from diffusers import AutoencoderKL, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection

    def count(model: Any) -> int:
        return sum(p.numel() for p in model.parameters())

    # Parameter counts published for SD 1.5, SD 2.1 and SDXL 1.0 (no weights are made:
    # the networks are built on the meta device).
    expected = {
        "sd1": (859_520_964, 83_653_863, 123_060_480),
        "sd2-v": (865_910_724, 83_653_863, 340_387_840),
        "sd2-base": (865_910_724, 83_653_863, 340_387_840),
        "sdxl": (2_567_463_684, 83_653_863, 123_060_480),
    }
    for family, (unet, vae, text) in expected.items():
        folder = CONFIGS / family
        with init_empty_weights():
            built = (
                count(
                    UNet2DConditionModel.from_config(
                        UNet2DConditionModel.load_config(folder / "unet")
                    )
                ),
                count(AutoencoderKL.from_config(AutoencoderKL.load_config(folder / "vae"))),
                count(CLIPTextModel(CLIPTextConfig.from_pretrained(folder / "text_encoder"))),
            )
        assert built == (unet, vae, text), family
    with init_empty_weights():
        bigg = CLIPTextModelWithProjection(
            CLIPTextConfig.from_pretrained(CONFIGS / "sdxl" / "text_encoder_2")
        )
    assert count(bigg) == 694_659_840


def test_shipped_configs_are_what_the_script_writes(tmp_path: Path) -> None:
    import importlib.util

    script = CONFIGS.parents[2] / "packaging" / "make_sd_configs.py"
    spec = importlib.util.spec_from_file_location("make_sd_configs", script)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write(tmp_path, None)
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.json"))
    shipped = sorted(
        p.relative_to(CONFIGS) for p in CONFIGS.rglob("*.json") if p.parent.name != "clip-tokenizer"
    )
    assert written == shipped and len(written) == 26  # 3 x 6 files + SDXL 8
    for name in written:
        assert (tmp_path / name).read_text() == (CONFIGS / name).read_text(), name


def test_a_half_precision_vae_that_asks_for_it_decodes_in_full_precision(engine: Any) -> None:
    import torch

    from engines.image.sd import StableDiffusionEngine

    half = StableDiffusionEngine("tiny-half", engine.path)
    z = half.encode(Image.new("RGB", (16, 16), (200, 40, 90)))
    full = np.asarray(half.decode(z)[0]).astype(int)
    half.pipe.vae.to(torch.float16)
    half.pipe.vae.register_to_config(force_upcast=True)  # as SDXL's VAE config says
    seen: list[torch.dtype] = []
    hook = half.pipe.vae.decoder.register_forward_pre_hook(
        lambda module, args: seen.append(args[0].dtype)
    )
    upcast = np.asarray(half.decode(z)[0]).astype(int)
    hook.remove()
    assert seen == [torch.float32] and half.pipe.vae.dtype == torch.float16
    assert np.abs(upcast - full).max() <= 2  # only the weights' fp16 rounding differs


def test_imported_models_from_the_command_line(engine: Any, tmp_path: Path, capsys: Any) -> None:
    from engines.catalogue import Catalogue
    from studio.cli import main

    catalogue = Catalogue()
    folder = catalogue.import_model(
        engine.path, "image", "stable-diffusion", engine_module="engines.image.sd"
    )
    out = tmp_path / "cat.png"
    assert main(["image", "a cat", "-o", str(out), "--model", folder.id, "--steps", "2"]) == 0
    with Image.open(out) as image:
        assert f"Model: {folder.id}" in image.text["parameters"]  # type: ignore[attr-defined]
    assert "Loading" not in capsys.readouterr().err  # no library progress bars
    broken = _fake_checkpoint(tmp_path / "half.safetensors", SD1_KEYS)
    single = catalogue.import_model(
        broken, "image", "stable-diffusion", engine_module="engines.image.sd"
    )
    capsys.readouterr()
    assert main(["image", "a cat", "-o", str(out), "--model", single.id, "--overwrite"]) == 1
    err = capsys.readouterr().err
    assert "half.safetensors looked like Stable Diffusion 1.x" in err
    assert len(err.strip().splitlines()) == 1


def _meta_checkpoint(family: str) -> dict[str, Any]:
    """A family's full checkpoint in the original layout, as names and shapes only (meta
    tensors: nothing is allocated), from the shipped configuration."""
    from accelerate import init_empty_weights
    from diffusers import AutoencoderKL, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection

    folder = CONFIGS / family
    unet_config = dict(UNet2DConditionModel.load_config(folder / "unet"))
    vae_config = dict(AutoencoderKL.load_config(folder / "vae"))
    with init_empty_weights():
        unet = UNet2DConditionModel.from_config(unet_config)
        vae = AutoencoderKL.from_config(vae_config)
        text = CLIPTextModel(CLIPTextConfig.from_pretrained(folder / "text_encoder")).state_dict()
        if family == "sdxl":
            config_2 = CLIPTextConfig.from_pretrained(folder / "text_encoder_2")
            text_2 = CLIPTextModelWithProjection(config_2).state_dict()
    state = unet_to_ldm(unet.state_dict(), unet_config) | vae_to_ldm(vae.state_dict(), vae_config)
    text = {"text_model." + k.removeprefix("text_model."): v for k, v in text.items()}
    if family == "sdxl":
        state |= {f"conditioner.embedders.0.transformer.{k}": v for k, v in text.items()}
        state |= open_clip_to_ldm(text_2, "conditioner.embedders.1.model.")
    elif family.startswith("sd2"):
        state |= open_clip_to_ldm(text, "cond_stage_model.model.")
    else:
        state |= {f"cond_stage_model.transformer.{k}": v for k, v in text.items()}
    return state


def test_full_size_layouts_are_recognised_as_diffusers_recognises_them() -> None:
    from diffusers.loaders.single_file_utils import infer_diffusers_model_type

    from engines.image.sd import family_of

    for family, spread, diffusers_name in [
        ("sd1", 0.0, "v1"),
        ("sd2-base", 0.02, "v2"),
        ("sd2-v", 0.2, "v2"),
        ("sdxl", 0.0, "xl_base"),
    ]:
        checkpoint = _meta_checkpoint(family)
        assert infer_diffusers_model_type(checkpoint) == diffusers_name
        shapes = {k: tuple(v.shape) for k, v in checkpoint.items()}
        assert family_of(f"{family}.safetensors", shapes, spread).name == family


def test_a_kohya_format_lora_draws_as_its_diffusers_twin(engine: Any, tmp_path: Path) -> None:
    """Most LoRAs people download are in kohya-ss's layout: the same weights renamed
    (lora_unet_<module_path>, lora_down/lora_up, an alpha per layer)."""
    import torch
    from safetensors.torch import load_file, save_file

    from engines.image.types import LoraWeight

    lora = build_tiny_lora(engine.path, tmp_path / "diffusers")
    kohya: dict[str, torch.Tensor] = {}
    for key, value in load_file(str(lora)).items():
        module, _, kind = key.removeprefix("unet.").rpartition(".lora_")
        name = "lora_unet_" + module.replace(".", "_")
        kohya[f"{name}.lora_down.weight" if kind == "A.weight" else f"{name}.lora_up.weight"] = (
            value
        )
        kohya[f"{name}.alpha"] = torch.tensor(2.0)  # alpha / rank = 1, as lora_alpha=r above
    twin = tmp_path / "kohya_style.safetensors"
    save_file(kohya, str(twin))
    try:
        images = [
            _pixels(
                engine.generate(
                    ImageRequest("a cat", seed=7, steps=2, loras=(LoraWeight(path, 0.7),)),
                    JobContext(),
                )
            )
            for path in (lora, twin)
        ]
    finally:
        engine.unload_loras()
    assert np.abs(images[0] - images[1]).max() <= 1
    plain = _pixels(engine.generate(ImageRequest("a cat", seed=7, steps=2), JobContext()))
    assert np.abs(images[1] - plain).mean() > 1.0


# --- Turbo models ------------------------------------------------------------------------


def test_turbo_models_are_recognised_by_name_or_model_spec(engine: Any, tmp_path: Path) -> None:
    import torch
    from safetensors.torch import save_file

    from engines.image.sd import is_turbo

    assert is_turbo(tmp_path / "sd_xl_turbo_1.0_fp16.safetensors")  # the name says it
    assert not is_turbo(engine.path)
    plain = tmp_path / "plain.safetensors"
    save_file({"x": torch.zeros(1)}, str(plain), metadata={"modelspec.title": "My model"})
    assert not is_turbo(plain)
    titled = tmp_path / "renamed.safetensors"
    save_file({"x": torch.zeros(1)}, str(titled), metadata={"modelspec.title": "SDXL Turbo"})
    assert is_turbo(titled)
    assert not is_turbo(tmp_path / "missing.safetensors")  # refused later, with a reason


def test_a_turbo_single_file_samples_in_one_step_without_guidance(
    engine: Any, tmp_path: Path
) -> None:
    from engines.image.sd import StableDiffusionEngine

    config = config_folder(engine.path, tmp_path / "cfg")
    turbo_file = write_single_file(engine.path, tmp_path / "tiny-turbo.safetensors")
    turbo = StableDiffusionEngine("tiny-turbo", turbo_file, config=config)
    assert turbo.turbo and turbo.default_steps == 1 and turbo.default_guidance == 0.0
    scheduler = turbo.pipe.scheduler
    assert type(scheduler).__name__ == "EulerAncestralDiscreteScheduler"
    assert scheduler.config.timestep_spacing == "trailing"
    seen: list[Progress] = []
    result = turbo.generate(ImageRequest("a cat", seed=3), JobContext(on_progress=seen.append))
    recipe = Recipe.from_parameters(result.parameters)
    assert recipe.steps == 1 and recipe.guidance == 0.0 and [p.step for p in seen] == [1]
    # img2img runs steps x strength of the schedule: the default is raised so that one
    # runs; an explicit step count that would run none is refused with the numbers.
    init = tmp_path / "init.png"
    Image.new("RGB", (16, 16), (10, 200, 10)).save(init)
    half = turbo.generate(
        ImageRequest("a cat", seed=3, init_image=init, strength=0.5), JobContext()
    )
    assert Recipe.from_parameters(half.parameters).steps == 2
    with pytest.raises(BadInput, match=r"1 step.*strength 0\.5.*at least 2 steps"):
        turbo.generate(ImageRequest("a cat", steps=1, init_image=init, strength=0.5), JobContext())
    # The same file under a plain name is a plain model: 25 steps, guidance 7.5.
    plain = StableDiffusionEngine(
        "tiny-plain", turbo_file.rename(tmp_path / "tiny.safetensors"), config=config
    )
    assert not plain.turbo and plain.default_steps == 25 and plain.default_guidance == 7.5
