"""Why engines use 1 CPU thread on a 2-core machine: torch throughput with 1 vs 2 threads,
on an idle machine and with one busy core (as when the GUI, a browser or a second job
runs), side by side in one run. Prints medians and the 2-thread/1-thread ratio.

    .venv/bin/python tests/bench/bench_threads.py
"""

from __future__ import annotations

import multiprocessing as mp
import statistics
import time


def _busy(stop: mp.synchronize.Event) -> None:  # type: ignore[name-defined]
    x = 0
    while not stop.is_set():
        for i in range(100_000):
            x ^= i


def _workload(threads: int, repeats: int = 7) -> float:
    import torch as t

    t.set_num_threads(threads)
    a = t.randn(64, 512)
    w1, w2 = t.randn(512, 2048), t.randn(2048, 512)
    conv = t.nn.Conv2d(32, 32, 3, padding=1)
    img = t.randn(8, 32, 32, 32)
    times = []
    with t.inference_mode():
        for _ in range(repeats):
            start = time.perf_counter()
            for _ in range(20):
                (a @ w1).relu() @ w2
            conv(img)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    import torch

    print(f"torch {torch.__version__}, {mp.cpu_count()} logical CPUs")
    rows = []
    for label, load in (("idle", False), ("one core busy", True)):
        stop = mp.Event()
        proc = mp.Process(target=_busy, args=(stop,)) if load else None
        if proc:
            proc.start()
            time.sleep(0.5)
        try:
            t1 = _workload(1)
            t2 = _workload(2)
            t1b = _workload(1)  # again, so drift in load does not favour one side
        finally:
            if proc:
                stop.set()
                proc.join()
        one = statistics.median([t1, t1b])
        rows.append((label, one, t2))
    for label, one, two in rows:
        print(
            f"{label:>14}: 1 thread {one * 1000:.0f} ms, 2 threads {two * 1000:.0f} ms, "
            f"2-thread time / 1-thread time = {two / one:.2f}"
        )


if __name__ == "__main__":
    main()
