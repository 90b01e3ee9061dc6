"""The shipped music weights: real properties on held-out tunes (runs in CI)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engines.music import compose
from engines.music.data import (
    Corpus,
    estimate_key,
    in_scale_share,
    note_density,
    vae_windows,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus.load()


@pytest.fixture(scope="module")
def held_windows(corpus: Corpus) -> np.ndarray:
    windows = vae_windows(corpus, corpus.indices(held_out=True))
    return windows[np.random.default_rng(0).permutation(len(windows))[:300]]


def test_the_corpus_is_the_public_domain_collections(corpus: Corpus) -> None:
    from engines.music.data import COLLECTIONS

    assert len(corpus) > 4000
    names = {COLLECTIONS[c] for c in corpus.collection}
    assert names == {"oneills1850", "ryansMammoth", "airdsAirs", "miscFolk", "bach"}
    assert 0.03 < corpus.held_out.mean() < 0.07
    assert (corpus.key_mode >= 0).mean() > 0.95


def test_catalogue_lists_the_music_models_as_available() -> None:
    from engines.catalogue import Catalogue

    for model_id in ("melody-vae-2bar", "melody-transformer", "fluidr3mono-gm"):
        entry = Catalogue().get(model_id)
        assert entry.availability().available and entry.engine_ready
        assert "essenFolksong" in entry.data_provenance or model_id == "fluidr3mono-gm"
    for path in (
        Catalogue().get("melody-vae-2bar").require()
        + Catalogue().get("melody-transformer").require()
    ):
        assert Path(path).stat().st_size < 20_000_000


def test_vae_reconstructs_held_out_windows(corpus: Corpus) -> None:
    from engines.music.melody_vae import DECODE_BEAM
    from engines.music.train_vae import reconstruction_accuracy

    every_window = vae_windows(corpus, corpus.indices(held_out=True))
    figures = reconstruction_accuracy(compose.vae(), every_window, beam=DECODE_BEAM)
    # The bar (90%) holds free-running, for the beam the studio decodes with
    # (90.7% when trained); greedy decoding is a little lower (88.8%), teacher-forced
    # higher (95.4%).
    assert figures[f"beam{DECODE_BEAM}_accuracy"] >= 0.9, figures
    assert figures["greedy_accuracy"] >= 0.88, figures
    assert figures["teacher_forced_accuracy"] >= 0.95, figures
    # The public decode is that beam: the same figure through the panel's path.
    some = every_window[:64]
    vae = compose.vae()
    right = np.mean([(vae.decode(vae.encode(w)) == w).mean() for w in some])
    assert right >= 0.85, right


def test_vae_samples_stay_in_key_like_the_data(held_windows: np.ndarray) -> None:
    vae = compose.vae()
    samples = [vae.decode(vae.sample_latents(1, seed=s)) for s in range(150)]
    data_share = np.mean([in_scale_share(w, *estimate_key(w)) for w in held_windows])
    sample_share = np.mean([in_scale_share(s, *estimate_key(s)) for s in samples if (s >= 2).any()])
    # Samples from the code density: 96.3% in scale against the data's 98.4% when
    # trained (400 samples; N(0, I) draws would give 89.5%).
    assert sample_share >= 0.94 and sample_share >= data_share - 0.04, (sample_share, data_share)
    # Rhythm: a plausible number of notes a bar, like the data's.
    data_density = np.mean([note_density(w) for w in held_windows])
    sample_density = np.mean([note_density(s) for s in samples])
    assert 0.5 * data_density < sample_density < 1.5 * data_density


def test_interpolation_midpoints_stay_in_key(held_windows: np.ndarray) -> None:
    vae = compose.vae()
    shares = []
    for i in range(0, 100, 2):
        za, zb = vae.encode(held_windows[i]), vae.encode(held_windows[i + 1])
        mid = vae.decode(vae.interpolate(za, zb, 0.5))
        if (mid >= 2).any():
            shares.append(in_scale_share(mid, *estimate_key(mid)))
    assert np.mean(shares) > 0.94  # 96.3% over 400 pairs when trained; the data 98.4%


def test_attribute_sliders_move_their_attribute(held_windows: np.ndarray) -> None:
    from engines.music.data import ATTRIBUTES

    vae = compose.vae()
    assert set(vae.attributes) == set(ATTRIBUTES)
    for name, measure in ATTRIBUTES.items():
        lows, highs = [], []
        for w in held_windows[:60]:
            z = vae.encode(w)
            lows.append(measure(vae.decode(vae.with_attributes(z, {name: -1.5}))))
            highs.append(measure(vae.decode(vae.with_attributes(z, {name: 1.5}))))
        assert np.mean(highs) > np.mean(lows), name


def test_transformer_beats_a_4gram_on_held_out_tunes(corpus: Corpus) -> None:
    from engines.music.evaluate import transformer_sequences
    from engines.music.melody_transformer import VOCAB, perplexity
    from engines.music.ngram import NGramModel

    model = compose.transformer()
    held = transformer_sequences(corpus, corpus.indices(held_out=True)[:40], None)
    train = transformer_sequences(corpus, corpus.indices(held_out=False), range(-6, 7))
    ngram = NGramModel(VOCAB, order=4).fit(train)
    t_ll = t_n = n_ll = n_n = 0.0
    for seq in held:
        a, n = model.log_likelihood(seq)
        b, m = ngram.log_likelihood(seq)
        t_ll, t_n, n_ll, n_n = t_ll + a, t_n + n, n_ll + b, n_n + m
    assert perplexity(t_ll, int(t_n)) < perplexity(n_ll, int(n_n))


def test_continuation_keeps_the_prompt_and_stays_in_key(corpus: Corpus) -> None:
    i = int(corpus.indices(held_out=True)[3])
    tune = corpus.tokens[i]
    start = int(corpus.bar_starts[i][0])
    prompt = compose.Melody(tune[start : start + 64], key=corpus.key_of(i))
    out = compose.extend(prompt, 8, temperature=0.9, seed=1)
    assert np.array_equal(out.tokens[:64], prompt.tokens) and len(out.tokens) == 64 + 128
    new = out.tokens[64:]
    assert (new >= 2).sum() >= 8
    key = corpus.key_of(i) or estimate_key(prompt.tokens)
    assert in_scale_share(new, *key) > 0.85


def test_cli_end_to_end_with_the_shipped_weights(tmp_path: Path) -> None:
    import soundfile

    from engines.music.data import read_midi
    from studio.cli import main

    wav, mid = tmp_path / "a.wav", tmp_path / "a.mid"
    assert (
        main(
            [
                "music",
                "-o",
                str(wav),
                "--midi",
                str(mid),
                "--bars",
                "4",
                "--seed",
                "5",
                "--tempo",
                "100",
            ]
        )
        == 0
    )
    assert soundfile.info(str(wav)).duration == pytest.approx(4 * 4 * 60 / 100 + 1.0, abs=0.05)
    assert (read_midi(mid).tokens >= 2).sum() >= 8
