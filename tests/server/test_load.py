"""A bounded load test on localhost: 200 requests from 8 concurrent clients, none lost
or mixed up (each greedy reply equals the reply to its own prompt asked alone)."""

from __future__ import annotations

import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from studio.server import ApiServer
from tests.server.conftest import TEXT_MODEL

pytestmark = pytest.mark.integration

REQUESTS, CLIENTS = 200, 8
PROMPTS = [f"Name a colour, number {i}." for i in range(5)]


def test_200_requests_from_8_clients_none_lost_or_mixed_up(server: ApiServer) -> None:
    import openai

    def ask(client: Any, prompt: str) -> str:
        reply = client.chat.completions.create(
            model=TEXT_MODEL,
            messages=[{"role": "user", "content": prompt}],
            max_tokens=3,
            temperature=0,
        )
        return str(reply.choices[0].message.content)

    alone = openai.OpenAI(base_url=server.address, api_key="x", max_retries=0)
    expected = {p: ask(alone, p) for p in PROMPTS}
    assert len(set(expected.values())) > 1  # else a mix-up could not show

    clients = [
        openai.OpenAI(base_url=server.address, api_key="x", max_retries=0, timeout=120)
        for _ in range(CLIENTS)
    ]

    def one(i: int) -> tuple[int, Any, float]:
        client = clients[i % CLIENTS]
        started = time.perf_counter()
        if i % 2:  # the cheap endpoint, no engine
            answer: Any = sorted(m.id for m in client.models.list().data)
        else:
            answer = ask(client, PROMPTS[i % len(PROMPTS)])
        return i, answer, time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        results = list(pool.map(one, range(REQUESTS)))
    wall = time.perf_counter() - started
    assert sorted(i for i, _, _ in results) == list(range(REQUESTS))  # none lost
    models = sorted(m.id for m in alone.models.list().data)
    for i, answer, _ in results:
        want = models if i % 2 else expected[PROMPTS[i % len(PROMPTS)]]
        assert answer == want, f"request {i} got another request's reply"
    latencies = sorted(s for _, _, s in results)
    q = statistics.quantiles(latencies, n=100)
    print(
        f"\n{REQUESTS} requests, {CLIENTS} clients, {wall:.1f} s: latency p50 {q[49] * 1000:.0f} ms, "
        f"p90 {q[89] * 1000:.0f} ms, p99 {q[98] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
    )
    assert wall < 120  # bounded: a hang fails rather than holding CI
