"""The VAE, the Transformer, the n-gram baseline and the composing steps on tiny random
models: shapes, interpolation ends, continuation keeps its prompt. Seconds."""

from __future__ import annotations

import numpy as np
import pytest

from engines.errors import BadInput
from engines.music import compose
from engines.music.data import HOLD, NUM_MELODY_TOKENS, REST, Note, canonical, notes_to_tokens
from engines.music.melody_transformer import BAR, MelodyTransformer, with_bars
from engines.music.melody_vae import MelodyVAE, slerp
from engines.music.ngram import NGramModel


def _melody(steps: int = 32) -> np.ndarray:
    return notes_to_tokens([Note(60 + (i * 5) % 12, i * 4, 3) for i in range(steps // 4)], steps)


def _valid(tokens: np.ndarray) -> bool:
    return bool(((tokens >= 0) & (tokens < NUM_MELODY_TOKENS)).all()) and np.array_equal(
        canonical(tokens), tokens
    )


def test_vae_encode_decode_shapes(tiny_vae: MelodyVAE) -> None:
    z = tiny_vae.encode(_melody(64))
    assert z.shape == (2, tiny_vae.config.latent)
    out = tiny_vae.decode(z)
    assert out.shape == (64,) and _valid(out)
    assert tiny_vae.encode(_melody(40)).shape[0] == 2  # padded to whole 2-bar chunks


def test_vae_sampling_is_seeded(tiny_vae: MelodyVAE) -> None:
    a, b, c = (tiny_vae.sample(4, seed=s, temperature=1.0) for s in (1, 1, 2))
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert len(a) == 64 and _valid(a)


def _masked_log_likelihood(vae: MelodyVAE, z, tokens):  # type: ignore[no-untyped-def]
    """log p(tokens | z) as the decoders see it: no HOLD where nothing sounds."""
    import torch

    with torch.no_grad():
        logits = vae.network.decode_logits(z, tokens)
    t = tokens.numpy()
    sounding = np.zeros_like(t, dtype=bool)  # sounding before each step
    for i in range(1, t.shape[1]):
        sounding[:, i] = (t[:, i - 1] >= 2) | (sounding[:, i - 1] & (t[:, i - 1] == HOLD))
    logits[torch.as_tensor(~sounding)] = logits[torch.as_tensor(~sounding)].index_fill(
        -1, torch.tensor([HOLD]), float("-inf")
    )
    logp = torch.log_softmax(logits, -1).gather(-1, tokens.unsqueeze(-1)).squeeze(-1)
    return logp.sum(-1).numpy()


def test_beam_decode_is_greedy_at_width_one_and_finds_likelier_melodies(
    tiny_vae: MelodyVAE,
) -> None:
    import torch

    z = torch.randn(24, tiny_vae.config.latent, generator=torch.Generator().manual_seed(0))
    greedy = tiny_vae.network.decode(z)
    assert torch.equal(tiny_vae.network.decode_beam(z, 1), greedy)
    beamed = tiny_vae.network.decode_beam(z, 6)
    assert beamed.shape == greedy.shape
    assert all(_valid(row) for row in beamed.numpy())
    gain = _masked_log_likelihood(tiny_vae, z, beamed) - _masked_log_likelihood(tiny_vae, z, greedy)
    assert gain.mean() > 0 and (gain >= -1e-4).mean() >= 0.9, gain
    # The public decode (temperature 0) is that beam, chunk by chunk.
    assert np.array_equal(
        tiny_vae.decode(z[:2].numpy()),
        canonical(tiny_vae.network.decode_beam(z[:2], 4).reshape(-1).numpy()),
    )


def test_interpolation_ends_are_the_inputs_decodes(tiny_vae: MelodyVAE) -> None:
    za, zb = tiny_vae.encode(_melody()), tiny_vae.encode(_melody()[::-1].copy())
    assert np.array_equal(tiny_vae.decode(tiny_vae.interpolate(za, zb, 0.0)), tiny_vae.decode(za))
    assert np.array_equal(tiny_vae.decode(tiny_vae.interpolate(za, zb, 1.0)), tiny_vae.decode(zb))
    with pytest.raises(BadInput):
        tiny_vae.interpolate(za, np.concatenate([zb, zb]), 0.5)


def test_slerp_keeps_the_norm_between_orthogonal_unit_vectors() -> None:
    a, b = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    assert np.linalg.norm(slerp(a, b, 0.5)) == pytest.approx(1.0)
    assert np.allclose(slerp(a, b, 0.0), a) and np.allclose(slerp(a, b, 1.0), b)


def test_attribute_directions_move_the_latent(tiny_vae: MelodyVAE) -> None:
    z = tiny_vae.encode(_melody())
    moved = tiny_vae.with_attributes(z, {"density": 1.0})
    assert np.allclose(moved - z, tiny_vae.attributes["density"])
    assert np.array_equal(tiny_vae.with_attributes(z, {"density": 0.0}), z)


def test_attribute_directions_from_data() -> None:
    from engines.music.melody_vae import attribute_directions

    rng = np.random.default_rng(0)
    windows = np.stack(
        [_melody() if i % 2 else notes_to_tokens([Note(60, 0, 32)], 32) for i in range(40)]
    )
    latents = rng.standard_normal((40, 3)).astype(np.float32)
    latents[1::2, 0] += 5.0  # the dense windows sit at +5 on the first axis
    directions = attribute_directions(latents, windows)
    assert directions["density"][0] > 4


def test_vae_save_and_load_round_trip(tiny_vae: MelodyVAE, tmp_path) -> None:  # type: ignore[no-untyped-def]
    tiny_vae.save(tmp_path / "v.safetensors", {"note": "tiny"})
    back = MelodyVAE.load(tmp_path / "v.safetensors")
    z = tiny_vae.encode(_melody())
    assert np.allclose(back.encode(_melody()), z, atol=1e-6)
    assert back.info == {"note": "tiny"} and set(back.attributes) == {"density", "range"}
    assert back.codes is None and back.code_scale is None  # no density: N(0, I) draws


def test_code_density_samples_around_the_training_codes(tiny_vae: MelodyVAE, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from engines.music.melody_vae import fit_code_density

    rng = np.random.default_rng(0)
    # Codes far from the prior's centre, spread 0.1 along each axis.
    latents = (np.array([6.0, -4.0, 2.0, 0.0]) + 0.1 * rng.standard_normal((500, 4))).astype(
        np.float32
    )
    codes, scale = fit_code_density(latents, bank=64)
    assert codes.shape == (64, 4) and np.allclose(scale @ scale.T, np.cov(latents.T), atol=1e-3)
    vae = replace(tiny_vae, codes=codes, code_scale=scale, code_bandwidth=0.5)
    drawn = np.concatenate([vae.sample_latents(1, seed=s) for s in range(200)])
    assert np.allclose(drawn.mean(0), latents.mean(0), atol=0.05)  # where the codes are
    spread = drawn.std(0)  # a code's own spread plus half of it as kernel noise
    assert np.allclose(spread, 0.1 * np.sqrt(1 + 0.5**2), rtol=0.25), spread
    assert np.array_equal(vae.sample_latents(2, seed=3), vae.sample_latents(2, seed=3))
    # Variations are shaped like the codes too: small steps here, not unit-normal ones.
    z = vae.encode(_melody())
    steps = np.concatenate([v - z for v in vae.variations(z, 50, 0.6, seed=1)])
    assert 0.03 < steps.std() < 0.1
    vae.save(tmp_path / "d.safetensors")
    back = MelodyVAE.load(tmp_path / "d.safetensors")
    assert back.code_bandwidth == 0.5 and back.codes is not None
    assert np.array_equal(back.sample_latents(2, seed=3), vae.sample_latents(2, seed=3))


def test_missing_weights_are_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from engines.errors import ModelUnavailable

    with pytest.raises(ModelUnavailable, match="train them"):
        MelodyVAE.load(tmp_path / "none.safetensors")
    with pytest.raises(ModelUnavailable, match="train them"):
        MelodyTransformer.load(tmp_path / "none.safetensors")


def test_continuation_keeps_the_prompt_and_adds_whole_bars(
    tiny_transformer: MelodyTransformer,
) -> None:
    prompt = _melody(32)
    calls: list[tuple[int, int]] = []
    out = tiny_transformer.continue_melody(
        prompt,
        3,
        temperature=1.0,
        seed=4,
        key=(0, "major"),
        on_bar=lambda d, t: calls.append((d, t)),
    )
    assert np.array_equal(out[:32], prompt) and len(out) == 32 + 48 and _valid(out)
    assert calls == [(1, 3), (2, 3), (3, 3)]
    again = tiny_transformer.continue_melody(prompt, 3, temperature=1.0, seed=4, key=(0, "major"))
    assert np.array_equal(out, again)
    with pytest.raises(BadInput):
        tiny_transformer.continue_melody(prompt, 0)


def test_continuation_after_silence_never_starts_with_a_hold(
    tiny_transformer: MelodyTransformer,
) -> None:
    for seed in range(5):
        out = tiny_transformer.continue_melody(
            np.zeros(16, dtype=np.int64), 1, temperature=2.0, seed=seed
        )
        assert _valid(out)


def test_transformer_save_load_and_likelihood(
    tiny_transformer: MelodyTransformer, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    tiny_transformer.save(tmp_path / "t.safetensors")
    back = MelodyTransformer.load(tmp_path / "t.safetensors")
    seq = np.concatenate([[70, 120], with_bars(_melody(64), np.arange(0, 64, 16))])
    ll, n = tiny_transformer.log_likelihood(seq)
    ll2, n2 = back.log_likelihood(seq)
    assert n == n2 == len(seq) - 2 and ll == pytest.approx(ll2, rel=1e-5) and ll < 0
    assert (seq == BAR).sum() == 4


def test_ngram_learns_and_normalises() -> None:
    seqs = [np.array([5, 6, 7, 8] * 20)] * 3
    model = NGramModel(vocab=10, order=4).fit(seqs)
    logp = model.token_log_probs(np.array([5, 6, 7, 8, 5, 6, 7, 8]))
    assert np.exp(logp[4:]).min() > 0.9  # a seen pattern is near certain
    # Probabilities over the whole vocabulary sum to 1 in a seen and an unseen context.
    for context in ([5, 6, 7], [1, 2, 3]):
        total = sum(np.exp(model.token_log_probs(np.array([*context, w]))[-1]) for w in range(10))
        assert total == pytest.approx(1.0)


def test_compose_sample_extend_interpolate_variations(tiny_models: None) -> None:
    sampled = compose.sample(4, seed=1, temperature=1.0)
    assert len(sampled.tokens) == 64 and _valid(sampled.tokens)
    longer = compose.extend(sampled, 2, 1.0, seed=2)
    assert np.array_equal(longer.tokens[:64], sampled.tokens) and len(longer.tokens) == 96
    a, b = compose.Melody(_melody()), compose.Melody(notes_to_tokens([Note(70, 0, 8)], 32))
    steps = compose.interpolate(a, b, 4)
    assert len(steps) == 4 and all(len(s.tokens) == 32 for s in steps)
    assert len(compose.join(steps).tokens) == 128
    assert len(compose.variations(a, 3, 0.5, seed=0)) == 3
    with pytest.raises(BadInput):
        compose.sample(0, 0, 1.0)
    with pytest.raises(BadInput):
        compose.interpolate(a, b, 1)
    assert REST == 0 and HOLD == 1


def test_bar_tokens_past_the_last_note_are_dropped() -> None:
    body = with_bars(_melody(32), np.array([0, 16, 32, 48]))
    assert (body == BAR).sum() == 2 and len(body) == 34


def test_cached_steps_give_the_full_forward_logits(tiny_transformer: MelodyTransformer) -> None:
    """The key/value cache is an optimisation only: every step's logits equal a full pass
    over the same context."""
    import torch

    network = tiny_transformer.network
    tokens = torch.as_tensor([_melody(24).tolist()])
    with torch.no_grad():
        out, past = network.incremental(tokens[:, :5], None)
        assert torch.allclose(out[0], network(tokens[:, :5])[0, -1], atol=1e-5)
        for t in range(5, tokens.shape[1]):
            out, past = network.incremental(tokens[:, t : t + 1], past)
            full = network(tokens[:, : t + 1])[0, -1]
            assert torch.allclose(out[0], full, atol=1e-5), t


def test_long_continuations_restart_the_window_and_stay_reproducible(
    tiny_transformer: MelodyTransformer,
) -> None:
    # 6 bars of 17 tokens run past the tiny model's 32-token context several times.
    a = tiny_transformer.continue_melody(_melody(16), 6, temperature=1.0, seed=9)
    b = tiny_transformer.continue_melody(_melody(16), 6, temperature=1.0, seed=9)
    assert len(a) == 16 + 6 * 16 and (a == b).all()
