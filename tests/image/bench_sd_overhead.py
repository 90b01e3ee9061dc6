"""The Stable Diffusion engine's overhead over calling the same diffusers pipeline directly.

    nice -n 10 .venv/bin/python tests/image/bench_sd_overhead.py [--size 16] [--steps 10]

Both run the tiny random pipeline of tests/image/test_stable_diffusion.py with the same
prompt, seed, steps and guidance, interleaved (direct, engine, direct, engine, ...) so
that the load of a shared machine falls on both alike. The engine adds what it is for:
request checks, a progress report with a latent preview picture and a cancel check at
every step, and the recipe. Target (issue 5): 5% or less. Prints medians and the ratio.
Larger ``--size`` makes each step cost more, as a real model's steps do.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "image"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=16, help="picture side (16 is native)")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    import torch
    from test_stable_diffusion import build_tiny_pipeline

    from engines import device
    from engines.image.sd import StableDiffusionEngine
    from engines.image.types import ImageRequest
    from engines.jobs import JobContext

    device.current()  # the thread policy (1 thread here)
    with tempfile.TemporaryDirectory() as tmp:
        engine = StableDiffusionEngine("tiny-sd", build_tiny_pipeline(Path(tmp)))
        size = None if args.size == engine.native_size() else args.size
        request = ImageRequest("a cat", seed=0, steps=args.steps, guidance=7.5, size=size)

        def direct() -> None:
            engine.pipe.scheduler = engine.default_scheduler
            engine.pipe(
                prompt=["a cat"],
                num_inference_steps=args.steps,
                guidance_scale=7.5,
                generator=[torch.Generator("cpu").manual_seed(0)],
                height=args.size,
                width=args.size,
            )

        def through_engine() -> None:
            engine.generate(request, JobContext())

        direct()
        through_engine()  # warm both paths
        times: dict[str, list[float]] = {"direct": [], "engine": []}
        # CPU time of this process too: on a shared machine it shifts less with others' load.
        cpu: dict[str, list[float]] = {"direct": [], "engine": []}
        for _ in range(args.runs):
            for name, work in (("direct", direct), ("engine", through_engine)):
                start, start_cpu = time.perf_counter(), time.process_time()
                work()
                times[name].append(time.perf_counter() - start)
                cpu[name].append(time.process_time() - start_cpu)
    direct_ms = statistics.median(times["direct"]) * 1000
    engine_ms = statistics.median(times["engine"]) * 1000
    ratios = [e / d for d, e in zip(times["direct"], times["engine"], strict=True)]
    print(
        json.dumps(
            {
                "size": args.size,
                "steps": args.steps,
                "runs": args.runs,
                "direct_median_ms": round(direct_ms, 1),
                "engine_median_ms": round(engine_ms, 1),
                "overhead_percent_of_medians": round((engine_ms / direct_ms - 1) * 100, 1),
                "overhead_percent_median_of_pairs": round((statistics.median(ratios) - 1) * 100, 1),
                "cpu_direct_median_ms": round(statistics.median(cpu["direct"]) * 1000, 1),
                "cpu_engine_median_ms": round(statistics.median(cpu["engine"]) * 1000, 1),
                "cpu_overhead_percent": round(
                    (statistics.median(cpu["engine"]) / statistics.median(cpu["direct"]) - 1) * 100,
                    1,
                ),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
