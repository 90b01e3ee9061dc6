"""Train the emoji VAE. Fixed seed; resumes from its checkpoint; stops after --minutes.

    nice -n 15 python -m engines.image.train_vae --data /tmp/image-train/emoji64.npz \
        --work /tmp/image-train/vae --minutes 20

Writes ``assets/models/image/emoji-vae.safetensors`` at the end with the latent scale
(1 / std of the training latents) in its config, and prints the held-out PSNR.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch

from engines.checkpoints import Checkpoint
from engines.image import vae as V

DEFAULT_OUT = Path(__file__).resolve().parents[2] / "assets/models/image/emoji-vae.safetensors"


def held_out_psnr(model: V.EmojiVAE, images: torch.Tensor) -> float:
    model.eval()
    with torch.no_grad():
        x = V.rgba_to_tensor(images)
        mean, _ = model.encode(x)
        value = float(V.psnr_on_white(model.decode(mean), x).mean())
    model.train()
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/tmp/image-train/emoji64.npz"))
    parser.add_argument("--work", type=Path, default=Path("/tmp/image-train/vae"))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--minutes", type=float, default=20.0)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--kl-weight", type=float, default=1e-6)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    data = np.load(args.data)
    held = data["held_out"]
    train = torch.from_numpy(data["images"][~held])
    test = torch.from_numpy(data["images"][held])
    model = V.EmojiVAE(V.VAEConfig())
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.0)
    args.work.mkdir(parents=True, exist_ok=True)
    gen = torch.Generator().manual_seed(args.seed)
    ckpt = Checkpoint(args.work / "checkpoint.pt", gen, model=model, opt=opt)
    step = ckpt.resume()
    print(f"{sum(p.numel() for p in model.parameters()) / 1e6:.2f} M params", flush=True)
    start = time.monotonic()
    last_save = start
    model.train()
    while time.monotonic() - start < args.minutes * 60:
        idx = torch.randint(0, len(train), (args.batch,), generator=gen)
        x = V.rgba_to_tensor(train[idx])
        flip = torch.rand(args.batch, generator=gen) < 0.5
        x = torch.where(flip[:, None, None, None], x.flip(3), x)
        # Cosine decay over the nominal run, floor at 10%.
        lr = args.lr * (0.1 + 0.9 * 0.5 * (1 + np.cos(np.pi * min(1.0, step / 6000))))
        for group in opt.param_groups:
            group["lr"] = lr
        # No bf16 autocast: on this CPU its convolution backward ran ~30x slower than fp32.
        recon, mean, logvar = model(x)
        loss, mse, kl = V.vae_loss(x, recon, mean, logvar, args.kl_weight)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        if step % 50 == 0:
            elapsed = time.monotonic() - start
            print(f"step {step} mse {mse.item():.5f} kl {kl.item():.1f} {elapsed:.0f}s", flush=True)
        if step % 250 == 0:
            print(f"step {step} held-out PSNR {held_out_psnr(model, test):.2f} dB", flush=True)
        if time.monotonic() - last_save > 120:
            ckpt.save(step)
            last_save = time.monotonic()
    ckpt.save(step)

    model.eval()
    with torch.no_grad():
        means = torch.cat([model.encode(V.rgba_to_tensor(train[i : i + 256]))[0]
                           for i in range(0, len(train), 256)])  # fmt: skip
    scale = float(1.0 / means.std())
    centre = tuple(float(v) for v in means.mean(dim=(0, 2, 3)))
    model.cfg = replace(model.cfg, latent_scale=scale, latent_mean=centre)
    psnr = held_out_psnr(model, test)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    V.save(model, args.out, {"held_out_psnr_db": f"{psnr:.2f}", "steps": str(step),
                             "data": "Noto Color Emoji (OFL-1.1)"})  # fmt: skip
    save_code_bank(model, train, args.out.with_name(args.out.stem + "-codes.safetensors"))
    print(f"done: step {step}, held-out PSNR {psnr:.2f} dB, latent scale {scale:.3f}", flush=True)


def save_code_bank(model: V.EmojiVAE, train: torch.Tensor, path: Path, count: int = 256) -> None:
    """Codes of a fixed random sample of training emoji (fp16): what "a random code" means
    for this VAE, whose light KL weight leaves plain Gaussian draws decoding to noise."""
    from safetensors.torch import save_file

    pick = torch.randperm(len(train), generator=torch.Generator().manual_seed(0))[:count]
    with torch.no_grad():
        codes = model.encode(V.rgba_to_tensor(train[pick]))[0]
    save_file({"codes": codes.to(torch.float16).contiguous()}, str(path))


if __name__ == "__main__":
    main()
