"""Train the emoji DCGAN at 32x32. Fixed seed; resumes from its checkpoint; stops after
--minutes. Then finds GANSpace directions and writes both files:

    nice -n 15 python -m engines.image.train_gan --minutes 20

``assets/models/image/emoji-dcgan.safetensors`` (generator only) and
``emoji-dcgan-directions.safetensors`` beside it.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from engines.checkpoints import Checkpoint
from engines.image import gan as G
from engines.image.vae import rgba_to_tensor

ASSETS = Path(__file__).resolve().parents[2] / "assets/models/image"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/tmp/image-train/emoji64.npz"))
    parser.add_argument("--work", type=Path, default=Path("/tmp/image-train/gan"))
    parser.add_argument("--out", type=Path, default=ASSETS / "emoji-dcgan.safetensors")
    parser.add_argument("--minutes", type=float, default=20.0)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    data = np.load(args.data)
    # The GAN trains on every emoji: the held-out split is for measuring, not fitting.
    real = F.interpolate(rgba_to_tensor(torch.from_numpy(data["images"])), size=32, mode="area")
    cfg = G.GANConfig()
    gen_net, disc = G.Generator(cfg), G.Discriminator(cfg)
    gen_net.apply(G.init_weights)
    disc.apply(G.init_weights)
    opt_g = torch.optim.Adam(gen_net.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(disc.parameters(), lr=2e-4, betas=(0.5, 0.999))
    args.work.mkdir(parents=True, exist_ok=True)
    rng = torch.Generator().manual_seed(args.seed)
    ckpt = Checkpoint(
        args.work / "checkpoint.pt",
        rng,
        generator_key="rng",
        g=gen_net,
        d=disc,
        opt_g=opt_g,
        opt_d=opt_d,
    )
    step = ckpt.resume()

    def augment(x: torch.Tensor) -> torch.Tensor:
        # DiffAugment-style translation (Zhao et al. 2020) on real and fake alike: with
        # 1,900 images the discriminator otherwise memorises them.
        shift = torch.randint(-3, 4, (2,), generator=rng).tolist()
        padded = F.pad(x, (3, 3, 3, 3), value=1.0)
        padded[:, 3:4] = F.pad(x[:, 3:4], (3, 3, 3, 3), value=-1.0)
        return padded[:, :, 3 + shift[0] : 35 + shift[0], 3 + shift[1] : 35 + shift[1]]

    start = last_save = time.monotonic()
    while time.monotonic() - start < args.minutes * 60:
        idx = torch.randint(0, len(real), (args.batch,), generator=rng)
        x = real[idx]
        flip = torch.rand(args.batch, generator=rng) < 0.5
        x = torch.where(flip[:, None, None, None], x.flip(3), x)
        z = torch.randn(args.batch, cfg.z_dim, generator=rng)
        fake = gen_net(z)
        # Standard non-saturating loss with one-sided label smoothing.
        d_real = disc(augment(x))
        d_fake = disc(augment(fake.detach()))
        loss_d = F.binary_cross_entropy_with_logits(
            d_real, torch.full_like(d_real, 0.9)
        ) + F.binary_cross_entropy_with_logits(d_fake, torch.zeros_like(d_fake))
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()
        d_gen = disc(augment(fake))
        loss_g = F.binary_cross_entropy_with_logits(d_gen, torch.ones_like(d_gen))
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
        step += 1
        if step % 100 == 0:
            print(f"step {step} loss_d {loss_d.item():.3f} loss_g {loss_g.item():.3f} "
                  f"{time.monotonic() - start:.0f}s", flush=True)  # fmt: skip
        if time.monotonic() - last_save > 120:
            ckpt.save(step)
            last_save = time.monotonic()
    ckpt.save(step)

    gen_net.eval()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    G.save(gen_net, args.out, {"steps": str(step), "data": "Noto Color Emoji (OFL-1.1)"})
    directions, spread = G.ganspace_directions(gen_net)
    from safetensors.torch import save_file

    save_file({"directions": directions.contiguous(), "spread": spread.contiguous()},
              str(args.out.with_name(args.out.stem + "-directions.safetensors")),
              metadata={"method": "GANSpace: PCA of the first layer's activations"})  # fmt: skip
    print(f"done: step {step}", flush=True)


if __name__ == "__main__":
    main()
