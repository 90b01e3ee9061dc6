"""Text decode speed: our engine vs plain ``transformers`` generate(), same GGUF (the
bundled SmolLM2-135M-Instruct), same prompt, 128 new tokens, same thread count, one run.

    .venv/bin/python tests/bench/bench_text.py [--repeats 3] [--tokens 128]

Each variant runs in its own process (so its peak RSS is its own): ours with int8 weights
(the CPU default), ours with bf16 weights, and transformers' generate() on the fp32 and
bf16 copies. Greedy decoding with the end token ignored, so every variant makes exactly
``--tokens`` tokens. Prints medians of decode tokens/s (prompt pass excluded), the ratios
to transformers fp32, and each process's peak RSS.

llama.cpp: ``llama-cpp-python`` has no binary wheel on PyPI for this platform; building it
takes ~9 minutes on 2 cores, so it is measured only when it is already importable.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROMPT = "Write a short story about a robot who learns to paint."


def run_variant(name: str, tokens: int, repeats: int) -> dict[str, object]:
    import torch

    from engines import device
    from engines.catalogue import Catalogue
    from engines.text import llm
    from engines.text.types import ChatMessage, TextRequest

    device.current()  # applies the thread policy (1 thread on 2 cores)
    threads = torch.get_num_threads()
    (gguf,) = Catalogue().get(llm.DEFAULT_MODEL_ID).require()
    speeds: list[float] = []
    if name.startswith("ours"):
        model = llm.load(llm.DEFAULT_MODEL_ID, quantize=name == "ours-int8")
        model.eos_ids = frozenset()
        request = TextRequest(
            messages=(ChatMessage("user", PROMPT),),
            max_new_tokens=tokens,
            temperature=0.0,
            repetition_penalty=1.0,
        )
        for _ in range(repeats):
            result = model.generate(request)
            speeds.append(result.tokens_per_second)
    elif name.startswith("llama.cpp"):
        from llama_cpp import Llama

        llama = Llama(str(gguf), n_threads=threads, n_ctx=1024, verbose=False)
        for _ in range(repeats):
            start = time.perf_counter()
            first = None
            count = 0
            for _chunk in llama.create_chat_completion(
                [{"role": "user", "content": PROMPT}],
                max_tokens=tokens,
                temperature=0.0,
                stream=True,
            ):
                count += 1
                if first is None:
                    first = time.perf_counter()
            end = time.perf_counter()
            speeds.append((count - 1) / (end - (first or start)))
    else:
        from transformers import AutoModelForCausalLM, AutoTokenizer

        folder = llm.convert_gguf(gguf)
        dtype = torch.float32 if name.endswith("fp32") else torch.bfloat16
        tokenizer = AutoTokenizer.from_pretrained(str(folder))
        hf = AutoModelForCausalLM.from_pretrained(str(folder), dtype=dtype).eval()
        ids = tokenizer.apply_chat_template(
            [{"role": "user", "content": PROMPT}],
            add_generation_prompt=True,
            return_tensors="pt",
            return_dict=True,
        )["input_ids"]
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
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"variant": name, "threads": threads, "tok_s": speeds, "peak_rss": rss}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:
        print(json.dumps(run_variant(args.variant, args.tokens, args.repeats)))
        return 0
    variants = ["ours-int8", "ours-bf16", "transformers-fp32", "transformers-bf16"]
    try:
        import llama_cpp  # noqa: F401

        variants.append("llama.cpp")
    except ImportError:
        print("llama.cpp: llama-cpp-python is not installed (no wheel; ~9 min build): skipped")
    root = Path(__file__).resolve().parents[2]
    rows = []
    for name in variants:
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--variant",
                name,
                "--repeats",
                str(args.repeats),
                "--tokens",
                str(args.tokens),
            ],
            capture_output=True,
            text=True,
            cwd=root,
            check=True,
        )
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    base = statistics.median(rows[2]["tok_s"])
    print(
        f"{'variant':<20} {'threads':>7} {'tok/s (median)':>15} {'x tf fp32':>10} {'peak RSS':>10}"
    )
    for row in rows:
        median = statistics.median(row["tok_s"])
        print(
            f"{row['variant']:<20} {row['threads']:>7} {median:>15.1f} {median / base:>10.2f} "
            f"{row['peak_rss'] / 2**20:>8.0f} MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
