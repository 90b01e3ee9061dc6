"""Mask strokes over a layered 1024x1024 photo (#15): the time per stroke segment (one
mouse move and the repaint it asks for) on the Edit tab's canvas in the real panel,
offscreen, with the photo alone and with two result layers stacked over it.

    .venv/bin/python tests/bench/bench_layer_strokes.py [--strokes 60] [--brush 40]

Side by side, medians over every segment:

* "region": what the canvas does: a segment repaints the brush's neighbourhood only,
  over the flattened stack made once when the layers last changed;
* "whole canvas": the same segment followed by a repaint of the whole widget (what a
  canvas that re-renders everything per mouse move would pay);
* "re-flatten": the same segment with the layers flattened again first (what drawing
  flatten() afresh per move would pay).

The ratios are against "region". Aim: a segment well under 16 ms (one frame at 60 Hz).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

SIDE = 1024
MOVES = 10  # mouse moves per stroke
STEP = 12.0  # screen pixels per move


def _picture(seed: int) -> object:
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (SIDE, SIDE, 3), dtype=np.uint8), "RGB")


def run(strokes: int, brush: float, layers: int) -> dict[str, float]:
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    from studio.app import create_main_window
    from studio.panels.image import ImagePanel

    app = QApplication.instance() or QApplication([])
    window = create_main_window(probe_device=False)
    window.resize(1600, 1200)
    window.show_panel("image")
    window.show()
    panel = window.panels["image"]
    assert isinstance(panel, ImagePanel)
    panel.tabs.setCurrentIndex(1)
    canvas = panel.canvas
    app.processEvents()
    canvas.set_image(_picture(0), "photo.png")  # type: ignore[arg-type]
    for n in range(layers):
        canvas.take_result(_picture(n + 1), f"result-{n}.png")  # type: ignore[arg-type]
        canvas.stack.set_opacity(n, 60)
    assert len(canvas.stack.layers) == layers
    canvas.fit()
    canvas.brush_size = brush
    app.processEvents()
    canvas.repaint()  # the flattened stack is made here, once
    rect = canvas.picture_rect()
    rng = random.Random(0)
    held = Qt.MouseButton.LeftButton

    def send(kind: QEvent.Type, at: QPointF, buttons: Qt.MouseButton, extra: str) -> float:
        button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else held
        event = QMouseEvent(
            kind, at, canvas.mapToGlobal(at), button, buttons, Qt.KeyboardModifier.NoModifier
        )
        start = time.perf_counter()
        if extra == "re-flatten" and canvas.stack.layers:
            canvas._composite = None  # as if flatten() ran again for this move
        QApplication.sendEvent(canvas, event)
        if extra == "whole canvas":
            canvas.update()
        app.processEvents()  # the repaint the event asked for
        return (time.perf_counter() - start) * 1000

    figures: dict[str, float] = {"zoom": canvas.view.zoom}
    for mode in ("region", "whole canvas", "re-flatten"):
        segments: list[float] = []
        for _ in range(strokes):
            x = rng.uniform(rect.left() + 20, rect.right() - 20 - MOVES * STEP)
            y = rng.uniform(rect.top() + 20, rect.bottom() - 20)
            at = QPointF(x, y)
            send(QEvent.Type.MouseButtonPress, at, held, "")
            for i in range(MOVES):
                at = QPointF(x + STEP * (i + 1), y + 3 * ((i % 3) - 1))
                segments.append(send(QEvent.Type.MouseMove, at, held, mode))
            send(QEvent.Type.MouseButtonRelease, at, Qt.MouseButton.NoButton, "")
        figures[mode] = statistics.median(segments)
    window.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strokes", type=int, default=60)
    parser.add_argument("--brush", type=float, default=40.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:  # fresh settings and gallery
        os.environ["SOZO_CONFIG_DIR"] = tmp
        os.environ["SOZO_OUTPUT_DIR"] = str(Path(tmp) / "out")
        print(f"{SIDE}x{SIDE} photo, brush {args.brush:.0f} px, median ms per stroke segment")
        for layers in (0, 2):
            f = run(args.strokes, args.brush, layers)
            region = f["region"]
            print(
                f"  {layers} result layer(s), zoom {f['zoom']:.3f}: region {region:.2f} ms | "
                f"whole canvas {f['whole canvas']:.2f} ms "
                f"(x{f['whole canvas'] / region:.1f}) | re-flatten {f['re-flatten']:.2f} ms "
                f"(x{f['re-flatten'] / region:.1f})"
            )


if __name__ == "__main__":
    main()
