"""Tiny random music models (seconds to build) standing in for the shipped weights."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

# The GUI tests' window fixtures, for the panel tests here.
from tests.gui.conftest import make_window, window  # noqa: F401


@pytest.fixture(scope="session")
def tiny_vae():  # type: ignore[no-untyped-def]
    import torch

    from engines.music.melody_vae import MelodyVAE, VAEConfig, build_network

    torch.manual_seed(0)
    config = VAEConfig(embed=8, encoder_hidden=8, latent=4, decoder_hidden=16)
    vae = MelodyVAE(build_network(config).eval(), config)
    vae.attributes = {"density": torch.randn(4).numpy(), "range": torch.randn(4).numpy()}
    return vae


@pytest.fixture(scope="session")
def tiny_transformer():  # type: ignore[no-untyped-def]
    import torch

    from engines.music.melody_transformer import MelodyTransformer, TransformerConfig, build_network

    torch.manual_seed(0)
    config = TransformerConfig(block=32, layers=1, heads=2, width=16, dropout=0.0)
    return MelodyTransformer(build_network(config).eval(), config)


@pytest.fixture
def tiny_models(tiny_vae, tiny_transformer, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """``engines.music.compose`` uses the tiny models instead of loading weights."""
    from engines.music import compose

    monkeypatch.setattr(compose, "_vae", lambda: tiny_vae)
    monkeypatch.setattr(compose, "_transformer", lambda: tiny_transformer)
    yield
