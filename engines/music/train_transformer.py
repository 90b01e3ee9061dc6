"""Train the melody Transformer on the folk-tune corpus.

    python engines/music/train_transformer.py [--minutes 25] [--checkpoint /tmp/music-train/gpt.pt]

Fixed seed; resumable from its checkpoint; writes
``assets/models/music/melody_transformer.safetensors``. One torch thread.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from engines.checkpoints import Checkpoint, NumpyRandomState, TorchGlobalRandomState
from engines.music.data import METERS, NUM_MELODY_TOKENS, Corpus
from engines.music.melody_transformer import (
    KEY_UNKNOWN,
    MelodyTransformer,
    TransformerConfig,
    build_network,
    default_weights_path,
    key_token,
    meter_token,
    with_bars,
)

SEED = 11


def tune_sequence(corpus: Corpus, i: int, shift: int = 0) -> np.ndarray:
    """``[KEY] [METER] body`` for tune ``i`` moved by ``shift`` semitones."""
    tokens = corpus.tokens[i].copy()
    tokens[tokens >= 2] += shift
    key = corpus.key_of(i)
    cond = [
        key_token((key[0] + shift) % 12, key[1]) if key else KEY_UNKNOWN,
        meter_token(METERS[int(corpus.meter[i])]),
    ]
    return np.concatenate([np.array(cond), with_bars(tokens, corpus.bar_starts[i])])


def shift_range(tokens: np.ndarray, span: int = 6) -> tuple[int, int]:
    pitches = tokens[tokens >= 2]
    if len(pitches) == 0:
        return 0, 0
    return max(-span, 2 - int(pitches.min())), min(span, NUM_MELODY_TOKENS - 1 - int(pitches.max()))


def make_batch(
    corpus: Corpus, train: np.ndarray, rng: np.random.Generator, batch: int, block: int
) -> np.ndarray:
    """Windows of ``block + 1`` tokens: the condition tokens, then a crop from a bar line."""
    rows: list[np.ndarray] = []
    while len(rows) < batch:
        i = int(train[rng.integers(len(train))])
        low, high = shift_range(corpus.tokens[i])
        seq = tune_sequence(corpus, i, int(rng.integers(low, high + 1)))
        body = seq[2:]
        bars = np.flatnonzero(body == NUM_MELODY_TOKENS)
        span = block - 1
        start = int(rng.choice(bars)) if len(bars) and rng.random() < 0.8 else 0
        start = min(start, max(0, len(body) - span))
        crop = body[start : start + span]
        row = np.full(block + 1, -1, dtype=np.int64)  # -1: padding, not scored
        row[:2] = seq[:2]
        row[2 : 2 + len(crop)] = crop
        rows.append(row)
    return np.stack(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=25.0)
    parser.add_argument("--max-steps", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--checkpoint", type=Path, default=Path("/tmp/music-train/gpt.pt"))
    parser.add_argument("--output", type=Path, default=default_weights_path())
    parser.add_argument("--corpus", type=Path, default=None)
    args = parser.parse_args()

    import torch
    import torch.nn.functional as F

    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    corpus = Corpus.load(args.corpus)
    train = corpus.indices(held_out=False)
    config = TransformerConfig()
    network = build_network(config)
    print(f"{sum(p.numel() for p in network.parameters()) / 1e6:.2f} M parameters", flush=True)
    optimiser = torch.optim.AdamW(network.parameters(), lr=1e-3, weight_decay=0.05)
    # The file's keys are those this script wrote before the shared checkpoints.
    checkpoint = Checkpoint(
        args.checkpoint,
        network=network,
        optimiser=optimiser,
        rng=NumpyRandomState(rng),
        torch_rng=TorchGlobalRandomState(),
    )
    step = checkpoint.resume()

    deadline = time.time() + args.minutes * 60
    network.train()
    started, running = time.time(), 0.0
    while step < args.max_steps and time.time() < deadline:
        batch = torch.as_tensor(make_batch(corpus, train, rng, args.batch, config.block))
        x, y = batch[:, :-1].clamp(min=0), batch[:, 1:].clone()
        y[:, :1] = -1  # the meter token is given, not predicted
        warm = min(1.0, (step + 1) / 300)
        for g in optimiser.param_groups:
            g["lr"] = 1e-3 * warm
        logits = network(x)
        loss = F.cross_entropy(logits.reshape(-1, config.vocab), y.reshape(-1), ignore_index=-1)
        optimiser.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(network.parameters(), 1.0)
        optimiser.step()
        step += 1
        running += loss.item()
        if step % 100 == 0:
            rate = 100 / (time.time() - started)
            print(f"step {step}: loss {running / 100:.3f} ({rate:.2f} steps/s)", flush=True)
            started, running = time.time(), 0.0
        if step % 500 == 0:
            checkpoint.save(step)
    checkpoint.save(step)
    network.eval()
    model = MelodyTransformer(network, config)
    model.save(args.output, {"steps": step, "seed": SEED, "train_tunes": len(train)})
    print(f"saved {args.output} ({args.output.stat().st_size / 1e6:.1f} MB)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
