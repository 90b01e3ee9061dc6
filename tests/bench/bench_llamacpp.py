"""The studio's LlamaCppModel against llama.cpp's own CLI on the same GGUF (issue #13).

For each ``--model`` (default: the packaged SmolLM2; the issue's file is the Gemma 3 270M
Q4_K_M GGUF), in one run, ``--runs`` rounds (>= 3), each round in this order:

- studio cold: the file dropped from the page cache (``posix_fadvise(DONTNEED)``), then a
  fresh Python process: ``LlamaCppModel(path)`` and one greedy reply of ``--tokens``;
- studio warm: the same again, the file now in the page cache;
- llama.cpp cold and warm: ``llama-completion -no-cnv --no-warmup`` on the same file, the
  same threads, the same context size, the same templated prompt (rendered by the studio;
  a leading BOS is left for llama.cpp to add), ``--temp 0 -n`` tokens. Each runs under a
  small fresh Python process that reports ``RUSAGE_CHILDREN`` (so that run's own peak RSS);
- llama-bench ``-p 0 -n`` tokens (no prompt, no sampler: printed for context only).

Printed side by side, medians and ratio studio / llama.cpp:

- load s (cold, warm): the studio's constructor (header check, llama.cpp's load, the chat
  template) against llama.cpp's printed "load time" (model and context);
- first token s (cold, warm): load, the prompt's pass and the first token; llama.cpp:
  load time + prompt eval time;
- decode tok/s: the studio's ``tokens_per_second`` (wall clock over every token after the
  first: decode, sampler, text, our loop) against llama.cpp's printed eval tokens per second
  (``llama_decode`` only: its sampling time is left out, so this is the strict figure);
- peak RSS MiB: ``ru_maxrss`` of the warm runs (the Python interpreter counts for us).

Targets: warm load <= 2 s, decode >= 0.95x, RSS <= 1.1x.

Measured 2026-12-04 (2-core AVX2 build, shared machine, 1 thread, 128 tokens, 3 runs):

    file (context)             warm load    decode tok/s (ratio)   peak RSS MiB (ratio)
    SmolLM2-135M Q4_1 (8192)   0.36 s       86.5 / 88.2 (0.98x)    342 / 308 (1.11x)
    Gemma 3 270M Q4_K_M (16k)  0.81 s       50.1 / 46.8 (1.07x)    408 / 377 (1.08x)

(before this bench's fixes: decode 0.78x llama-bench, Gemma warm load ~2.2 s of which 1.6 s
was walking the header's vocabulary twice in Python). The load ratio stays large: the
studio's figure includes importing Python, numpy and llama_cpp (~0.3 s) and checking the
header; llama.cpp's is its C loader only.

llama.cpp's tools are built from the sdist llama-cpp-python vendors (the same llama.cpp
revision as the studio's)::

    cd /tmp/llsrc && tar xzf llama_cpp_python-0.3.36.tar.gz && cd llama_cpp_python-0.3.36
    cmake -B build -DGGML_NATIVE=OFF -DLLAMA_CURL=OFF vendor/llama.cpp
    cmake --build build --target llama-completion llama-bench -j1

then ``python tests/bench/bench_llamacpp.py --bin /tmp/llsrc/llama_cpp_python-0.3.36/build/bin``
(``--same-libs``: run the tools on the studio's own ``libllama``/``libggml``, so that only
the code around them differs). Without the tools, only the studio's figures are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PROMPT = "Tell me a long story about a cat."

STUDIO = r"""
import json, resource, sys, time
from pathlib import Path
started = time.perf_counter()
from engines.jobs import JobContext
from engines.text.llamacpp import LlamaCppModel
from engines.text.types import ChatMessage, TextRequest, TextResult
path, threads, n, prompt = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
model = LlamaCppModel(path, threads=threads)
load = time.perf_counter() - started
messages = (ChatMessage("user", prompt),)
req = TextRequest(messages=messages, max_new_tokens=n, temperature=0.0, seed=1)
first = None
for item in model.stream(req, JobContext()):
    if first is None:
        first = time.perf_counter() - started
    if isinstance(item, TextResult):
        result = item
text = model.llm.detokenize(model.render(messages), special=True).decode("utf-8")
bos = model.llm.token_bos()
lib = model._lib
if bos != -1 and lib.llama_vocab_get_add_bos(model._vocab):
    bos_text = model.llm._model.token_get_text(bos)
    text = text[len(bos_text):] if text.startswith(bos_text) else text
print(json.dumps({"load": load, "first": first, "tps": result.tokens_per_second,
                  "tokens": result.tokens, "prompt_tokens": result.prompt_tokens,
                  "context": model.context_length, "prompt": text,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

# A fresh process whose only child is the reference run: its RUSAGE_CHILDREN is that run's.
WRAP = r"""
import json, resource, subprocess, sys
with open(sys.argv[1], "wb") as log:
    code = subprocess.run(sys.argv[2:], stdout=log, stderr=subprocess.STDOUT).returncode
print(json.dumps({"rc": code,
                  "rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def drop_from_page_cache(path: Path) -> None:
    """Evict the file's pages (those no process maps) so the next load reads the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def resident_percent(path: Path) -> str:
    """How much of the file is in the page cache (``fincore``), or "?" without it."""
    try:
        out = subprocess.run(
            ["fincore", "--bytes", "--noheadings", "--output", "RES", str(path)],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        return f"{100 * int(out.split()[0]) / path.stat().st_size:.0f}%"
    except (OSError, subprocess.CalledProcessError, ValueError, IndexError):
        return "?"


def studio_run(path: Path, threads: int, n: int) -> dict[str, float | str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": str(threads)}
    out = subprocess.run(
        [sys.executable, "-c", STUDIO, str(path), str(threads), str(n), PROMPT],
        check=True, capture_output=True, text=True, env=env, cwd=ROOT,
    ).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def _timing(log: str, label: str) -> re.Match[str]:
    found = re.search(rf"{label} time =\s*([\d.]+) ms(?: /\s*(\d+) \w+\s*\(.*?([\d.]+) tokens per second)?", log)  # fmt: skip
    if found is None:
        raise RuntimeError(f"no '{label} time' in llama-completion's output:\n{log[-2000:]}")
    return found


def reference_run(
    binary: Path, path: Path, threads: int, n: int, context: int, prompt: str, env: dict[str, str]
) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        prompt_file, log_file = Path(tmp) / "prompt.txt", Path(tmp) / "log.txt"
        prompt_file.write_text(prompt, encoding="utf-8")
        command = [
            str(binary), "-m", str(path), "-t", str(threads), "-tb", str(threads),
            "-c", str(context), "-n", str(n), "--temp", "0", "--seed", "1",
            "-no-cnv", "--no-warmup", "--no-display-prompt", "-f", str(prompt_file),
        ]  # fmt: skip
        out = subprocess.run(
            [sys.executable, "-c", WRAP, str(log_file), *command],
            check=True, capture_output=True, text=True, env=env,
        ).stdout  # fmt: skip
        wrapped = json.loads(out.strip().splitlines()[-1])
        log = log_file.read_text(encoding="utf-8", errors="replace")
    if wrapped["rc"] != 0:
        raise RuntimeError(f"llama-completion failed ({wrapped['rc']}):\n{log[-2000:]}")
    load = float(_timing(log, "load").group(1)) / 1000
    prompt_eval = float(_timing(log, "prompt eval").group(1)) / 1000
    evals = _timing(log, r"(?<!prompt )eval")
    return {
        "load": load,
        "first": load + prompt_eval,
        "tps": float(evals.group(3)),
        "tokens": float(evals.group(2)) + 1,  # the last token is sampled, never decoded
        "rss_mb": wrapped["rss_mb"],
    }


def llama_bench_tps(binary: Path, path: Path, threads: int, n: int, env: dict[str, str]) -> float:
    out = subprocess.run(
        [str(binary), "-m", str(path), "-t", str(threads), "-p", "0", "-n", str(n), "-o", "json"],
        check=True, capture_output=True, text=True, env=env,
    ).stdout  # fmt: skip
    return float(json.loads(out)[0]["avg_ts"])


ROWS = (  # key, label, format, target
    ("cold_load", "cold load s", ".2f", ""),
    ("warm_load", "warm load s", ".2f", "studio <= 2 s"),
    ("cold_first", "cold 1st tok s", ".2f", ""),
    ("warm_first", "warm 1st tok s", ".2f", ""),
    ("tps", "decode tok/s", ".1f", ">= 0.95x"),
    ("rss_mb", "peak RSS MiB", ".0f", "<= 1.1x"),
    ("tokens", "tokens made", ".0f", ""),
)


def bench_model(args: argparse.Namespace, path: Path) -> None:
    completion = args.bin / "llama-completion" if args.bin else None
    bench = args.bin / "llama-bench" if args.bin else None
    env = dict(os.environ)
    if args.same_libs:
        import llama_cpp

        env["LD_LIBRARY_PATH"] = str(Path(llama_cpp.__file__).parent / "lib")
    ours: list[dict[str, float]] = []
    theirs: list[dict[str, float]] = []
    bench_tps: list[float] = []
    cold_resident: list[str] = []
    for _ in range(args.runs):
        drop_from_page_cache(path)
        cold_resident.append(resident_percent(path))
        cold = studio_run(path, args.threads, args.tokens)
        warm = studio_run(path, args.threads, args.tokens)
        context, prompt = int(warm["context"]), str(warm["prompt"])
        ours.append(_merge(cold, warm))
        if completion is not None and completion.exists():
            run = (completion, path, args.threads, args.tokens, context, prompt, env)
            drop_from_page_cache(path)
            ref_cold = reference_run(*run)
            theirs.append(_merge(ref_cold, reference_run(*run)))
        if bench is not None and bench.exists():
            bench_tps.append(llama_bench_tps(bench, path, args.threads, args.tokens, env))
    size_mb = path.stat().st_size / 2**20
    print(
        f"\n{path.name}: {size_mb:.0f} MiB, context {context}, {args.threads} thread(s), "
        f"prompt {int(ours[0]['prompt_tokens'])} tokens, {args.tokens} tokens greedy, "
        f"medians of {args.runs} runs; page cache before cold runs: {', '.join(cold_resident)}"
        + (" (tools on the studio's libllama)" if args.same_libs else "")
    )
    print(f"{'':16}{'studio':>10}{'llama.cpp':>11}{'ratio':>8}")
    for key, label, fmt, target in ROWS:
        mine = statistics.median(r[key] for r in ours)
        line = f"{label:16}{mine:>10{fmt}}"
        if theirs:
            ref = statistics.median(r[key] for r in theirs)
            line += f"{ref:>11{fmt}}{mine / ref:>7.2f}x" if ref else f"{ref:>11{fmt}}"
        else:
            line += f"{'not built':>11}"
        print(line + (f"   (target {target})" if target else ""))
    if bench_tps:
        print(f"llama-bench tg{args.tokens}: {statistics.median(bench_tps):.1f} tok/s "
              "(no prompt, no sampler; for context)")  # fmt: skip
    if not theirs:
        print("llama-completion is missing: see this script's docstring to build it.")


def _merge(cold: dict[str, Any], warm: dict[str, Any]) -> dict[str, float]:
    merged = {k: float(v) for k, v in warm.items() if k not in ("prompt", "load", "first")}
    merged.update(
        cold_load=float(cold["load"]), warm_load=float(warm["load"]),
        cold_first=float(cold["first"]), warm_first=float(warm["first"]),
    )  # fmt: skip
    return merged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, action="append", help="GGUF (repeatable)")
    parser.add_argument("--bin", type=Path, default=None, help="folder of llama-completion")
    parser.add_argument("--same-libs", action="store_true", help="tools on the studio's libs")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not args.model:
        sys.path.insert(0, str(ROOT))
        from tests.text.gguf_makers import smollm_gguf

        args.model = [smollm_gguf()]
    for path in args.model:
        bench_model(args, path)


if __name__ == "__main__":
    main()
