"""Batch throughput: a prompt grid made here (one process, one thread) against the same
grid on a local Ray cluster with 2 workers (one thread each), side by side in one run.
Prints images per second of each, the speed-up and its share of the ideal (2x); the
outputs of both runs are compared byte for byte.

    .venv/bin/python tests/bench/bench_batch.py [--images 64] [--steps 10]

The Ray figure includes starting the cluster and each worker loading the model once,
as a user's run does; the steady rate (after each worker's first image) is printed too.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    from engines.batch.run import run_local, run_ray, start_ray
    from engines.batch.spec import parse_batch
    from engines.jobs import JobContext

    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=64)
    parser.add_argument("--steps", type=int, default=10)
    args = parser.parse_args()
    prompts = ["red heart", "smiling face", "yellow star", "green apple"]
    seeds = list(range(args.images // len(prompts)))
    spec = {"kind": "image-grid", "prompts": prompts, "seeds": seeds, "steps": args.steps}
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        times: dict[str, list[float]] = {"local": [], "ray": []}

        def stamp(name: str) -> object:
            return lambda item, path: times[name].append(time.perf_counter())

        t0 = time.perf_counter()
        local = run_local(
            parse_batch({**spec, "output": "local"}, base=base),
            JobContext(),
            on_output=stamp("local"),
        )
        local_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        start_ray("local", 2)
        ray_batch = parse_batch({**spec, "output": "ray"}, base=base)
        run_ray(ray_batch, JobContext(), workers=2, on_output=stamp("ray"))
        ray_s = time.perf_counter() - t0
        same = all((base / "ray" / p.name).read_bytes() == p.read_bytes() for p in local.written)
        n = len(local.written)

        def steady(stamps: list[float], skip: int) -> float:
            gaps = [b - a for a, b in zip(stamps[skip:], stamps[skip + 1 :], strict=False)]
            return 1 / statistics.median(gaps) if gaps else float("nan")

        print(
            f"{n} pictures at {args.steps} steps (emoji-ldm: 64x64, enlarged to 256 by the upscaler)"
        )
        print(f"here, 1 process x 1 thread : {local_s:7.1f} s  {n / local_s:.2f} images/s")
        print(f"Ray, 2 workers x 1 thread  : {ray_s:7.1f} s  {n / ray_s:.2f} images/s")
        ratio = local_s / ray_s
        print(f"speed-up {ratio:.2f}x: {ratio / 2:.0%} of the ideal 2x (with cluster start-up)")
        ratio = steady(times["ray"], 2) / steady(times["local"], 1)
        print(f"steady rate ratio {ratio:.2f}x: {ratio / 2:.0%} of the ideal (median gaps)")
        print(f"outputs byte-identical: {same}")
        import ray

        ray.shutdown()


if __name__ == "__main__":
    main()
