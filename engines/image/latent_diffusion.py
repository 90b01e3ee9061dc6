"""Text-conditioned latent diffusion for emoji (Rombach et al. 2022, "High-Resolution Image
Synthesis with Latent Diffusion Models").

- Training: DDPM (Ho et al. 2020) with the cosine noise schedule (Nichol & Dhariwal 2021)
  and v-prediction (Salimans & Ho 2022), in the emoji VAE's (4, 16, 16) latent.
- The UNet sees the latent folded into (16, 8, 8) (2x2 pixel-unshuffle, as DiT's patches
  of 2): every step then costs what an 8x8 latent costs while the VAE keeps 16x16 detail.
- Conditioning: all-MiniLM-L6-v2 sentence-encoder token states through cross-attention,
  and its pooled sentence vector added to the time embedding. Captions are dropped 12%
  of the time (replaced by learned "null" embeddings) for classifier-free guidance (Ho &
  Salimans 2022).
- Sampling: DDIM (Song et al. 2021) and DPM-Solver++(2M) (Lu et al. 2022), which reaches
  similar pictures in fewer steps. img2img starts from a partly noised latent (SDEdit,
  Meng et al. 2022); inpainting re-imposes the noised known latent outside the mask at
  every step (RePaint-style blending without resampling).

Imports torch at module level: import this file only inside an engine's ``load()``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn


@dataclass(frozen=True)
class LDMConfig:
    """Shape of the UNet and the noise schedule; saved in the weights file's metadata."""

    latent_channels: int = 4
    latent_size: int = 16
    patch: int = 2  # pixel-unshuffle factor: (4, 16, 16) -> (16, 8, 8)
    channels: tuple[int, int] = (64, 128)  # at 8x8 and 4x4; small enough to train on a CPU
    text_dim: int = 384  # all-MiniLM-L6-v2's width
    max_tokens: int = 24  # word pieces the cross-attention sees; longer prompts are cut
    time_dim: int = 256
    heads: int = 4
    timesteps: int = 1000


# --- noise schedule -------------------------------------------------------------------


def cosine_alphas_cumprod(timesteps: int, s: float = 0.008) -> torch.Tensor:
    """ᾱ_t for t = 0..T-1 (Nichol & Dhariwal 2021, eq. 17), betas clipped at 0.999."""
    t = torch.arange(timesteps + 1, dtype=torch.float64) / timesteps
    f = torch.cos((t + s) / (1 + s) * math.pi / 2) ** 2
    betas = (1 - f[1:] / f[:-1]).clamp(max=0.999)
    return torch.cumprod(1 - betas, 0).float()


# --- network --------------------------------------------------------------------------


def timestep_embedding(t: torch.Tensor, dim: int) -> torch.Tensor:
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    args = t.float()[:, None] * freqs[None]
    return torch.cat([args.cos(), args.sin()], dim=1)


def _norm(ch: int) -> nn.GroupNorm:
    return nn.GroupNorm(min(32, ch // 4), ch)


class ResBlock(nn.Module):
    def __init__(self, ch_in: int, ch_out: int, time_dim: int) -> None:
        super().__init__()
        self.norm1, self.conv1 = _norm(ch_in), nn.Conv2d(ch_in, ch_out, 3, padding=1)
        self.time = nn.Linear(time_dim, 2 * ch_out)  # scale and shift
        self.norm2, self.conv2 = _norm(ch_out), nn.Conv2d(ch_out, ch_out, 3, padding=1)
        self.skip = nn.Conv2d(ch_in, ch_out, 1) if ch_in != ch_out else nn.Identity()
        # Zero-initialised last layer: each block starts as the identity (improves early training).
        nn.init.zeros_(self.conv2.weight)
        if self.conv2.bias is not None:
            nn.init.zeros_(self.conv2.bias)

    def forward(self, x: torch.Tensor, emb: torch.Tensor) -> torch.Tensor:
        h = self.conv1(F.silu(self.norm1(x)))
        scale, shift = self.time(F.silu(emb))[:, :, None, None].chunk(2, dim=1)
        h = self.norm2(h) * (1 + scale) + shift
        return self.skip(x) + self.conv2(F.silu(h))


class Attention(nn.Module):
    """Multi-head attention from image positions to ``context`` (itself when None)."""

    def __init__(self, ch: int, context_dim: int | None, heads: int) -> None:
        super().__init__()
        self.heads = heads
        self.norm = _norm(ch)
        self.q = nn.Linear(ch, ch)
        self.kv = nn.Linear(context_dim or ch, 2 * ch)
        self.out = nn.Linear(ch, ch)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def forward(
        self, x: torch.Tensor, context: torch.Tensor | None = None, mask: torch.Tensor | None = None
    ) -> torch.Tensor:
        b, c, h, w = x.shape
        tokens = self.norm(x).flatten(2).transpose(1, 2)  # (B, HW, C)
        ctx = tokens if context is None else context  # (B, L, Cc)
        q = self.q(tokens).view(b, -1, self.heads, c // self.heads).transpose(1, 2)
        k, v = self.kv(ctx).chunk(2, dim=-1)
        k = k.reshape(b, -1, self.heads, c // self.heads).transpose(1, 2)
        v = v.reshape(b, -1, self.heads, c // self.heads).transpose(1, 2)
        attn_mask = None if mask is None else mask[:, None, None, :]  # (B, 1, 1, L) bool
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)  # (B, H, HW, d)
        out = self.out(out.transpose(1, 2).reshape(b, h * w, c))
        return x + out.transpose(1, 2).view(b, c, h, w)


class UNet(nn.Module):
    """v-prediction network: (noisy latent, timestep, caption) -> v, latent-shaped."""

    def __init__(self, cfg: LDMConfig) -> None:
        super().__init__()
        self.cfg = cfg
        c0, c1 = cfg.channels
        folded = cfg.latent_channels * cfg.patch**2
        td, xd = cfg.time_dim, cfg.text_dim
        self.time_mlp = nn.Sequential(nn.Linear(td, td), nn.SiLU(), nn.Linear(td, td))
        self.pooled_proj = nn.Linear(xd, td)
        # Learned stand-ins for "no caption", used for classifier-free guidance.
        self.null_tokens = nn.Parameter(torch.zeros(1, cfg.max_tokens, xd))
        self.null_pooled = nn.Parameter(torch.zeros(1, xd))
        self.stem = nn.Conv2d(folded, c0, 3, padding=1)
        self.down1, self.cross1 = ResBlock(c0, c0, td), Attention(c0, xd, cfg.heads)
        self.downsample = nn.Conv2d(c0, c1, 3, stride=2, padding=1)
        self.down2, self.cross2 = ResBlock(c1, c1, td), Attention(c1, xd, cfg.heads)
        self.mid1, self.mid_self = ResBlock(c1, c1, td), Attention(c1, None, cfg.heads)
        self.mid_cross, self.mid2 = Attention(c1, xd, cfg.heads), ResBlock(c1, c1, td)
        self.up2, self.cross3 = ResBlock(2 * c1, c1, td), Attention(c1, xd, cfg.heads)
        self.upsample = nn.Conv2d(c1, c0, 3, padding=1)
        self.up1, self.cross4 = ResBlock(2 * c0, c0, td), Attention(c0, xd, cfg.heads)
        self.head = nn.Sequential(_norm(c0), nn.SiLU(), nn.Conv2d(c0, folded, 3, padding=1))

    def forward(
        self,
        z: torch.Tensor,  # (B, 4, 16, 16)
        t: torch.Tensor,  # (B,) integer timesteps
        tokens: torch.Tensor,  # (B, L, 384)
        token_mask: torch.Tensor,  # (B, L) bool, True where there is a token
        pooled: torch.Tensor,  # (B, 384)
    ) -> torch.Tensor:
        p = self.cfg.patch
        emb = self.time_mlp(timestep_embedding(t, self.cfg.time_dim)) + self.pooled_proj(pooled)
        x = self.stem(F.pixel_unshuffle(z, p))  # (B, c0, 8, 8)
        h1 = self.cross1(self.down1(x, emb), tokens, token_mask)
        h = self.downsample(h1)  # (B, c1, 4, 4)
        h2 = self.cross2(self.down2(h, emb), tokens, token_mask)
        h = self.mid1(h2, emb)
        h = self.mid_cross(self.mid_self(h), tokens, token_mask)
        h = self.mid2(h, emb)
        h = self.cross3(self.up2(torch.cat([h, h2], 1), emb), tokens, token_mask)
        h = self.upsample(F.interpolate(h, scale_factor=2.0, mode="nearest"))  # (B, c0, 8, 8)
        h = self.cross4(self.up1(torch.cat([h, h1], 1), emb), tokens, token_mask)
        return F.pixel_shuffle(self.head(h), p)  # (B, 4, 16, 16)

    def null_condition(self, batch: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        tokens = self.null_tokens.expand(batch, -1, -1)
        mask = torch.ones(batch, self.cfg.max_tokens, dtype=torch.bool)
        return tokens, mask, self.null_pooled.expand(batch, -1)


# --- text encoder ---------------------------------------------------------------------


@dataclass(frozen=True)
class Caption:
    """Encoded prompts: token states, their mask and pooled sentence vectors."""

    tokens: torch.Tensor  # (B, L, 384)
    mask: torch.Tensor  # (B, L) bool
    pooled: torch.Tensor  # (B, 384), unit length
    truncated: bool  # some prompt had more word pieces than the model reads


class CaptionEncoder:
    """all-MiniLM-L6-v2 (Reimers & Gurevych 2019) from a local folder, no hub access."""

    def __init__(self, model_dir: Path, max_tokens: int = 24) -> None:
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # no "Loading weights" bar on stderr
        self.max_tokens = max_tokens
        self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
        self.model = AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()

    @torch.no_grad()
    def encode(self, prompts: list[str]) -> Caption:
        full = self.tokenizer(prompts, padding=True, truncation=True, max_length=256)
        truncated = any(len(ids) > self.max_tokens for ids in full["input_ids"])
        # Pad to the longest prompt only (most are far shorter than max_tokens), then widen.
        batch = self.tokenizer(
            prompts, padding=True, truncation=True, max_length=self.max_tokens, return_tensors="pt"
        )
        states = self.model(**batch).last_hidden_state  # (B, l, 384), l <= max_tokens
        mask = batch["attention_mask"].bool()
        # The sentence vector is the model's own: mean of token states, then normalised.
        summed = (states * mask[..., None]).sum(1) / mask.sum(1, keepdim=True).clamp_min(1)
        pooled = F.normalize(summed, dim=-1)
        pad = self.max_tokens - states.shape[1]
        states = F.pad(states * mask[..., None], (0, 0, 0, pad))  # (B, max_tokens, 384)
        mask = F.pad(mask, (0, pad), value=False)
        return Caption(states, mask, pooled, truncated)


# --- sampling -------------------------------------------------------------------------

# Called after each step with (step index, steps, current x0 estimate); may raise to stop.
StepCallback = Callable[[int, int, torch.Tensor], None]


class LatentDiffusion:
    """The UNet with its schedule and samplers. Works in scaled VAE latents."""

    def __init__(self, unet: UNet) -> None:
        self.unet = unet
        self.cfg = unet.cfg
        self.alphas_cumprod = cosine_alphas_cumprod(self.cfg.timesteps)

    def _coefficients(self, t: int) -> tuple[float, float]:
        if t < 0:  # "before the first step": clean data
            return 1.0, 0.0
        a = float(self.alphas_cumprod[t])
        return math.sqrt(a), math.sqrt(1.0 - a)

    def add_noise(self, z0: torch.Tensor, noise: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        a = self.alphas_cumprod[t].sqrt()[:, None, None, None]
        s = (1 - self.alphas_cumprod[t]).sqrt()[:, None, None, None]
        return a * z0 + s * noise

    def training_loss(
        self, z0: torch.Tensor, caption: Caption, generator: torch.Generator, drop: float = 0.12
    ) -> torch.Tensor:
        """DDPM loss with a v target; ``drop`` of the captions become the null caption."""
        b = z0.shape[0]
        t = torch.randint(0, self.cfg.timesteps, (b,), generator=generator)
        noise = torch.randn(z0.shape, generator=generator)
        zt = self.add_noise(z0, noise, t)
        a = self.alphas_cumprod[t].sqrt()[:, None, None, None]
        s = (1 - self.alphas_cumprod[t]).sqrt()[:, None, None, None]
        v = a * noise - s * z0
        keep = (torch.rand(b, generator=generator) >= drop)[:, None]
        null_tokens, _, null_pooled = self.unet.null_condition(b)
        tokens = torch.where(keep[:, :, None], caption.tokens, null_tokens)
        mask = torch.where(keep, caption.mask, torch.ones_like(caption.mask))
        pooled = torch.where(keep, caption.pooled, null_pooled)
        return F.mse_loss(self.unet(zt, t, tokens, mask, pooled), v)

    def _guided_v(self, z: torch.Tensor, t: int, caption: Caption, guidance: float) -> torch.Tensor:
        b = z.shape[0]
        tt = torch.full((b,), t, dtype=torch.long)
        null_tokens, null_mask, null_pooled = self.unet.null_condition(b)
        if guidance == 1.0:
            return self.unet(z, tt, caption.tokens, caption.mask, caption.pooled)
        # One batch for the conditional and unconditional passes.
        v = self.unet(
            torch.cat([z, z]),
            torch.cat([tt, tt]),
            torch.cat([caption.tokens, null_tokens]),
            torch.cat([caption.mask, null_mask]),
            torch.cat([caption.pooled, null_pooled]),
        )
        v_cond, v_uncond = v.chunk(2)
        return v_uncond + guidance * (v_cond - v_uncond)

    def timesteps_for(self, steps: int, strength: float = 1.0) -> list[int]:
        """Descending timesteps; img2img (strength < 1) keeps only the last part."""
        t_max = self.cfg.timesteps - 1
        full = [round(t_max - i * t_max / steps) for i in range(steps)]  # t_max .. >0
        start = steps - max(1, round(steps * strength))
        return full[start:]

    @torch.no_grad()
    def sample(
        self,
        caption: Caption,
        noise: torch.Tensor,
        *,
        steps: int = 25,
        guidance: float = 3.0,
        sampler: str = "ddim",
        init: torch.Tensor | None = None,
        strength: float = 1.0,
        mask: torch.Tensor | None = None,
        callback: StepCallback | None = None,
    ) -> torch.Tensor:
        """Scaled latents (B, 4, 16, 16) from ``noise`` of that shape.

        ``init``: scaled latents to start from (img2img), noised to ``strength``.
        ``mask``: (B, 1, 16, 16), 1 where new content goes; outside it ``init`` is kept.
        """
        if sampler not in ("ddim", "dpm++2m"):
            raise ValueError(f"unknown sampler {sampler!r}")
        times = self.timesteps_for(steps, strength if init is not None else 1.0)
        a0, s0 = self._coefficients(times[0])
        z = noise if init is None else a0 * init + s0 * noise
        previous_x0: torch.Tensor | None = None
        previous_h: float | None = None
        for i, t in enumerate(times):
            t_next = times[i + 1] if i + 1 < len(times) else -1
            a, s = self._coefficients(t)
            a_next, s_next = self._coefficients(t_next)
            v = self._guided_v(z, t, caption, guidance)
            x0 = a * z - s * v
            eps = s * z + a * v
            if sampler == "ddim" or t_next < 0:
                # DDIM, eta = 0; also the last step of DPM-Solver++ (to sigma = 0).
                z = a_next * x0 + s_next * eps
                h = None
            else:
                lam, lam_next = math.log(a / s), math.log(a_next / s_next)
                h = lam_next - lam
                if previous_x0 is None or previous_h is None:
                    d = x0
                else:
                    r = previous_h / h
                    d = (1 + 1 / (2 * r)) * x0 - (1 / (2 * r)) * previous_x0
                z = (s_next / s) * z - a_next * math.expm1(-h) * d
            previous_x0, previous_h = x0, h
            if mask is not None and init is not None:
                known = a_next * init + s_next * noise if t_next >= 0 else init
                z = mask * z + (1 - mask) * known
            if callback is not None:
                callback(
                    i,
                    len(times),
                    x0 if mask is None or init is None else mask * x0 + (1 - mask) * init,
                )
        return z


# --- weights files --------------------------------------------------------------------


def save(unet: UNet, path: Path, extra: dict[str, str] | None = None) -> None:
    from safetensors.torch import save_file

    meta = {"family": "latent-diffusion", "config": json.dumps(asdict(unet.cfg)), **(extra or {})}
    # bf16 halves the file; the weights are used in fp32.
    state = {k: v.detach().to(torch.bfloat16).contiguous() for k, v in unet.state_dict().items()}
    save_file(state, str(path), metadata=meta)


def load(path: Path, device: str | torch.device = "cpu") -> UNet:
    from safetensors import safe_open
    from safetensors.torch import load_file

    with safe_open(str(path), framework="pt") as f:
        meta = f.metadata() or {}
    if meta.get("family") != "latent-diffusion":
        raise ValueError(f"{path} is not an emoji latent-diffusion weights file")
    raw = json.loads(meta["config"])
    raw["channels"] = tuple(raw["channels"])
    unet = UNet(LDMConfig(**raw))
    state = {k: v.float() for k, v in load_file(str(path), device=str(device)).items()}
    unet.load_state_dict(state)
    return unet.eval().to(device)
