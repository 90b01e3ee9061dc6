"""The GUI thread's worst stall and p99 stall on first use of each panel and under a
30-job queue (issue #21), each a fresh process (tests/stall_probe.py), median of runs.

    .venv/bin/python tests/bench/bench_stalls.py [--runs 3] [--before /path/to/checkout]

``--before`` measures another checkout's ``studio`` and ``engines`` too (the same probe
script), side by side: e.g. the main branch before a change. ``control`` is the idle
window: what the machine's scheduler costs in the same minutes. Target: 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = ROOT / "tests" / "stall_probe.py"
CASES = ("control", "text", "image", "music", "speech", "queue")


def run_probe(case: str, code: Path) -> dict[str, float]:
    env = dict(
        os.environ,
        PYTHONPATH=f"{code}{os.pathsep}{ROOT}",  # the measured code first; the probe's helpers
        SOZO_ASSETS_DIR=str(code / "assets"),
        QT_QPA_PLATFORM="offscreen",
    )
    out = subprocess.run(
        [sys.executable, str(PROBE), case],
        capture_output=True,
        text=True,
        env=env,
        cwd=code,
        timeout=600,
        check=True,
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def median_of(case: str, code: Path, runs: int) -> tuple[float, float]:
    results = [run_probe(case, code) for _ in range(runs)]
    return (
        statistics.median(r["worst_ms"] for r in results),
        statistics.median(r["p99_ms"] for r in results),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", type=Path, help="another checkout to measure first")
    parser.add_argument("--cases", nargs="*", default=list(CASES), choices=CASES)
    args = parser.parse_args()
    print(f"median of {args.runs} fresh processes; stall = gap between 5 ms ticks - 5 ms")
    header = f"{'case':8} {'worst ms':>9} {'p99 ms':>7}"
    if args.before:
        header += f"   {'before worst':>12} {'before p99':>10}"
    print(header)
    for case in args.cases:
        line = ""
        if args.before:
            b_worst, b_p99 = median_of(case, args.before.resolve(), args.runs)
            line = f"   {b_worst:12.1f} {b_p99:10.1f}"
        worst, p99 = median_of(case, ROOT, args.runs)
        print(f"{case:8} {worst:9.1f} {p99:7.1f}{line}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
