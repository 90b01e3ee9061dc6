"""Tiny random image models (seed 0, a few channels) so the whole pipeline runs in seconds."""

from __future__ import annotations

from pathlib import Path

import pytest

WORDS = [
    "red",
    "green",
    "blue",
    "yellow",
    "heart",
    "apple",
    "cat",
    "face",
    "smiling",
    "star",
    "big",
    "small",
    "a",
    "an",
    "of",
    "the",
]


def build_tiny_encoder(folder: Path) -> Path:
    """A 2-layer random BERT with a tiny local word-piece vocabulary (no hub access)."""
    import torch
    from transformers import BertConfig, BertModel, BertTokenizerFast

    folder.mkdir(parents=True, exist_ok=True)
    pieces = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]
    # A vocabulary given as a dict (transformers 5 reads a vocab.txt path as all-unknown).
    tokenizer = BertTokenizerFast(vocab={piece: i for i, piece in enumerate(pieces)})
    tokenizer.save_pretrained(str(folder))
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(WORDS) + 5,
        hidden_size=16,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=64,
    )
    BertModel(config).save_pretrained(str(folder))
    return folder


@pytest.fixture(scope="session")
def tiny_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    import torch

    from engines.image import gan as G
    from engines.image import latent_diffusion as L
    from engines.image import vae as V

    root = tmp_path_factory.mktemp("tiny-image")
    torch.manual_seed(0)
    vae = V.EmojiVAE(V.VAEConfig(channels=(8, 8, 8), blocks=1, latent_scale=1.0))
    V.save(vae, root / "vae.safetensors")
    unet = L.UNet(L.LDMConfig(channels=(8, 16), text_dim=16, max_tokens=8, time_dim=16, heads=2))
    # The zero-initialised output layers would make every random model predict v = 0;
    # give them weights so the pictures depend on the noise, the prompt and the steps.
    for module in unet.modules():
        if isinstance(module, torch.nn.Conv2d | torch.nn.Linear):
            torch.nn.init.normal_(module.weight, 0.0, 0.2)
    with torch.no_grad():
        unet.null_tokens.normal_()
        unet.null_pooled.normal_()
    L.save(unet, root / "ldm.safetensors")
    generator = G.Generator(G.GANConfig(z_dim=8, width=8))
    generator.apply(G.init_weights)
    G.save(generator.eval(), root / "gan.safetensors")
    directions, spread = G.ganspace_directions(generator, count=3, samples=256)
    from safetensors.torch import save_file

    save_file(
        {"directions": directions, "spread": spread}, str(root / "gan-directions.safetensors")
    )
    return {
        "vae": root / "vae.safetensors",
        "ldm": root / "ldm.safetensors",
        "gan": root / "gan.safetensors",
        "gan_directions": root / "gan-directions.safetensors",
        "encoder": build_tiny_encoder(root / "encoder"),
    }


@pytest.fixture(scope="session")
def tiny_diffusion(tiny_files: dict[str, Path]):  # type: ignore[no-untyped-def]
    from engines.image.emoji import EmojiDiffusionEngine

    return EmojiDiffusionEngine(
        "tiny-ldm", tiny_files["ldm"], tiny_files["vae"], tiny_files["encoder"]
    )


@pytest.fixture(scope="session")
def tiny_gan(tiny_files: dict[str, Path]):  # type: ignore[no-untyped-def]
    from engines.image.emoji import EmojiGANEngine

    return EmojiGANEngine("tiny-gan", tiny_files["gan"], tiny_files["gan_directions"])


@pytest.fixture
def tiny_upscaler(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A random upscaler (non-zero output layer) put where the engines look for it."""
    import torch

    from engines.image import emoji
    from engines.image import upscaler as U

    torch.manual_seed(0)
    model = U.Upscaler(U.UpscalerConfig(width=8, blocks=1))
    torch.nn.init.normal_(model.tail.weight, 0.0, 0.2)
    model.eval()
    monkeypatch.setattr(emoji, "_upscaler", model)
    monkeypatch.setattr(emoji, "_upscaler_missing", "")
    return model
