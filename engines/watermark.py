"""An invisible watermark in pictures: 48 bits ("Sōzō Studio" and a version) that survive
JPEG re-encoding and resizing, in numpy and scipy only.

Method: spread-transform dither modulation (Chen and Wornell, "Quantization index
modulation: a class of provably good methods for digital watermarking and information
embedding", IEEE Trans. Information Theory 47(4), 2001), a quantised form of the spread
spectrum watermark of Cox, Kilian, Leighton and Shamoon ("Secure spread spectrum
watermarking for multimedia", IEEE Trans. Image Processing 6(12), 1997), in the
low-frequency block DCT coefficients of the luminance:

1. The luminance is resampled (Lanczos, antialiased, so a picture's fine detail does not
   alias into the band) to a fixed ``GRID`` x ``GRID`` image, so a resized copy gives the
   same coefficients back: only frequencies that a copy of ``GRID`` pixels a side keeps
   are used.
2. Each 8x8 block's DCT coefficients with 2 <= u + v <= 4 (12 a block, under every JPEG
   quality table's coarse steps) are the host; a keyed permutation deals them out to the
   48 bits, and each bit's coefficients are projected on a keyed +-1 vector.
3. Each projection is moved to the nearest point of the lattice ``STEP * (k + bit / 2)``;
   the change is spread back over the bit's coefficients, upsampled to the picture's size
   and added to its R, G and B equally. Embedding is repeated on the written 8-bit picture
   until every bit reads back (rounding and clipping move the projections a little).

Detection reads the 48 bits the same way; the picture is marked when the 32-bit id
differs in at most ``MAX_ID_ERRORS`` bits. On an unmarked picture each bit is a coin toss,
so a false detection has a chance of sum(C(32, k), k <= 3) / 2**32, about 1.3e-6.

What it proves and does not: a detected mark says the picture passed through this studio
(or someone copied the method, which is public); its absence proves nothing, since
cropping, rotation, heavy filtering or regenerating the picture remove it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from engines.messages import message

GRID = 128  # the luminance is read at 128 x 128: 16 x 16 blocks of 8 x 8
BLOCK = 8
BAND = tuple((u, v) for u in range(BLOCK) for v in range(BLOCK) if 2 <= u + v <= 4)
ID_BITS = 32
VERSION_BITS = 16
PAYLOAD_BITS = ID_BITS + VERSION_BITS
STUDIO_ID = 0x536F7A6F  # "Sozo" in ASCII
MAX_ID_ERRORS = 3
STEP = 32.0  # lattice step of a projection, in 8-bit luminance units (a margin of STEP / 4)
KEY = 0x5A0201  # seeds the permutation and the +-1 vectors (public: this is no secret mark)
MIN_SIDE = GRID  # smaller pictures are not marked
PASSES = 4


@dataclass(frozen=True)
class Detection:
    """What :func:`detect` read from a picture."""

    found: bool
    version: int | None  # the studio's watermark version when found
    id_errors: int  # bits of the 32-bit id that differ from the studio's

    def describe(self) -> str:
        if self.found:
            return message("watermark.found", version=self.version)
        return message("watermark.none")


def payload(version: int) -> np.ndarray:
    """The 48 bits (0/1) written: the studio's id, then the version."""
    value = (STUDIO_ID << VERSION_BITS) | (version & 0xFFFF)
    return np.array([(value >> (PAYLOAD_BITS - 1 - i)) & 1 for i in range(PAYLOAD_BITS)])


def _layout() -> tuple[np.ndarray, np.ndarray]:
    """(index of each band coefficient's bit, its +-1 chip), in the flat band order."""
    n = (GRID // BLOCK) ** 2 * len(BAND)
    rng = np.random.default_rng(KEY)
    bits = rng.permutation(np.arange(n) % PAYLOAD_BITS)
    chips = rng.choice(np.array([-1.0, 1.0]), size=n)
    return bits, chips


def _luminance(rgb: np.ndarray) -> np.ndarray:
    return rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114  # ITU-R BT.601


def _resize(plane: np.ndarray, height: int, width: int) -> np.ndarray:
    """A float plane resampled: Lanczos down, bicubic up (Pillow's float mode)."""
    from PIL import Image

    image = Image.fromarray(plane.astype(np.float32), mode="F")
    shrinking = width <= plane.shape[1] and height <= plane.shape[0]
    method = Image.Resampling.LANCZOS if shrinking else Image.Resampling.BICUBIC
    return np.asarray(image.resize((width, height), method), dtype=np.float64)


def _band(grid: np.ndarray) -> np.ndarray:
    """The band coefficients of each block of a GRID x GRID plane, flat."""
    from scipy.fft import dctn

    blocks = grid.reshape(GRID // BLOCK, BLOCK, GRID // BLOCK, BLOCK).transpose(0, 2, 1, 3)
    coeffs = dctn(blocks, axes=(2, 3), norm="ortho")
    u, v = zip(*BAND, strict=True)
    return np.asarray(coeffs[:, :, list(u), list(v)].reshape(-1))


def _unband(flat: np.ndarray) -> np.ndarray:
    """A GRID x GRID plane whose band coefficients are ``flat`` and the others 0."""
    from scipy.fft import idctn

    n = GRID // BLOCK
    coeffs = np.zeros((n, n, BLOCK, BLOCK))
    u, v = zip(*BAND, strict=True)
    coeffs[:, :, list(u), list(v)] = flat.reshape(n, n, len(BAND))
    blocks = idctn(coeffs, axes=(2, 3), norm="ortho")
    return np.asarray(blocks.transpose(0, 2, 1, 3).reshape(GRID, GRID))


def _projections(rgb: np.ndarray) -> np.ndarray:
    """Each bit's projection (normalised: an added noise keeps its deviation)."""
    grid = _resize(_luminance(rgb.astype(np.float64)), GRID, GRID)
    bits, chips = _layout()
    weighted = _band(grid) * chips
    sums = np.bincount(bits, weights=weighted, minlength=PAYLOAD_BITS)
    counts = np.bincount(bits, minlength=PAYLOAD_BITS)
    return np.asarray(sums / np.sqrt(counts))


def _read_bits(projections: np.ndarray) -> np.ndarray:
    """0 or 1 by the nearer of the two lattices (0: k * STEP, 1: (k + 1/2) * STEP)."""
    phase = np.mod(projections / STEP, 1.0)
    return ((phase > 0.25) & (phase < 0.75)).astype(int)


def embed(rgb: np.ndarray, version: int = 1) -> np.ndarray:
    """``rgb`` (H, W, 3) uint8 with the watermark; pictures under 128 pixels a side come
    back as they are."""
    rgb = np.asarray(rgb)
    height, width = rgb.shape[:2]
    if min(height, width) < MIN_SIDE:
        return rgb.copy()
    wanted = payload(version)
    bits, chips = _layout()
    counts = np.bincount(bits, minlength=PAYLOAD_BITS)
    marked = rgb.astype(np.float64)
    out = rgb.copy()
    for _ in range(PASSES):
        p = _projections(out)
        target = (np.round(p / STEP - wanted / 2) + wanted / 2) * STEP
        change = target - p
        if np.all(_read_bits(p) == wanted) and np.all(np.abs(change) < STEP / 16):
            break
        flat = change[bits] * chips / np.sqrt(counts[bits])  # spread over the bit's coefficients
        delta = _resize(_unband(flat), height, width)
        marked = marked + delta[..., None]
        out = np.clip(np.round(marked), 0, 255).astype(np.uint8)
    return out


def mark_image(image: Any) -> Any:
    """A PIL picture with the watermark (its alpha, if any, kept); palette and grey
    pictures come back as RGB(A)."""
    from PIL import Image

    if min(image.size) < MIN_SIDE:
        return image
    alpha = image.getchannel("A") if "A" in image.getbands() else None
    marked = Image.fromarray(embed(np.asarray(image.convert("RGB"))))
    if alpha is not None:
        marked.putalpha(alpha)
    return marked


def detect_file(path: Any) -> Detection:
    """:func:`detect` on a picture file (any format Pillow reads)."""
    from PIL import Image

    with Image.open(path) as im:
        return detect(np.asarray(im.convert("RGB")))


def detect(rgb: np.ndarray) -> Detection:
    """Whether ``rgb`` (H, W, 3) carries the studio's watermark, and its version."""
    rgb = np.asarray(rgb)
    if rgb.ndim != 3 or min(rgb.shape[:2]) < GRID // 2:
        return Detection(False, None, ID_BITS)
    read = _read_bits(_projections(rgb[..., :3]))
    errors = int(np.sum(read[:ID_BITS] != payload(0)[:ID_BITS]))
    if errors > MAX_ID_ERRORS:
        return Detection(False, None, errors)
    version = int("".join(str(b) for b in read[ID_BITS:]), 2)
    return Detection(True, version, errors)


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    """Peak signal-to-noise ratio of two uint8 pictures, in dB."""
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return float("inf") if mse == 0 else 10 * np.log10(255.0**2 / mse)
