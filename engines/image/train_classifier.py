"""Train the emoji-category classifier the evaluation measures with. Fixed seed; resumes
from its checkpoint; stops after --minutes or --steps, whichever comes first.

    nice -n 10 python -m engines.image.train_classifier --data /tmp/image-train/emoji64.npz \
        --work /tmp/image-train/classifier --minutes 10

The shipped weights: 2,000 steps drawn uniformly, then resumed with ``--balanced
--steps 2600`` (the smallest category, Activities, was never predicted before).

Trains on the training split only (random flips, shifts and zooms); prints the held-out
accuracy (overall and per category) and writes
``assets/models/image/emoji-classifier.safetensors``. The last weights are kept, not the
best held-out ones, so the held-out figure is not chosen on the held-out set.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from engines.checkpoints import Checkpoint
from engines.image import classifier as C
from engines.image.vae import rgba_to_tensor

DEFAULT_OUT = (
    Path(__file__).resolve().parents[2] / "assets/models/image/emoji-classifier.safetensors"
)
BACKGROUND = torch.tensor([1.0, 1.0, 1.0, -1.0])[None, :, None, None]  # clear, on white


def augment(x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Random flip, shift (up to 6 pixels) and zoom (0.8-1.1) of (B, 4, 64, 64)."""
    b = len(x)
    flip = torch.where(torch.rand(b, generator=gen) < 0.5, -1.0, 1.0)
    zoom = 0.8 + 0.3 * torch.rand(b, generator=gen)
    shift = (torch.rand(b, 2, generator=gen) - 0.5) * 2 * (6 / 32)
    theta = torch.zeros(b, 2, 3)
    theta[:, 0, 0] = flip / zoom
    theta[:, 1, 1] = 1 / zoom
    theta[:, :, 2] = shift
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    # Sample the difference from the background, so that what comes in from outside is clear.
    moved = F.grid_sample(x - BACKGROUND, grid, padding_mode="zeros", align_corners=False)
    return moved + BACKGROUND


def held_out_accuracy(
    model: C.EmojiClassifier, x: torch.Tensor, labels: torch.Tensor
) -> dict[str, float]:
    model.eval()
    with torch.no_grad():
        predicted = torch.cat([model(x[i : i + 128]).argmax(1) for i in range(0, len(x), 128)])
    model.train()
    report = {"accuracy": round(float((predicted == labels).float().mean()), 3)}
    for i, name in enumerate(model.cfg.categories):
        chosen = labels == i
        if chosen.any():
            report[name] = round(float((predicted[chosen] == i).float().mean()), 3)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/tmp/image-train/emoji64.npz"))
    parser.add_argument("--work", type=Path, default=Path("/tmp/image-train/classifier"))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--steps", type=int, default=2000, help="length of the lr schedule")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--balanced",
        action="store_true",
        help="draw every category equally often (Activities has 75 training emoji, People 353)",
    )
    args = parser.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    data = np.load(args.data)
    held = data["held_out"]
    categories = tuple(str(c) for c in data["category_names"])
    train_x = rgba_to_tensor(torch.from_numpy(data["images"][~held]))
    train_y = torch.from_numpy(data["category"][~held])
    test_x = rgba_to_tensor(torch.from_numpy(data["images"][held]))
    test_y = torch.from_numpy(data["category"][held])
    model = C.EmojiClassifier(C.ClassifierConfig(categories=categories))
    balance = 1.0 / torch.bincount(train_y, minlength=len(categories)).float()[train_y]
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.05)
    args.work.mkdir(parents=True, exist_ok=True)
    gen = torch.Generator().manual_seed(args.seed)
    ckpt = Checkpoint(args.work / "checkpoint.pt", gen, model=model, opt=opt)
    step = ckpt.resume()
    print(f"{sum(p.numel() for p in model.parameters()) / 1e6:.2f} M params", flush=True)

    start = last_save = time.monotonic()
    model.train()
    while step < args.steps and time.monotonic() - start < args.minutes * 60:
        if args.balanced:
            idx = torch.multinomial(balance, args.batch, replacement=True, generator=gen)
        else:
            idx = torch.randint(0, len(train_x), (args.batch,), generator=gen)
        x = augment(train_x[idx], gen)
        lr = args.lr * 0.5 * (1 + math.cos(math.pi * step / args.steps))
        for group in opt.param_groups:
            group["lr"] = lr
        loss = F.cross_entropy(model(x), train_y[idx], label_smoothing=0.1)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        step += 1
        if step % 100 == 0:
            print(f"step {step} loss {loss.item():.3f} {time.monotonic() - start:.0f}s", flush=True)
        if step % 500 == 0:
            print(f"step {step} held-out {held_out_accuracy(model, test_x, test_y)}", flush=True)
        if time.monotonic() - last_save > 120:
            ckpt.save(step)
            last_save = time.monotonic()
    ckpt.save(step)
    report = held_out_accuracy(model, test_x, test_y)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    C.save(model.eval(), args.out, {"steps": str(step), "held_out": json.dumps(report),
                                    "data": "Noto Color Emoji (OFL-1.1)"})  # fmt: skip
    print(f"done: step {step}, held-out {json.dumps(report)}", flush=True)


if __name__ == "__main__":
    main()
