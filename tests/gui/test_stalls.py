"""The window never stalls over 50 ms on first use of a panel or under a 30-job queue
(issue #21), measured in fresh processes by tests/stall_probe.py.

What is asserted, and why so:

* Each case runs in a new process, so its first use is really first (inside a test run
  torch and the models are long loaded). A 5 ms QTimer on the GUI thread records its
  ticks; a stall is a gap between ticks minus the 5 ms.
* The probe must have run: at least ``MIN_TICKS`` ticks and the case's jobs finished.
* On a shared machine the OS scheduler alone can hold the GUI thread back. So each try
  also measures a control, the same window idle in the same minute, and the assertion is
  on the case's worst stall minus the control's worst stall. A stall of ours (a GIL held
  by a job, work on the GUI thread) comes back on every try; the scheduler's does not:
  the test passes when one of ``TRIES`` tries is within the limit.

torch's libraries now load with the GIL released, on a background thread once the
window shows (engines.native), and what torch's import leaves is frozen out of the
collector's way: Music's first use is within the limit. The Text panel's first reply is
within it since its tokenizer is plain Python (engines.text.bpe: the library's held the
GIL 100-350 ms), and Image's first picture since the GUI thread's collector freezes a
burst of young survivors (a first import's, a model load's) instead of walking them (a
young collection took 25-60 ms). The start-up's warm-up itself is measured (``startup``:
28-32 ms on a quiet machine). See the README's "The window" section for the figures.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.gui, pytest.mark.integration]

ROOT = Path(__file__).resolve().parents[2]
STALL_LIMIT_MS = 50.0
MIN_TICKS = 50
TRIES = 3


def probe(case: str) -> dict[str, object]:
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        SOZO_ASSETS_DIR=str(ROOT / "assets"),
        QT_QPA_PLATFORM="offscreen",
    )
    for name in ("SOZO_CONFIG_DIR", "SOZO_DATA_DIR", "SOZO_OUTPUT_DIR", "SOZO_LOG_FILE"):
        env.pop(name, None)  # the probe makes its own temporary folders
    done = subprocess.run(
        [sys.executable, "-m", "tests.stall_probe", case],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def excess_stalls_ms(case: str) -> list[float]:
    """Each try's worst stall beyond its control's, until one is within the limit."""
    excesses = []
    for _ in range(TRIES):
        control, measured = probe("control"), probe(case)
        for result in (control, measured):
            assert int(str(result["ticks"])) >= MIN_TICKS, f"the probe hardly ran: {result}"
        assert measured["state"] == "finished", measured
        excess = float(str(measured["worst_ms"])) - float(str(control["worst_ms"]))
        excesses.append(round(excess, 1))
        if excess <= STALL_LIMIT_MS:
            break
    return excesses


@pytest.mark.parametrize(
    "case",
    [
        "text",
        "image",
        "music",
        "speech",
        "queue",
        "startup",
    ],
)
def test_first_use_and_a_queue_stall_the_window_at_most_50_ms(case: str) -> None:
    excesses = excess_stalls_ms(case)
    assert min(excesses) <= STALL_LIMIT_MS, (
        f"{case}: worst stalls beyond the idle window's, per try: {excesses} ms"
    )


def test_the_probe_sees_a_stall_when_there_is_one() -> None:
    """The probe can fail: 200 ms of work on the GUI thread shows as a 200 ms stall."""
    control, blocked = probe("control"), probe("blocked")
    assert int(str(blocked["ticks"])) >= MIN_TICKS
    excess = float(str(blocked["worst_ms"])) - float(str(control["worst_ms"]))
    assert excess >= 150, (control, blocked)
