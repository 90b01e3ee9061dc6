"""Latent slider speed: frames per second while the interpolation slider is dragged, and the
GUI thread's longest stall, with the embedded VAE and GAN, in the real panel (offscreen).

    .venv/bin/python tests/bench/bench_image_slider.py [--seconds 4] [--models emoji-vae emoji-dcgan]

Targets on the 2-core CPU machine: 30 frames per second or more; longest GUI stall 50 ms
or less. The "drag" moves the slider 120 times a second, back and forth, as a fast hand
does; frames are counted as they reach the screen.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def measure(model_id: str, seconds: float) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as tmp:  # a fresh gallery and settings each run
        os.environ["SOZO_CONFIG_DIR"] = tmp
        os.environ["SOZO_OUTPUT_DIR"] = str(Path(tmp) / "out")
        return _measure(model_id, seconds)


def _measure(model_id: str, seconds: float) -> tuple[float, float, int]:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from studio.app import create_main_window
    from studio.panels.image import ImagePanel

    app = QApplication.instance()
    window = create_main_window(probe_device=False)
    window.show_panel("image")
    window.show()
    panel = window.panels["image"]
    assert isinstance(panel, ImagePanel)
    index = panel.controls.model.findData(model_id)
    if index < 0:
        raise SystemExit(f"{model_id} is not in the catalogue")
    panel.controls.model.setCurrentIndex(index)

    def pump_until(condition, timeout: float = 120.0) -> None:
        end = time.monotonic() + timeout
        while not condition():
            app.processEvents()
            time.sleep(0.005)
            if time.monotonic() > end:
                raise SystemExit(f"timed out on {model_id}")

    panel.controls.batch.setValue(2)
    panel.controls.prompt.setPlainText("a red heart")
    panel.generate()
    pump_until(
        lambda: panel.job is not None and panel.job.state.is_final and panel.gallery.count() >= 2
    )
    panel.gallery.clearSelection()
    panel.gallery.item(0).setSelected(True)
    panel.gallery.item(1).setSelected(True)
    panel.start_interpolation()
    pump_until(lambda: panel.engine is not None)
    panel.start_interpolation()
    pump_until(lambda: not panel.decoder.busy)

    ticks: list[float] = []
    probe = QTimer()
    probe.setInterval(5)
    probe.timeout.connect(lambda: ticks.append(time.perf_counter()))
    position = [0, 25]

    def drag() -> None:
        value, step = position
        if not 0 <= value + step <= 1000:
            step = -step
        position[0], position[1] = value + step, step
        panel.slider.setValue(position[0])

    mover = QTimer()
    mover.setInterval(8)
    mover.timeout.connect(drag)
    panel.frames_shown = 0
    probe.start()
    panel.slider.setSliderDown(True)  # as while a hand holds it
    mover.start()
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        app.processEvents()
        time.sleep(0.001)
    mover.stop()
    panel.slider.setSliderDown(False)
    probe.stop()
    elapsed = time.perf_counter() - start
    frames = panel.frames_shown
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    stall_ms = (max(gaps) - 0.005) * 1000 if gaps else float("nan")
    window.close()
    return frames / elapsed, stall_ms, frames


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--models", nargs="+", default=["emoji-vae", "emoji-dcgan"])
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    _app = QApplication([])
    for model_id in args.models:
        runs = [measure(model_id, args.seconds) for _ in range(args.runs)]
        fps = statistics.median(r[0] for r in runs)
        stall = statistics.median(r[1] for r in runs)
        print(
            f"{model_id:>12}: {fps:5.1f} frames/s (target 30: ratio {fps / 30:.2f}), "
            f"longest GUI stall {stall:5.1f} ms (target 50: ratio {stall / 50:.2f}); "
            f"median of {args.runs} runs of {args.seconds:.0f} s"
        )


if __name__ == "__main__":
    main()
