"""The image watermark (engines.watermark) on 100 pictures: half of them tiles of the
studio's own model outputs upscaled to 512 px, half synthesised textured pictures
(tests/watermark_images.py).

    .venv/bin/python tests/bench/bench_watermark.py [--count 100]

Prints, for the marked pictures, the share still detected after JPEG quality 75
re-encoding, after a 50% resize (Lanczos), and after both (resize, then JPEG); the PSNR
the mark costs (mean and worst); the false detections on the same pictures unmarked;
and the time to mark and to detect one picture. Exits 1 when a robustness share is
under 90% or an unmarked picture is detected.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def jpeg(rgb: np.ndarray, quality: int = 75) -> np.ndarray:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, "JPEG", quality=quality)
    return np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB"))


def half(rgb: np.ndarray) -> np.ndarray:
    from PIL import Image

    im = Image.fromarray(rgb)
    return np.asarray(im.resize((im.width // 2, im.height // 2), Image.Resampling.LANCZOS))


def main() -> int:
    from engines import watermark
    from tests.watermark_images import sample_pictures

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=100)
    args = parser.parse_args()
    pictures = sample_pictures(args.count)
    attacks = {
        "jpeg q75": jpeg,
        "resize 50%": half,
        "resize 50% + jpeg q75": lambda a: jpeg(half(a)),
    }
    survived = dict.fromkeys(attacks, 0)
    psnrs, embed_s, detect_s = [], [], []
    false_hits = 0
    for rgb in pictures:
        started = time.perf_counter()
        marked = watermark.embed(rgb)
        embed_s.append(time.perf_counter() - started)
        psnrs.append(watermark.psnr(rgb, marked))
        for name, attack in attacks.items():
            survived[name] += watermark.detect(attack(marked)).found
        started = time.perf_counter()
        false_hits += watermark.detect(rgb).found
        false_hits += watermark.detect(jpeg(rgb)).found
        detect_s.append(time.perf_counter() - started)
    n = len(pictures)
    ok = True
    for name, count in survived.items():
        print(f"detected after {name}: {count}/{n} ({100 * count / n:.0f}%)")
        ok &= count >= 0.9 * n
    print(f"PSNR of the mark: mean {statistics.mean(psnrs):.1f} dB, worst {min(psnrs):.1f} dB")
    print(f"false detections on unmarked pictures (as made and as JPEG): {false_hits}/{2 * n}")
    print(
        f"time per 512 px picture: mark {statistics.median(embed_s) * 1000:.0f} ms, "
        f"detect {statistics.median(detect_s) * 500:.0f} ms"
    )
    return 0 if ok and not false_hits else 1


if __name__ == "__main__":
    sys.exit(main())
