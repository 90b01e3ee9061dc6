"""Print the music models' measured quality on the held-out tunes.

    python engines/music/evaluate.py [--samples 400] [--json]

VAE: token accuracy of reconstructing held-out 2-bar windows from the encoder's mean,
free-running (each token decoded after the decoder's own previous ones, the honest
figure: greedy, and the beam search the studio decodes with) and teacher-forced (each
token after the true previous ones); share of in-scale notes and rhythm figures of
samples (from the code density the weights carry, which is what the studio samples
from, and from N(0, I) beside it) and of interpolation midpoints against the data's
own; how many samples copy a training window note for note in some transposition. The
key of every melody (data, samples and midpoints alike) is estimated by the same
function, so the shares compare like with like; the data's share under its annotated
key is printed too.

Transformer: held-out perplexity per token (melody and bar tokens after the key and
meter tokens) against a 4-gram Witten-Bell model trained on the same tunes with the
same transpositions.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from engines.music.data import (
    Corpus,
    estimate_key,
    in_scale_share,
    note_density,
    syncopation,
    vae_windows,
)


def melody_figures(melodies: list[np.ndarray]) -> dict[str, float]:
    shares = [in_scale_share(m, *estimate_key(m)) for m in melodies if (m >= 2).any()]
    return {
        "in_scale_share": round(float(np.mean(shares)), 4),
        "notes_per_bar": round(float(np.mean([note_density(m) * 16 for m in melodies])), 2),
        "syncopation": round(float(np.mean([syncopation(m) for m in melodies])), 4),
        "silent_share": round(float(np.mean([(m == 0).mean() for m in melodies])), 4),
    }


def _shape(window: np.ndarray) -> bytes:
    """A window with its pitches made relative to its first note: equal for transpositions."""
    out = np.asarray(window).copy()
    pitched = out >= 2
    if pitched.any():
        out[pitched] -= out[pitched][0] - 40
    return out.tobytes()


def evaluate_vae(
    corpus: Corpus, samples: int, seed: int = 0, weights: Path | None = None
) -> dict[str, Any]:
    from engines.music.melody_vae import DECODE_BEAM, MelodyVAE
    from engines.music.train_vae import reconstruction_accuracy

    vae = MelodyVAE.load(weights)
    held = vae_windows(corpus, corpus.indices(held_out=True))
    out: dict[str, Any] = {
        "held_out_windows": len(held),
        **reconstruction_accuracy(vae, held, beam=DECODE_BEAM),
    }
    out["training"] = vae.info
    rng = np.random.default_rng(seed)
    data = [held[i] for i in rng.permutation(len(held))[:samples]]
    out["data"] = melody_figures(data)
    annotated = []
    for i in corpus.indices(held_out=True):
        key = corpus.key_of(int(i))
        if key is not None:
            annotated.append(in_scale_share(corpus.tokens[int(i)], *key))
    out["data"]["in_scale_share_annotated_key"] = round(float(np.mean(annotated)), 4)
    drawn = [vae.decode(vae.sample_latents(1, seed=s)) for s in range(samples)]
    source = "code density" if vae.codes is not None else "N(0, I)"
    out["samples"] = {"from": source, **melody_figures(drawn)}
    normal = np.random.default_rng(seed + 1).standard_normal((samples, vae.config.latent))
    out["samples_from_standard_normal"] = melody_figures(
        [vae.decode(z[None, :].astype(np.float32)) for z in normal]
    )
    train_shapes = {_shape(w) for w in vae_windows(corpus, corpus.indices(held_out=False))}
    out["samples"]["copies_of_a_training_window"] = round(
        float(np.mean([_shape(d) in train_shapes for d in drawn])), 4
    )
    pairs = rng.integers(0, len(held), size=(samples, 2))
    mids = [
        vae.decode(vae.interpolate(vae.encode(held[a]), vae.encode(held[b]), 0.5)) for a, b in pairs
    ]
    out["interpolation_midpoints"] = melody_figures(mids)
    out["attributes"] = sorted(vae.attributes)
    return out


def transformer_sequences(
    corpus: Corpus, indices: np.ndarray, shifts: range | None
) -> list[np.ndarray]:
    from engines.music.train_transformer import shift_range, tune_sequence

    out = []
    for i in indices:
        if shifts is None:
            out.append(tune_sequence(corpus, int(i)))
            continue
        low, high = shift_range(corpus.tokens[int(i)])
        out.extend(tune_sequence(corpus, int(i), s) for s in shifts if low <= s <= high)
    return out


def evaluate_transformer(corpus: Corpus) -> dict[str, Any]:
    from engines.music.melody_transformer import VOCAB, MelodyTransformer, perplexity
    from engines.music.ngram import NGramModel

    model = MelodyTransformer.load()
    held = transformer_sequences(corpus, corpus.indices(held_out=True), None)
    t0 = time.time()
    total, count = 0.0, 0
    for seq in held:
        ll, n = model.log_likelihood(seq)
        total, count = total + ll, count + n
    out: dict[str, Any] = {"held_out_tunes": len(held), "tokens": count}
    out["transformer_perplexity"] = round(perplexity(total, count), 4)
    out["transformer_seconds"] = round(time.time() - t0, 1)
    train = transformer_sequences(corpus, corpus.indices(held_out=False), range(-6, 7))
    ngram = NGramModel(VOCAB, order=4).fit(train)
    total, count = 0.0, 0
    for seq in held:
        ll, n = ngram.log_likelihood(seq)
        total, count = total + ll, count + n
    out["ngram4_perplexity"] = round(perplexity(total, count), 4)
    out["ngram_train_sequences"] = len(train)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=400)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--only", choices=("vae", "transformer"), default=None)
    parser.add_argument("--vae-weights", type=Path, default=None, help="default: the shipped")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(1)
    corpus = Corpus.load()
    report: dict[str, Any] = {}
    if args.only in (None, "vae"):
        report["vae"] = evaluate_vae(corpus, args.samples, weights=args.vae_weights)
    if args.only in (None, "transformer"):
        report["transformer"] = evaluate_transformer(corpus)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    for model, figures in report.items():
        print(model)
        for key, value in figures.items():
            print(f"  {key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
