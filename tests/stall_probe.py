"""One cold measurement of the GUI thread's stalls, in a fresh process (issue #21).

    python -m tests.stall_probe PANEL [--runs-for SECONDS]

PANEL is ``text``, ``image``, ``music``, ``speech`` (that panel's first use: the first
reply, picture, melody or sentence of a new process, so every import and model load is
cold), ``queue`` (30 small jobs queued at once) or ``control`` (the same window, idle, for
the same kind of time: what the machine's scheduler alone costs in this run) or
``startup`` (from the window showing until torch's background import, engines.native,
has ended: the start-up must not stall either) or ``blocked`` (the idle window whose GUI thread is busy for 200 ms once: the probe's own
check that it sees a stall). A 5 ms
QTimer on the GUI thread records when it ticks; the script prints one JSON line:
``{"panel", "ticks", "worst_ms", "p99_ms", "seconds", "state"}``, where a gap's stall is
its length minus the 5 ms interval.

A fresh process each time on purpose: a first use is only a first use once, and inside a
test run torch and the rest are long imported.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

INTERVAL_MS = 5
SETTLE_S = 1.5  # after the window shows: the start-up's own work is not a panel's first use
TAIL_S = 0.3  # after the job ends: its done callback runs on the GUI thread
BLOCKED_S = 0.2


def stalls_ms(ticks: list[float]) -> list[float]:
    """Each gap between ticks minus the timer's interval, in milliseconds."""
    return [max(0.0, (b - a) * 1000 - INTERVAL_MS) for a, b in itertools.pairwise(ticks)]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def _busy(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def _start(panel_name: str, window: Any) -> list[Any]:
    """Start the panel's first use; the jobs to wait for."""
    from engines.jobs import Job

    runner = window.context.runner
    if panel_name in ("control", "startup"):
        return []
    if panel_name == "blocked":  # the probe's own check: the GUI thread busy for 200 ms
        from PySide6.QtCore import QTimer

        QTimer.singleShot(500, window, lambda: _busy(BLOCKED_S))
        return []
    if panel_name == "queue":
        from tests.fakes import FakeEngine

        jobs = []
        for i in range(30):
            engine = FakeEngine(steps=10, step_seconds=0.01, burn_cpu=True)
            jobs.append(runner.submit(Job(f"queued #{i}", engine.generate, task="image")))
        return jobs
    window.show_panel(panel_name)
    panel = window.panels[panel_name]
    if panel_name == "text":
        panel.state.prompt = "Say hello."
        panel.state.max_new_tokens = 16
        panel.generate()
    elif panel_name == "image":
        box = panel.controls.model
        box.setCurrentIndex(box.findData("emoji-ldm"))
        panel.controls.steps.setValue(10)
        panel.generate()
    elif panel_name == "music":
        panel.generate()
    elif panel_name == "speech":
        panel.state.text = "The window never stalls."
        panel.generate()
    else:
        raise SystemExit(f"unknown panel {panel_name!r}")
    return [j for j in runner.jobs if not j.state.is_final]


def measure(panel_name: str, control_seconds: float) -> dict[str, Any]:
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from studio.app import create_main_window, ensure_application

    app = ensure_application([sys.argv[0]])
    window = create_main_window(probe_device=False)
    window.show()
    ticks: list[float] = []
    probe = QTimer()
    probe.setInterval(INTERVAL_MS)
    probe.timeout.connect(lambda: ticks.append(time.perf_counter()))

    def spin(seconds: float, until: Any = None) -> None:
        clock = QElapsedTimer()
        clock.start()
        while clock.elapsed() < seconds * 1000 and not (until and until()):
            app.processEvents()
            time.sleep(0.001)

    if panel_name != "startup":
        spin(SETTLE_S)
    probe.start()
    started = time.perf_counter()
    jobs = _start(panel_name, window)
    # The panel's job may start others (the Image panel loads its engine for exploring).
    if panel_name == "startup":  # from the window showing to torch's warm-up ended
        from engines import native

        spin(300, until=native.warmed)
    elif panel_name in ("control", "blocked"):
        spin(control_seconds)
    else:
        spin(300, until=lambda: all(j.state.is_final for j in window.context.runner.jobs))
    seconds = time.perf_counter() - started
    spin(TAIL_S)
    probe.stop()
    states = sorted({j.state.value for j in jobs}) or ["none"]
    if panel_name == "startup":  # its "job" is the warm-up itself
        from engines import native

        states = ["finished" if native.warmed() else "unfinished"]
    window.close()
    QApplication.processEvents()
    gaps = stalls_ms(ticks)
    return {
        "panel": panel_name,
        "ticks": len(ticks),
        "worst_ms": round(max(gaps, default=0.0), 1),
        "p99_ms": round(percentile(gaps, 0.99), 1),
        "seconds": round(seconds, 2),
        "state": ",".join(states),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "panel",
        choices=["text", "image", "music", "speech", "queue", "startup", "control", "blocked"],
    )
    parser.add_argument("--control-seconds", type=float, default=3.0)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("SOZO_CONFIG_DIR", tmp)
        os.environ.setdefault("SOZO_DATA_DIR", str(Path(tmp) / "data"))
        os.environ.setdefault("SOZO_LOG_FILE", str(Path(tmp) / "log"))
        os.environ.setdefault("SOZO_OUTPUT_DIR", str(Path(tmp) / "out"))
        result = measure(args.panel, args.control_seconds)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
