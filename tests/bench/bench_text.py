"""Text decode speed and memory: our engine vs ``transformers`` generate() vs llama.cpp, on
the same GGUF (the bundled SmolLM2-135M-Instruct), the same prompt, the same thread count,
in the same run.

    .venv/bin/python tests/bench/bench_text.py [--rounds 2] [--repeats 3] [--tokens 128]
    .venv/bin/python tests/bench/bench_text.py --setup-llama   # build llama.cpp (once)

Each variant runs in a fresh process (so its peak RSS, load included, is its own); the
variants take turns for ``--rounds`` rounds, each process decoding ``--repeats`` times, so
a burst of load from elsewhere on a shared machine hits them alike. Greedy decoding with
the end token ignored: every variant makes exactly ``--tokens`` tokens. Printed: medians of
decode tokens/s (the prompt's own pass left out), ratios to transformers fp32 and to
llama.cpp, and each variant's peak RSS.

- ``ours``: the default CPU path (the GGUF's own blocks through ONNX Runtime MatMulNBits,
  the whole decoder step in one ONNX Runtime call; see ``engines/text/gguf_cpu.py``),
  loaded from its cache.
- ``ours-steered``: the same with the "formal" steering vector at strength 1 (an input of
  the step graph; the vector is built before the timing starts).
- ``ours-int8-once``: the fast path as it was before issue 18 (activations quantised to
  int8 once per block; its logits strayed up to 2.6 from the exact ones and its answers
  changed with the CPU), to show what the exact activations cost.
- ``ours-bf16``: the previous default, the bf16 copy through our torch decoder.
- ``transformers-fp32``: ``generate()`` on the fp32 dequantised copy, eager.
- ``llama.cpp``: ``llama-cpp-python`` on the GGUF itself. It has no wheel on PyPI for this
  platform and is never a project dependency: ``--setup-llama`` builds it (~30-60 minutes
  on a busy 2-core machine) into ``tests/bench/.venv-llama`` (git-ignored), and the column
  is skipped with a note when that environment is absent.

Measured on 2026-12-03 on an AVX-512 (VNNI, BF16) machine, packed format 7 (exact
activations), 1 thread, 2 rounds x 3 runs, load average 1.0, the machine otherwise quiet:

    variant             tok/s   x tf fp32   x llama.cpp   peak RSS
    ours                 85.3        4.56          0.82     485 MB
    ours-int8-once       94.4        5.04          0.91     473 MB
    ours-steered         74.4        3.97          0.72     490 MB
    ours-bf16            24.3        1.30          0.23     842 MB
    transformers-fp32    18.7        1.00          0.18    1205 MB
    llama.cpp           103.9        5.55          1.00     185 MB

(The run before, same machine, with the ``ours-int8-once`` row falling back to the exact
path by mistake: ours 71.8 against llama.cpp 91.8, 0.78x.) On this CPU llama.cpp's VNNI
kernels beat even the single int8 pass; the exact activations cost about 10% over it. The
earlier figures below were measured on an AVX2 machine, where the single pass beat
llama.cpp:

AVX2 machine (2-core shared machine, 1 thread, ``/tmp/quiet.sh`` pausing the background
training, load average 1.0 at the end; medians of 6):

    variant             tok/s   x tf fp32   x llama.cpp   peak RSS
    ours                 87.6        5.78          1.22     496 MB
    ours-steered         87.5        5.77          1.22     511 MB
    ours-bf16            32.8        2.16          0.46     796 MB
    transformers-fp32    15.2        1.00          0.21    1179 MB
    llama.cpp            71.7        4.73          1.00     184 MB

(The run before, without ``ours-steered``: ours 87.0, llama.cpp 73.1, 1.19x, 495 MB. Two
runs later, with the step graph's weights in ``decoder.data`` and another session's jobs
on the second core: 78.3 against 69.3 (1.13x) and 78.6 against 65.7 (1.20x), peak RSS
488-499 MB. With the previous per-layer decoder, two ONNX calls and torch attention per
layer: 49.2 against 61.6, 0.80x.)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

PROMPT = "Write a short story about a robot who learns to paint."
HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LLAMA_ENV = HERE / ".venv-llama"
LLAMA_PYTHON = LLAMA_ENV / "bin" / "python"
LLAMA_PACKAGE = "llama-cpp-python==0.3.36"


def run_variant(name: str, tokens: int, repeats: int, threads: int, prompt: str, gguf: str) -> dict:
    speeds: list[float] = []
    if name == "llama.cpp":
        # Runs in the llama.cpp environment: nothing from the project is imported here.
        from llama_cpp import Llama

        llama = Llama(gguf, n_threads=threads, n_threads_batch=threads, n_ctx=1024, verbose=False)
        ids = llama.tokenize(prompt.encode(), add_bos=False, special=True)
        for _ in range(repeats):
            llama.reset()
            stamps = []
            for _token in llama.generate(ids, top_k=1, temp=0.0, repeat_penalty=1.0):
                stamps.append(time.perf_counter())
                if len(stamps) == tokens:
                    break
            speeds.append((len(stamps) - 1) / (stamps[-1] - stamps[0]))
    else:
        import torch

        from engines import device
        from engines.text import llm
        from engines.text.types import ChatMessage, TextRequest

        device.current()  # the thread policy (1 thread on 2 cores)
        torch.set_num_threads(threads)
        if name == "ours-int8-once":
            # The fast path before issue 18: activations quantised to int8 once per block
            # (wrong logits by up to 2.6: kept to show what exactness costs, its check
            # switched off so that it is not replaced by the exact fallback).
            from engines.text import gguf_cpu

            gguf_cpu.EXACT_ACTIVATIONS = frozenset()
            gguf_cpu.ProbeCheck.passed = property(lambda self: True)  # type: ignore[method-assign,assignment]
        if name.startswith("ours"):
            bf16 = name == "ours-bf16"
            model = llm.load(llm.DEFAULT_MODEL_ID, packed=not bf16)
            model.eos_ids = frozenset()
            request = TextRequest(
                messages=(ChatMessage("user", PROMPT),),
                max_new_tokens=tokens,
                temperature=0.0,
                repetition_penalty=1.0,
                steering={"formal": 1.0} if name == "ours-steered" else {},
            )
            if request.steering:
                model.generate(replace(request, max_new_tokens=1))  # builds the vector
            for _ in range(repeats):
                speeds.append(model.generate(request).tokens_per_second)
        else:
            from transformers import AutoModelForCausalLM, AutoTokenizer

            folder = llm.convert_gguf(Path(gguf))
            tokenizer = AutoTokenizer.from_pretrained(str(folder))
            hf = AutoModelForCausalLM.from_pretrained(str(folder), dtype=torch.float32).eval()
            ids = tokenizer(prompt, add_special_tokens=False, return_tensors="pt")["input_ids"]
            for _ in range(repeats):
                with torch.inference_mode():
                    # Time the prompt pass alone, then subtract it: decode speed only.
                    t0 = time.perf_counter()
                    hf.generate(ids, max_new_tokens=1, do_sample=False)
                    prefill = time.perf_counter() - t0
                    t0 = time.perf_counter()
                    hf.generate(ids, max_new_tokens=tokens, min_new_tokens=tokens, do_sample=False)
                    total = time.perf_counter() - t0
                speeds.append((tokens - 1) / (total - prefill))
    return {"variant": name, "threads": threads, "tok_s": speeds, "peak_rss": peak_rss()}


def peak_rss() -> int:
    """This process's peak resident memory in bytes. Linux's VmHWM where there is one:
    after fork + exec, ru_maxrss starts from the parent's RSS at the fork."""
    try:
        status = Path("/proc/self/status").read_text()
        return int(status.split("VmHWM:")[1].split()[0]) * 1024
    except (OSError, IndexError, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def setup_llama() -> int:
    """Build llama-cpp-python into the benchmark's own environment, at low priority."""
    if not LLAMA_PYTHON.exists():
        subprocess.run([sys.executable, "-m", "venv", str(LLAMA_ENV)], check=True)
    env = dict(os.environ, CMAKE_BUILD_PARALLEL_LEVEL="1")
    env["CMAKE_ARGS"] = (
        "-DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_SERVER=OFF "
        "-DLLAMA_CURL=OFF"
    )
    print(f"Building {LLAMA_PACKAGE} into {LLAMA_ENV} (slow: one compiler job, nice 19)")
    done = subprocess.run(
        ["nice", "-n", "19", str(LLAMA_PYTHON), "-m", "pip", "install", LLAMA_PACKAGE], env=env
    )
    return done.returncode


def instruction_set() -> str:
    """The widest x86 vector set this CPU has: ONNX Runtime and llama.cpp both pick their
    kernels by it, so the ratio holds for that set only."""
    try:
        flags = set(Path("/proc/cpuinfo").read_text().split("flags")[1].split("\n")[0].split())
    except (OSError, IndexError):
        return "unknown"
    if "avx512f" in flags:
        extras = [
            name
            for flag, name in (("avx512_vnni", "VNNI"), ("avx512_bf16", "BF16"))
            if flag in flags
        ]
        return "AVX-512" + (f" ({', '.join(extras)})" if extras else "")
    return "AVX2" if "avx2" in flags else "below AVX2"


def llama_available() -> bool:
    if not LLAMA_PYTHON.exists():
        return False
    probe = subprocess.run([str(LLAMA_PYTHON), "-c", "import llama_cpp"], capture_output=True)
    return probe.returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--setup-llama", action="store_true", help="build llama.cpp, then exit")
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    parser.add_argument("--job", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup_llama:
        return setup_llama()
    if args.variant:
        job = json.loads(args.job)
        row = run_variant(
            args.variant, args.tokens, args.repeats, job["threads"], job["prompt"], job["gguf"]
        )
        print(json.dumps(row))
        return 0

    sys.path.insert(0, str(ROOT))
    from engines import device
    from engines.catalogue import Catalogue
    from engines.text import llm

    threads = device.current().threads
    model = llm.load(llm.DEFAULT_MODEL_ID)  # packs the GGUF once, before anything is timed
    prompt = model.tokenizer.apply_chat_template(
        [{"role": "user", "content": PROMPT}], add_generation_prompt=True, tokenize=False
    )
    llm.convert_gguf(model.source)  # the bf16 copy the transformers and bf16 rows use
    del model
    (gguf,) = Catalogue().get(llm.DEFAULT_MODEL_ID).require()
    job = json.dumps({"threads": threads, "prompt": prompt, "gguf": str(gguf)})
    variants = ["ours", "ours-int8-once", "ours-steered", "ours-bf16", "transformers-fp32"]
    if llama_available():
        variants.append("llama.cpp")
    else:
        print(
            f"llama.cpp: skipped (no build in {LLAMA_ENV.relative_to(ROOT)}; "
            "run this script with --setup-llama first)"
        )
    rows: dict[str, dict] = {}
    for _ in range(args.rounds):
        for name in variants:
            python = str(LLAMA_PYTHON) if name == "llama.cpp" else sys.executable
            command = [python, __file__, "--variant", name, "--job", job]
            command += ["--repeats", str(args.repeats), "--tokens", str(args.tokens)]
            out = subprocess.run(
                command,
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            if out.returncode != 0:
                print(f"{name}: failed\n{out.stderr[-2000:]}")
                return 1
            row = json.loads(out.stdout.strip().splitlines()[-1])
            if name in rows:
                rows[name]["tok_s"] += row["tok_s"]
                rows[name]["peak_rss"] = max(rows[name]["peak_rss"], row["peak_rss"])
            else:
                rows[name] = row
    medians = {name: statistics.median(row["tok_s"]) for name, row in rows.items()}
    base = medians["transformers-fp32"]
    reference = medians.get("llama.cpp")
    print(
        f"{args.tokens} new tokens, {args.rounds} rounds x {args.repeats} runs, "
        f"{threads} thread(s), load average {os.getloadavg()[0]:.1f}, "
        f"CPU instruction set {instruction_set()}"
    )
    print(
        f"{'variant':<18} {'tok/s (median)':>15} {'x tf fp32':>10} {'x llama.cpp':>12} "
        f"{'peak RSS':>10}   runs"
    )
    for name, row in rows.items():
        ratio = f"{medians[name] / reference:>12.2f}" if reference else f"{'-':>12}"
        runs = " ".join(f"{s:.1f}" for s in row["tok_s"])
        print(
            f"{name:<18} {medians[name]:>15.1f} {medians[name] / base:>10.2f} {ratio} "
            f"{row['peak_rss'] / 2**20:>7.0f} MB   {runs}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
