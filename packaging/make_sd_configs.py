"""Write the configuration folders that single-file Stable Diffusion checkpoints need.

    .venv/bin/python packaging/make_sd_configs.py [--bpe bpe_simple_vocab_16e6.txt.gz]

A single ``.safetensors`` checkpoint holds weights only; diffusers builds the pipeline
around them from a diffusers folder's configuration (normally fetched from the hub). We
ship those small folders in ``assets/configs/sd/<family>/``, written here from the
published architectures (the values are the ones the reference diffusers repositories
carry; ``tests/image/test_stable_diffusion.py`` checks each network's parameter count
against the published figure).

The CLIP BPE vocabulary (the same for CLIP ViT-L, OpenCLIP ViT-H and ViT-bigG) is not
on any registry as ``vocab.json``/``merges.txt``. OpenCLIP's wheel ships the original
``bpe_simple_vocab_16e6.txt.gz`` (MIT; the file comes from OpenAI's CLIP, also MIT):
this script turns it into the two files ``CLIPTokenizer`` reads, exactly as OpenAI's
``SimpleTokenizer`` builds its table (256 byte symbols, the same with ``</w>``, the
first 48,894 merges, then ``<|startoftext|>`` 49406 and ``<|endoftext|>`` 49407).
Get the file with ``pip download open_clip_torch==3.3.0 --no-deps`` and unzip it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "assets" / "configs" / "sd"
MERGES = 49152 - 256 - 2  # OpenAI's SimpleTokenizer keeps this many merges

# -- the networks ----------------------------------------------------------------------

SCHEDULE = {  # the training noise schedule every SD 1.x/2.x/XL model shares
    "beta_start": 0.00085,
    "beta_end": 0.012,
    "beta_schedule": "scaled_linear",
    "num_train_timesteps": 1000,
    "clip_sample": False,
    "set_alpha_to_one": False,
    "skip_prk_steps": True,
    "steps_offset": 1,
}
VAE = {
    "_class_name": "AutoencoderKL",
    "act_fn": "silu",
    "block_out_channels": [128, 256, 512, 512],
    "down_block_types": ["DownEncoderBlock2D"] * 4,
    "up_block_types": ["UpDecoderBlock2D"] * 4,
    "in_channels": 3,
    "out_channels": 3,
    "latent_channels": 4,
    "layers_per_block": 2,
    "norm_num_groups": 32,
    "sample_size": 512,
    "scaling_factor": 0.18215,
}
CLIP_L = {  # OpenAI CLIP ViT-L/14 text tower (SD 1.x; SDXL's first encoder)
    "architectures": ["CLIPTextModel"],
    "model_type": "clip_text_model",
    "hidden_act": "quick_gelu",
    "hidden_size": 768,
    "intermediate_size": 3072,
    "num_attention_heads": 12,
    "num_hidden_layers": 12,
    "projection_dim": 768,
    "max_position_embeddings": 77,
    "vocab_size": 49408,
    "layer_norm_eps": 1e-05,
    "bos_token_id": 49406,
    "eos_token_id": 49407,
    "pad_token_id": 1,
}
# OpenCLIP ViT-H/14 text tower, less its last layer: SD 2.x conditions on the
# penultimate layer's output, so the converted encoder stops there (23 of 24 layers).
OPEN_CLIP_H = {
    **CLIP_L,
    "hidden_act": "gelu",
    "hidden_size": 1024,
    "intermediate_size": 4096,
    "num_attention_heads": 16,
    "num_hidden_layers": 23,
    "projection_dim": 512,
}
OPEN_CLIP_BIGG = {  # OpenCLIP ViT-bigG/14 text tower with its projection (SDXL's second)
    **CLIP_L,
    "architectures": ["CLIPTextModelWithProjection"],
    "hidden_act": "gelu",
    "hidden_size": 1280,
    "intermediate_size": 5120,
    "num_attention_heads": 20,
    "num_hidden_layers": 32,
    "projection_dim": 1280,
}
UNET_SD1 = {
    "_class_name": "UNet2DConditionModel",
    "act_fn": "silu",
    "attention_head_dim": 8,
    "block_out_channels": [320, 640, 1280, 1280],
    "cross_attention_dim": 768,
    "down_block_types": [
        "CrossAttnDownBlock2D",
        "CrossAttnDownBlock2D",
        "CrossAttnDownBlock2D",
        "DownBlock2D",
    ],
    "up_block_types": [
        "UpBlock2D",
        "CrossAttnUpBlock2D",
        "CrossAttnUpBlock2D",
        "CrossAttnUpBlock2D",
    ],
    "downsample_padding": 1,
    "flip_sin_to_cos": True,
    "freq_shift": 0,
    "in_channels": 4,
    "out_channels": 4,
    "layers_per_block": 2,
    "mid_block_scale_factor": 1,
    "norm_eps": 1e-05,
    "norm_num_groups": 32,
    "sample_size": 64,
}
UNET_SD2 = {
    **UNET_SD1,
    # Named "head dim" in diffusers but it is the head count per level (64 channels each).
    "attention_head_dim": [5, 10, 20, 20],
    "cross_attention_dim": 1024,
    "use_linear_projection": True,
}
UNET_SDXL = {
    **UNET_SD1,
    "attention_head_dim": [5, 10, 20],
    "block_out_channels": [320, 640, 1280],
    "down_block_types": ["DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"],
    "up_block_types": ["CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"],
    "transformer_layers_per_block": [1, 2, 10],
    "cross_attention_dim": 2048,  # both text encoders' states side by side: 768 + 1280
    "use_linear_projection": True,
    # Size and crop conditioning: 6 numbers x 256 + the pooled bigG embedding (1280).
    "addition_embed_type": "text_time",
    "addition_embed_type_num_heads": 64,
    "addition_time_embed_dim": 256,
    "projection_class_embeddings_input_dim": 2816,
    "sample_size": 128,
}
TOKENIZER = {
    "tokenizer_class": "CLIPTokenizer",
    "model_max_length": 77,
    "bos_token": "<|startoftext|>",
    "eos_token": "<|endoftext|>",
    "unk_token": "<|endoftext|>",
    "pad_token": "<|endoftext|>",
    "do_lower_case": True,
}
OPEN_CLIP_TOKENIZER = {**TOKENIZER, "pad_token": "!"}  # OpenCLIP pads with id 0, "!"


def _sd(pipeline_size: int, scheduler: str, prediction: str, text: dict, unet: dict, tok: dict):  # type: ignore[no-untyped-def]
    latent = pipeline_size // 8
    return {
        "model_index.json": {
            "_class_name": "StableDiffusionPipeline",
            "feature_extractor": [None, None],
            "safety_checker": [None, None],
            "requires_safety_checker": False,
            "scheduler": ["diffusers", scheduler],
            "text_encoder": ["transformers", "CLIPTextModel"],
            "tokenizer": ["transformers", "CLIPTokenizer"],
            "unet": ["diffusers", "UNet2DConditionModel"],
            "vae": ["diffusers", "AutoencoderKL"],
        },
        "scheduler/scheduler_config.json": {
            "_class_name": scheduler,
            **SCHEDULE,
            "prediction_type": prediction,
        },
        "text_encoder/config.json": text,
        "tokenizer/tokenizer_config.json": tok,
        "unet/config.json": {**unet, "sample_size": latent},
        "vae/config.json": {**VAE, "sample_size": pipeline_size},
    }


FAMILIES: dict[str, dict[str, Any]] = {
    # Stable Diffusion 1.x (and its many fine-tunes): 512 px, epsilon.
    "sd1": _sd(512, "PNDMScheduler", "epsilon", CLIP_L, UNET_SD1, TOKENIZER),
    # 2.0/2.1 768-v: v-prediction at 768 px.
    "sd2-v": _sd(768, "DDIMScheduler", "v_prediction", OPEN_CLIP_H, UNET_SD2, OPEN_CLIP_TOKENIZER),
    # 2.0/2.1-base and SD-Turbo: epsilon at 512 px.
    "sd2-base": _sd(512, "DDIMScheduler", "epsilon", OPEN_CLIP_H, UNET_SD2, OPEN_CLIP_TOKENIZER),
    # SDXL 1.0 base (and SDXL-Turbo, its distilled form): two text encoders, 1024 px.
    "sdxl": {
        "model_index.json": {
            "_class_name": "StableDiffusionXLPipeline",
            "force_zeros_for_empty_prompt": True,
            "feature_extractor": [None, None],
            "image_encoder": [None, None],
            "scheduler": ["diffusers", "EulerDiscreteScheduler"],
            "text_encoder": ["transformers", "CLIPTextModel"],
            "text_encoder_2": ["transformers", "CLIPTextModelWithProjection"],
            "tokenizer": ["transformers", "CLIPTokenizer"],
            "tokenizer_2": ["transformers", "CLIPTokenizer"],
            "unet": ["diffusers", "UNet2DConditionModel"],
            "vae": ["diffusers", "AutoencoderKL"],
        },
        "scheduler/scheduler_config.json": {
            "_class_name": "EulerDiscreteScheduler",
            **SCHEDULE,
            "prediction_type": "epsilon",
            "interpolation_type": "linear",
            "timestep_spacing": "leading",
            "use_karras_sigmas": False,
        },
        "text_encoder/config.json": CLIP_L,
        "text_encoder_2/config.json": OPEN_CLIP_BIGG,
        "tokenizer/tokenizer_config.json": TOKENIZER,
        "tokenizer_2/tokenizer_config.json": OPEN_CLIP_TOKENIZER,
        "unet/config.json": UNET_SDXL,
        # SDXL's VAE overflows in fp16: diffusers decodes in fp32 when force_upcast is set.
        "vae/config.json": {
            **VAE,
            "sample_size": 1024,
            "scaling_factor": 0.13025,
            "force_upcast": True,
        },
    },
}

# -- the tokenizer vocabulary ----------------------------------------------------------


def bytes_to_unicode() -> dict[int, str]:
    """OpenAI CLIP's reversible byte -> printable character table (GPT-2's)."""
    bs = [
        *range(ord("!"), ord("~") + 1),
        *range(ord("¡"), ord("¬") + 1),
        *range(ord("®"), ord("ÿ") + 1),
    ]
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, (chr(c) for c in cs), strict=True))


def clip_vocabulary(bpe_gz: Path) -> tuple[dict[str, int], list[str]]:
    """(token -> id, merge lines) as OpenAI's SimpleTokenizer builds them."""
    with gzip.open(bpe_gz) as f:
        lines = f.read().decode("utf-8").split("\n")
    merges = lines[1 : MERGES + 1]  # the first line is a version header
    symbols = list(bytes_to_unicode().values())
    tokens = symbols + [s + "</w>" for s in symbols]
    tokens += ["".join(merge.split()) for merge in merges]
    tokens += ["<|startoftext|>", "<|endoftext|>"]
    return {t: i for i, t in enumerate(tokens)}, merges


def write(out: Path, bpe_gz: Path | None) -> None:
    for family, files in FAMILIES.items():
        folder = out / family
        shutil.rmtree(folder, ignore_errors=True)
        for name, content in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(content, indent=2, sort_keys=True) + "\n")
    if bpe_gz is not None:
        vocab, merges = clip_vocabulary(bpe_gz)
        folder = out / "clip-tokenizer"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False))
        (folder / "merges.txt").write_text("#version: 0.2\n" + "\n".join(merges) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--bpe", type=Path, help="bpe_simple_vocab_16e6.txt.gz (rewrites the vocab)"
    )
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    write(args.out, args.bpe)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
