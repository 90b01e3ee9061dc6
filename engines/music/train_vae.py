"""Train the 2-bar melody VAE on the folk-tune corpus.

    python engines/music/train_vae.py [--minutes 25] [--checkpoint /tmp/music-train/vae.pt]

Fixed seed; resumable (run it again with the same checkpoint and it goes on where it
stopped); writes ``assets/models/music/melody_vae_2bar.safetensors`` with the attribute
directions, the code density new melodies are drawn from, and the held-out figures in
its metadata. One torch thread. ``--minutes 0`` only re-evaluates and rewrites the
weights from the checkpoint.

The shipped weights (their metadata's "history") came from runs resumed on one
checkpoint, each with the same seed:

    train_vae.py --max-steps 40000                      # to 5,230 (free bits 48)
    train_vae.py --free-bits 64                         # to 10,397
    train_vae.py --free-bits 128 --word-dropout 0.3 --max-steps 24000 --minutes 8
    train_vae.py --free-bits 128 --word-dropout 0.5 --max-steps 25000 --minutes 50
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from engines.checkpoints import Checkpoint, NumpyRandomState, TorchGlobalRandomState
from engines.music.data import NUM_MELODY_TOKENS, Corpus, vae_windows
from engines.music.melody_vae import (
    DECODE_BEAM,
    MelodyVAE,
    VAEConfig,
    attribute_directions,
    build_network,
    default_weights_path,
    fit_code_density,
    loss_terms,
)

SEED = 7


def random_transpose(batch: np.ndarray, rng: np.random.Generator, span: int = 6) -> np.ndarray:
    """Each window moved by a random interval in [-span, span] that keeps it in range."""
    out = batch.copy()
    is_pitch = out >= 2
    big = np.where(is_pitch, out, NUM_MELODY_TOKENS).min(1)
    small = np.where(is_pitch, out, 0).max(1)
    low = np.maximum(-span, 2 - big)
    high = np.minimum(span, NUM_MELODY_TOKENS - 1 - small)
    shift = rng.integers(low, high + 1)
    return np.where(is_pitch, out + shift[:, None], out)


def reconstruction_accuracy(
    vae: MelodyVAE, windows: np.ndarray, batch: int = 512, beam: int = 0
) -> dict[str, float]:
    """Held-out token accuracy of decoding the encoder's mean: free-running greedy (each
    token follows the decoder's own previous ones), free-running beam search of ``beam``
    (if above 0; the studio's decode) and teacher-forced (each from the true previous)."""
    import torch

    greedy, beamed, forced, total = 0.0, 0.0, 0.0, 0
    with torch.no_grad():
        for i in range(0, len(windows), batch):
            x = torch.as_tensor(windows[i : i + batch])
            mu, _ = vae.network.encode(x)
            greedy += (vae.network.decode(mu) == x).float().sum().item()
            if beam > 0:
                beamed += (vae.network.decode_beam(mu, beam) == x).float().sum().item()
            forced += (vae.network.decode_logits(mu, x).argmax(-1) == x).float().sum().item()
            total += x.numel()
    out = {"greedy_accuracy": greedy / total}
    if beam > 0:
        out[f"beam{beam}_accuracy"] = beamed / total
    out["teacher_forced_accuracy"] = forced / total
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=25.0, help="wall time for this run")
    parser.add_argument("--max-steps", type=int, default=40_000)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--checkpoint", type=Path, default=Path("/tmp/music-train/vae.pt"))
    parser.add_argument("--output", type=Path, default=default_weights_path())
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument(
        "--free-bits",
        type=float,
        default=None,
        help="nats of KL that cost nothing (default: the config's); more gives sharper "
        "reconstructions and a latent further from the prior",
    )
    parser.add_argument(
        "--beta", type=float, default=None, help="KL weight past the free bits (default: config)"
    )
    parser.add_argument(
        "--word-dropout",
        type=float,
        default=0.0,
        help="share of the decoder's previous tokens hidden from it (so that it takes the "
        "melody from z and recovers from its own slips when it runs free)",
    )
    parser.add_argument("--note", default="", help="how the weights came to be, for the metadata")
    args = parser.parse_args()

    import torch

    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    corpus = Corpus.load(args.corpus)
    train = vae_windows(corpus, corpus.indices(held_out=False))
    held = vae_windows(corpus, corpus.indices(held_out=True))
    print(f"windows: {len(train)} train, {len(held)} held out", flush=True)

    config = VAEConfig()
    if args.free_bits is not None:
        config = replace(config, free_bits=args.free_bits)
    if args.beta is not None:
        config = replace(config, beta=args.beta)
    network = build_network(config)
    optimiser = torch.optim.Adam(network.parameters(), lr=1e-3)
    # The file's keys are those this script wrote before the shared checkpoints.
    checkpoint = Checkpoint(
        args.checkpoint,
        network=network,
        optimiser=optimiser,
        rng=NumpyRandomState(rng),
        torch_rng=TorchGlobalRandomState(),
    )
    step = checkpoint.resume()

    run_start, first_step = time.time(), step
    deadline = run_start + args.minutes * 60

    def progress() -> float:
        """Share of the schedule done: by steps, or by this run's wall time if further
        along, so that a run cut short by --minutes still ends with a low learning rate."""
        by_time = (time.time() - run_start) / max(1.0, args.minutes * 60)
        virtual_step = first_step + by_time * (args.max_steps - first_step)
        return max(step, virtual_step) / args.max_steps

    network.train()
    started, log = time.time(), {"recon": 0.0, "kl": 0.0, "accuracy": 0.0}
    while step < args.max_steps and time.time() < deadline:
        batch = random_transpose(train[rng.integers(0, len(train), args.batch)], rng)
        terms = loss_terms(network, torch.as_tensor(batch), args.word_dropout)
        beta = config.beta * min(1.0, step / 3000)  # KL warm-up
        kl_cost = torch.clamp(terms["kl"] - config.free_bits, min=0.0)
        loss = terms["recon"] + beta * kl_cost
        for g in optimiser.param_groups:  # gentle decay after the first third
            g["lr"] = 1e-3 * max(0.1, min(1.0, 1.5 - progress() * 1.5))
        optimiser.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(network.parameters(), 1.0)
        optimiser.step()
        step += 1
        for k in log:
            log[k] += terms[k].item()
        if step % 200 == 0:
            rate = 200 / (time.time() - started)
            print(
                f"step {step}: recon {log['recon'] / 200:.3f} kl {log['kl'] / 200:.1f} "
                f"acc {log['accuracy'] / 200:.3f} ({rate:.1f} steps/s)",
                flush=True,
            )
            started, log = time.time(), dict.fromkeys(log, 0.0)
        if step % 1000 == 0:
            checkpoint.save(step)
            network.eval()  # a quick look at the honest figure on a fixed held-out subset
            quick = reconstruction_accuracy(MelodyVAE(network, config), held[:400])
            network.train()
            print(f"step {step}: held-out (400 windows) {quick}", flush=True)
    checkpoint.save(step)

    network.eval()
    vae = MelodyVAE(network, config)
    figures = reconstruction_accuracy(vae, held, beam=DECODE_BEAM)
    # Attribute directions and the code density (what new latents are drawn from) from
    # the training windows' latent means.
    pick = train[rng.permutation(len(train))[:16000]]
    with torch.no_grad():
        latents = np.concatenate(
            [
                network.encode(torch.as_tensor(pick[i : i + 512]))[0].numpy()
                for i in range(0, len(pick), 512)
            ]
        )
    vae.attributes = attribute_directions(latents, pick)
    vae.codes, vae.code_scale = fit_code_density(latents)  # ``pick`` is in random order
    info = {
        "steps": step,
        "seed": SEED,
        "train_windows": len(train),
        "held_out_windows": len(held),
        "free_bits": config.free_bits,
        "beta": config.beta,
        "word_dropout": args.word_dropout,
        **({"history": args.note} if args.note else {}),
        **{k: round(v, 4) for k, v in figures.items()},
    }
    vae.save(args.output, info)
    print(f"saved {args.output} ({args.output.stat().st_size / 1e6:.1f} MB): {info}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
