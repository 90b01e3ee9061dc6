"""Train the emoji 4x upscaler (64 -> 256). Fixed seed; resumes from its checkpoint;
stops after --minutes.

    python -m engines.image.build_dataset --out /tmp/image-train/emoji64.npz
    python -m engines.image.build_dataset --size 256 --out /tmp/image-train/emoji256.npz
    nice -n 10 python -m engines.image.train_upscaler --work /tmp/image-train/upscaler \
        --minutes 45

Pixel loss (L1) alone for the first ``--warmup-steps``, then L1 plus a small adversarial
term from a patch discriminator (non-saturating GAN loss). Training works on random
crops (32x32 in, 128x128 out): the network is fully convolutional, and crops cut the
discriminator's cost by 16. A quarter of the inputs are lightly blurred first, so the
network also sharpens the softer pictures the VAE and GAN decode.

The 256-pixel targets are the font's ~136-pixel bitmaps resampled with Lanczos (no
sharper 256-pixel drawing of these emoji exists offline; see ``build_dataset``).

Writes ``assets/models/image/emoji-upscaler.safetensors`` and prints the held-out PSNR
against bicubic at 256 (composited on white); ``--evaluate-only`` just measures and saves
the comparison sheet (bicubic | ours | target).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from engines.checkpoints import Checkpoint
from engines.image import upscaler as U
from engines.image.vae import on_white, psnr_on_white, rgba_to_tensor

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "assets/models/image/emoji-upscaler.safetensors"
DEFAULT_SHEET = ROOT / "tests/bench/image-evaluation/upscaler-comparison.png"
CROP = 32  # input crop side; the target crop is 4x that


def load_pairs(small: Path, large: Path) -> tuple[torch.Tensor, ...]:
    """(train 64, train 256, held-out 64, held-out 256) uint8 RGBA, same emoji in order."""
    a, b = np.load(small), np.load(large)
    if not (a["names"] == b["names"]).all():
        raise SystemExit(f"{small} and {large} hold different emoji: rebuild both")
    held = a["held_out"]
    return tuple(
        torch.from_numpy(x)
        for x in (a["images"][~held], b["images"][~held], a["images"][held], b["images"][held])
    )


def blur(x: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
    """Gaussian blur of (B, C, H, W) with one sigma per image (5x5 kernel)."""
    r = torch.arange(-2, 3, dtype=x.dtype)
    k = torch.exp(-(r[None] ** 2) / (2 * sigma[:, None].clamp_min(1e-3) ** 2))  # (B, 5)
    k = k / k.sum(1, keepdim=True)
    b, c, h, w = x.shape
    y = x.reshape(1, b * c, h, w)
    kx = k.repeat_interleave(c, 0)[:, None, None, :]  # (B*C, 1, 1, 5)
    y = F.conv2d(F.pad(y, (2, 2, 0, 0), mode="replicate"), kx, groups=b * c)
    y = F.conv2d(F.pad(y, (0, 0, 2, 2), mode="replicate"), kx.transpose(2, 3), groups=b * c)
    return y.reshape(b, c, h, w)


def batch_of(
    small: torch.Tensor, large: torch.Tensor, size: int, gen: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """Random aligned crops, flipped half the time; a quarter of the inputs blurred."""
    idx = torch.randint(0, len(small), (size,), generator=gen)
    ys = torch.randint(0, 64 - CROP + 1, (size,), generator=gen).tolist()
    xs = torch.randint(0, 64 - CROP + 1, (size,), generator=gen).tolist()
    flip = (torch.rand(size, generator=gen) < 0.5).tolist()
    blurred = torch.rand(size, generator=gen) < 0.25
    sigma = torch.rand(size, generator=gen) * 0.8 * blurred
    lo, hi = [], []
    for i, y, x, f in zip(idx.tolist(), ys, xs, flip, strict=True):
        a = small[i, y : y + CROP, x : x + CROP]
        b = large[i, 4 * y : 4 * (y + CROP), 4 * x : 4 * (x + CROP)]
        lo.append(a.flip(1) if f else a)
        hi.append(b.flip(1) if f else b)
    x_lo = rgba_to_tensor(torch.stack(lo))
    x_lo = torch.where(blurred[:, None, None, None], blur(x_lo, sigma), x_lo)
    return x_lo, rgba_to_tensor(torch.stack(hi))


def bicubic(x: torch.Tensor) -> torch.Tensor:
    return F.interpolate(x, scale_factor=4.0, mode="bicubic", align_corners=False).clamp(-1, 1)


def evaluate(model: U.Upscaler, small: torch.Tensor, large: torch.Tensor) -> dict[str, float]:
    """Held-out PSNR (dB, on white, mean over images) of ours and of bicubic at 256."""
    model.eval()
    ours, cubic = [], []
    with torch.no_grad():
        for i in range(0, len(small), 32):
            x, target = rgba_to_tensor(small[i : i + 32]), rgba_to_tensor(large[i : i + 32])
            ours.append(psnr_on_white(model(x), target))
            cubic.append(psnr_on_white(bicubic(x), target))
    model.train()
    a, b = torch.cat(ours), torch.cat(cubic)
    return {
        "psnr_db": round(float(a.mean()), 2),
        "bicubic_psnr_db": round(float(b.mean()), 2),
        "better_than_bicubic_share": round(float((a > b).float().mean()), 3),
    }


def comparison_sheet(
    model: U.Upscaler, small: torch.Tensor, large: torch.Tensor, path: Path, count: int = 6
) -> None:
    """Rows of held-out emoji: bicubic | ours | target, each 256x256, on white."""
    from PIL import Image

    pick = torch.linspace(0, len(small) - 1, count).long()
    x, target = rgba_to_tensor(small[pick]), rgba_to_tensor(large[pick])
    with torch.no_grad():
        columns = [bicubic(x), model.eval()(x), target]
    sheet = Image.new("RGB", (3 * 256 + 2 * 8, count * 256 + (count - 1) * 8), "#888888")
    for c, images in enumerate(columns):
        rgb = (on_white(images) * 255).round().byte().permute(0, 2, 3, 1).numpy()
        for r in range(count):
            sheet.paste(Image.fromarray(rgb[r], "RGB"), (c * 264, r * 264))
    path.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data64", type=Path, default=Path("/tmp/image-train/emoji64.npz"))
    parser.add_argument("--data256", type=Path, default=Path("/tmp/image-train/emoji256.npz"))
    parser.add_argument("--work", type=Path, default=Path("/tmp/image-train/upscaler"))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--sheet", type=Path, default=DEFAULT_SHEET)
    parser.add_argument("--minutes", type=float, default=45.0)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--warmup-steps", type=int, default=3000, help="pixel loss only")
    parser.add_argument("--adversarial-weight", type=float, default=3e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--evaluate-only", action="store_true")
    args = parser.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    train_lo, train_hi, test_lo, test_hi = load_pairs(args.data64, args.data256)
    model = U.Upscaler(U.UpscalerConfig())
    disc = U.PatchDiscriminator(width=16)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.99))
    opt_d = torch.optim.Adam(disc.parameters(), lr=2e-4, betas=(0.5, 0.99))
    args.work.mkdir(parents=True, exist_ok=True)
    gen = torch.Generator().manual_seed(args.seed)
    ckpt = Checkpoint(
        args.work / "checkpoint.pt", gen, model=model, disc=disc, opt=opt, opt_d=opt_d
    )
    step = ckpt.resume()
    print(f"{sum(p.numel() for p in model.parameters())} parameters", flush=True)

    start = last_save = time.monotonic()
    model.train()
    while not args.evaluate_only and time.monotonic() - start < args.minutes * 60:
        x, target = batch_of(train_lo, train_hi, args.batch, gen)
        for group in opt.param_groups:  # halve every 2,500 steps: settles the pixel fit
            group["lr"] = args.lr * 0.5 ** (step // 2500)
        fake = model(x)
        pixel = F.l1_loss(fake, target)
        adversarial = torch.zeros(())
        if step >= args.warmup_steps:
            # Discriminator first (non-saturating loss), on real and detached fake crops.
            d_loss = F.softplus(-disc(target)).mean() + F.softplus(disc(fake.detach())).mean()
            opt_d.zero_grad(set_to_none=True)
            d_loss.backward()
            opt_d.step()
            adversarial = F.softplus(-disc(fake)).mean()
        loss = pixel + args.adversarial_weight * adversarial
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        step += 1
        if step % 100 == 0:
            elapsed = time.monotonic() - start
            print(f"step {step} l1 {pixel.item():.4f} adv {adversarial.item():.3f} "
                  f"{elapsed:.0f}s", flush=True)  # fmt: skip
        if step % 1000 == 0:
            print(f"step {step} held-out {evaluate(model, test_lo, test_hi)}", flush=True)
        if time.monotonic() - last_save > 120:
            ckpt.save(step)
            last_save = time.monotonic()
    if not args.evaluate_only:
        ckpt.save(step)

    model.eval()
    report = evaluate(model, test_lo, test_hi)
    report["steps"] = step
    comparison_sheet(model, test_lo, test_hi, args.sheet)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    U.save(model, args.out, {"steps": str(step), "held_out": json.dumps(report),
                             "data": "Noto Color Emoji (OFL-1.1)"})  # fmt: skip
    print(f"done: {json.dumps(report)}", flush=True)


if __name__ == "__main__":
    main()
