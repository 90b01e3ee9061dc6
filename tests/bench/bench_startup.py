"""Cold start to first painted window, and idle RSS: the studio against a bare PySide6
window (the reference: the least any Qt app can do), side by side, median of 5.

    .venv/bin/python tests/bench/bench_startup.py [--runs 5]

Targets on the 2-core machine: first paint in 1.5 s or less, idle RSS 250 MB or less.
"Cold" means a new process each time; the OS file cache is warm after the first run.
Idle RSS is read 5 s after the first paint, once the device probe (a child process)
has finished.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BARE_WINDOW = """
import sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
class First(QObject):
    done = False
    def eventFilter(self, obj, event):
        if not self.done and event.type() == QEvent.Type.Paint:
            self.done = True
            print(f"first-paint {time.time():.6f}", flush=True)
        return False
app = QApplication(sys.argv)
f = First(); app.installEventFilter(f)
w = QMainWindow(); w.setCentralWidget(QLabel("reference")); w.resize(1280, 800); w.show()
app.exec()
"""


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="utf-8") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def measure(cmd: list[str], idle_s: float) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            SOZO_BENCH_FIRST_PAINT="1",
            SOZO_CONFIG_DIR=tmp,
            SOZO_LOG_FILE=str(Path(tmp) / "log"),
        )
        start = time.time()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                if line.startswith("first-paint"):
                    painted = float(line.split()[1])
                    break
            else:
                raise RuntimeError(f"{cmd} exited before painting")
            time.sleep(idle_s)
            rss = rss_mb(proc.pid)
        finally:
            proc.kill()
            proc.wait()
    return painted - start, rss


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--idle", type=float, default=5.0)
    args = parser.parse_args()
    studio = [sys.executable, "-m", "studio.app"]
    bare = [sys.executable, "-c", BARE_WINDOW]
    results: dict[str, list[tuple[float, float]]] = {"studio": [], "bare": []}
    for _ in range(args.runs):  # interleaved, so both see the same machine load
        results["studio"].append(measure(studio, args.idle))
        results["bare"].append(measure(bare, args.idle))
    med = {
        k: (statistics.median(p for p, _ in v), statistics.median(r for _, r in v))
        for k, v in results.items()
    }
    print(f"runs: {args.runs} each, interleaved; idle RSS read {args.idle:.0f} s after paint")
    for name, (paint, rss) in med.items():
        runs = ", ".join(f"{p:.2f}" for p, _ in results[name])
        print(
            f"{name:>7}: first paint median {paint:.2f} s (runs: {runs}); idle RSS median {rss:.0f} MB"
        )
    print(
        f"ratio studio/bare: first paint {med['studio'][0] / med['bare'][0]:.2f}x, "
        f"RSS {med['studio'][1] / med['bare'][1]:.2f}x"
    )
    print(
        f"against targets: first paint {med['studio'][0]:.2f} s / 1.5 s = "
        f"{med['studio'][0] / 1.5:.2f}; RSS {med['studio'][1]:.0f} MB / 250 MB = "
        f"{med['studio'][1] / 250:.2f}"
    )


if __name__ == "__main__":
    main()
