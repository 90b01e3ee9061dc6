"""The API server's cost per chat token, against calling the engine directly.

    .venv/bin/python tests/bench/bench_server.py [--repeats 5] [--tokens 64]

Side by side in one run, interleaved so that load on the machine hits both alike: the
same greedy SmolLM2 reply (a fixed number of tokens, no end-of-text stop) made through
``engines.registry`` directly (``TextEngine.stream``) and through ``POST
/v1/chat/completions`` with ``stream: true`` and the real ``openai`` client on
127.0.0.1 (and read with plain ``http.client``, "raw"). Prints the median seconds per token of each, their ratio (target: the server
costs <= 5% more), and the median first-token latency of each (request sent to first
text piece received).

Measured on the shared 2-core CI machine (SmolLM2 Q4_1, one torch thread, 64 tokens),
four runs: direct 13.5-16.1 ms/token; through the server with the ``openai`` client
0.98x-1.15x of that (medians of 1, 5, 5 and 7 repeats: +2.0%, +10.8%, +15.1%, -2.2%),
raw ``http.client`` 1.13x-1.21x (its line-by-line chunked reading is Python work in this
process, beside the engine). The spread is the machine's load (six people share it):
the <= 5% target is met in some runs and not others, so it is not shown here. First
token: 1-2 ms direct (the repeated prompt's cached pass), 9-15 ms through the server.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("OMP_NUM_THREADS", "1")

MODEL = "smollm2-135m-instruct"
PROMPT = "Write a long story about a lighthouse keeper."


def direct(tokens: int) -> tuple[float, float, int]:
    """(first-token seconds, seconds per token after it, tokens) calling the engine."""
    from engines import registry
    from engines.catalogue import Task
    from engines.jobs import JobContext
    from engines.text.engine import StreamRequest
    from engines.text.types import ChatMessage, TextRequest, TextResult

    engine: Any = registry.load(MODEL, task=Task.text)
    request = TextRequest(
        (ChatMessage("user", PROMPT),), MODEL, max_new_tokens=tokens, temperature=0
    )
    started = time.perf_counter()
    first = 0.0
    made = 0
    for item in engine.generate(StreamRequest(request), JobContext()):
        if isinstance(item, TextResult):
            made = item.tokens
        elif not first:
            first = time.perf_counter() - started
    total = time.perf_counter() - started
    return first, (total - first) / max(1, made - 1), made


def served(client: Any, tokens: int) -> tuple[float, float, int]:
    """The same through the server, counting the tokens from the usage chunk."""
    started = time.perf_counter()
    first = 0.0
    made = 0
    stream = client.chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": PROMPT}],
        max_tokens=tokens,
        temperature=0,
        stream=True,
        stream_options={"include_usage": True},
    )
    for chunk in stream:
        if chunk.usage is not None:
            made = chunk.usage.completion_tokens
        elif chunk.choices and chunk.choices[0].delta.content and not first:
            first = time.perf_counter() - started
    total = time.perf_counter() - started
    return first, (total - first) / max(1, made - 1), made


def served_raw(port: int, tokens: int) -> tuple[float, float, int]:
    """The same through the server read with ``http.client`` (no pydantic per chunk), to
    tell the server's own cost from the ``openai`` client's, which runs in this process
    and competes with the engine for the CPU and the GIL."""
    import http.client
    import json

    body = json.dumps(
        {
            "model": MODEL,
            "messages": [{"role": "user", "content": PROMPT}],
            "max_tokens": tokens,
            "temperature": 0,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
    )
    conn = http.client.HTTPConnection("127.0.0.1", port)
    started = time.perf_counter()
    conn.request("POST", "/v1/chat/completions", body, {"Content-Type": "application/json"})
    reply = conn.getresponse()
    first = 0.0
    made = 0
    for line in reply:
        if not line.startswith(b"data: {"):
            continue
        event = json.loads(line[6:])
        if event.get("usage"):
            made = event["usage"]["completion_tokens"]
        elif not first and event["choices"][0]["delta"].get("content"):
            first = time.perf_counter() - started
    total = time.perf_counter() - started
    conn.close()
    return first, (total - first) / max(1, made - 1), made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--tokens", type=int, default=64)
    args = parser.parse_args()

    import openai

    from engines import device
    from studio.server import ApiServer, SerialJobQueue, ServerConfig

    device.configure("cpu", 1)
    jobs = SerialJobQueue()
    server = ApiServer(ServerConfig(port=0), jobs)
    server.start()
    client = openai.OpenAI(base_url=server.address, api_key="x", max_retries=0)
    try:
        direct(args.tokens), served(client, args.tokens)  # warm up: load, caches
        runs: dict[str, list[tuple[float, float, int]]] = {"direct": [], "server": [], "raw": []}
        for _ in range(args.repeats):
            runs["direct"].append(direct(args.tokens))
            runs["server"].append(served(client, args.tokens))
            runs["raw"].append(served_raw(server.port, args.tokens))
    finally:
        server.stop()
        jobs.close()
    per_token = {k: statistics.median(r[1] for r in v) for k, v in runs.items()}
    first = {k: statistics.median(r[0] for r in v) for k, v in runs.items()}
    tokens = {k: {r[2] for r in v} for k, v in runs.items()}
    print(f"{args.repeats} runs each, {args.tokens} tokens asked, tokens made: {tokens}")
    for k in runs:
        print(f"{k:>7}: {per_token[k] * 1000:.2f} ms/token, first token {first[k] * 1000:.0f} ms")
    for name in ("server", "raw"):
        ratio = per_token[name] / per_token["direct"]
        print(f"{name} / direct per token: {ratio:.3f} ({(ratio - 1) * 100:+.1f}%; target <= +5%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
