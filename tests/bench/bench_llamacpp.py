"""The studio's LlamaCppModel against llama.cpp's own llama-bench on one GGUF (issue #13).

Each measurement runs in a fresh process (so peak RSS is that run's own), >= 3 times,
and the medians are printed side by side with their ratio:

- warm load: ``LlamaCppModel(path)`` with the file in the page cache (a first, unmeasured
  load warms it), against llama-bench's reported load-free run (load time is printed for
  the studio only: llama-bench does not report it);
- decode tok/s at the same thread count: the studio's ``tokens_per_second`` over a
  128-token reply (random seed, top-k 1 so no reply ends early), against llama-bench
  ``-p 0 -n 128``;
- peak RSS (``ru_maxrss`` of the child) of a load plus a 128-token reply, against
  llama-cli's ``-n 128`` run on the same prompt.

Targets: decode >= 0.95x llama.cpp, RSS <= 1.1x.

llama.cpp's tools are built from the sdist llama-cpp-python vendors (the same llama.cpp
revision as the studio's)::

    cd /tmp/llsrc && tar xzf llama_cpp_python-0.3.36.tar.gz && cd llama_cpp_python-0.3.36
    cmake -B build -DGGML_NATIVE=OFF -DLLAMA_CURL=OFF vendor/llama.cpp
    cmake --build build --target llama-cli llama-bench -j1

then ``python tests/bench/bench_llamacpp.py --bin /tmp/llsrc/llama_cpp_python-0.3.36/build/bin``.
Without them, only the studio's figures are printed.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from engines.text.llamacpp import LlamaCppModel
from engines.text.types import ChatMessage, TextRequest
path, threads, n = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
started = time.perf_counter()
model = LlamaCppModel(path, threads=threads)
load = time.perf_counter() - started
req = TextRequest(messages=(ChatMessage("user", "Tell me a long story about a cat."),),
                  max_new_tokens=n, temperature=0.0, seed=1)
result = model.generate(req)
print(json.dumps({"load": load, "tps": result.tokens_per_second, "tokens": result.tokens,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def studio_run(path: Path, threads: int, n: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(threads), str(n)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def llama_bench_tps(binary: Path, path: Path, threads: int, n: int) -> float:
    out = subprocess.run(
        [str(binary), "-m", str(path), "-t", str(threads), "-p", "0", "-n", str(n), "-o", "json"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return float(json.loads(out)[0]["avg_ts"])


def llama_cli_rss(binary: Path, path: Path, threads: int, n: int) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(
        [str(binary), "-m", str(path), "-t", str(threads), "-n", str(n), "--temp", "0",
         "-no-cnv", "-p", "Tell me a long story about a cat."],
        check=True, capture_output=True,
    )  # fmt: skip
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest child so far: run llama-cli before the studio.
    return max(before, after) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None, help="GGUF (default: SmolLM2)")
    parser.add_argument("--bin", type=Path, default=None, help="folder of llama-bench/-cli")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.model is None:
        from tests.text.gguf_makers import smollm_gguf

        args.model = smollm_gguf()
    size_mb = args.model.stat().st_size / 2**20
    ref: dict[str, float] = {}
    bench = args.bin / "llama-bench" if args.bin else None
    cli = args.bin / "llama-cli" if args.bin else None
    if cli is not None and cli.exists():
        ref["rss_mb"] = statistics.median(
            llama_cli_rss(cli, args.model, args.threads, args.tokens) for _ in range(args.runs)
        )
    if bench is not None and bench.exists():
        ref["tps"] = statistics.median(
            llama_bench_tps(bench, args.model, args.threads, args.tokens) for _ in range(args.runs)
        )
    studio_run(args.model, args.threads, 8)  # warms the page cache
    runs = [studio_run(args.model, args.threads, args.tokens) for _ in range(args.runs)]
    ours = {k: statistics.median(r[k] for r in runs) for k in ("load", "tps", "rss_mb")}
    print(f"{args.model.name}: {size_mb:.0f} MiB, {args.threads} thread(s), {args.tokens} tokens")
    print(f"{'':14}{'studio':>10}{'llama.cpp':>11}{'ratio':>8}")
    print(f"{'warm load s':14}{ours['load']:>10.2f}{'-':>11}{'-':>8}   (target <= 2 s)")
    for key, label, target in (
        ("tps", "decode tok/s", ">= 0.95"),
        ("rss_mb", "peak RSS MiB", "<= 1.1"),
    ):
        if key in ref:
            ratio = ours[key] / ref[key]
            print(f"{label:14}{ours[key]:>10.1f}{ref[key]:>11.1f}{ratio:>8.2f}x  (target {target})")
        else:
            print(f"{label:14}{ours[key]:>10.1f}{'not built':>11}")
    if not ref:
        print("llama.cpp's tools are missing: see this script's docstring to build them.")


if __name__ == "__main__":
    main()
