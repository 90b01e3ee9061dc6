"""Mask painting speed on a 6000x4000 photo: 200 brush strokes on the Edit tab's canvas in
the real panel (offscreen), the median time per stroke and per mouse move, and the memory
the undo steps hold.

    .venv/bin/python tests/bench/bench_canvas_strokes.py [--strokes 200] [--brush 60 250]

A stroke is a press, ten mouse moves of 12 screen pixels (a hand's quick stroke at 60
events a second) and a release, at the fitted zoom (about 1/5 on a 1200x800 canvas). Each
event is followed by the repaint it asks for (processEvents), and the release runs what the
panel runs on a new mask (its state binding). Aim: a mouse move under 16 ms (one frame at
60 Hz) at typical brush sizes. The whole stroke (press, ten moves, release: the GUI
thread's work for about 160 ms of hand movement) is reported too, in wall time and in the
GUI thread's own CPU time (which other programs on a busy machine do not inflate).

Side by side with the old way: each figure is measured in fresh processes, alternately
for ``--before`` (a git revision: its ``studio`` and ``engines``, taken with git archive)
and for this tree, and the medians are printed with the old/new ratios. Where a 250 px
segment spends its time (cProfile, 400 moves): the repaint of the brush's neighbourhood
(drawImage of the picture level and the mask, about 40 %) and the stroke's undo tiles
(the first copy of each 32x32 tile touched, about a third); the stroke's end used to copy
the whole 24 MB mask for the panel's state, now handed a view of it (no copy).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
if "--child" not in sys.argv:  # a child imports the code it measures (its PYTHONPATH)
    sys.path.insert(0, str(ROOT))

WIDTH, HEIGHT = 6000, 4000
MOVES = 10  # mouse moves per stroke
STEP = 12.0  # screen pixels per move
# The old way: main before the stroke work of issue #15's h-sign2 branch, where each
# stroke's end handed the panel's state a 24 MB copy of the mask.
BEFORE = "8e939b0"


def _photo() -> object:
    """A synthetic 6000x4000 photo: smooth gradients with noise (no file: nothing to load)."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(0)
    ys, xs = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    rgb = np.empty((HEIGHT, WIDTH, 3), np.uint8)
    rgb[..., 0] = (xs / WIDTH * 255).astype(np.uint8)
    rgb[..., 1] = (ys / HEIGHT * 255).astype(np.uint8)
    rgb[..., 2] = rng.integers(60, 120, (HEIGHT, WIDTH), dtype=np.uint8)
    return Image.fromarray(rgb, "RGB")


def run(strokes: int, brush: float) -> dict[str, float]:
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
    canvas.resize(1200, 800)
    app.processEvents()
    canvas.set_image(_photo(), "photo.png")  # type: ignore[arg-type]
    canvas.fit()
    canvas.brush_size = brush
    app.processEvents()
    rect = canvas.picture_rect()
    rng = random.Random(0)

    def send(kind: QEvent.Type, at: QPointF, buttons: Qt.MouseButton) -> float:
        button = (
            Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
        )
        event = QMouseEvent(
            kind, at, canvas.mapToGlobal(at), button, buttons, Qt.KeyboardModifier.NoModifier
        )
        start, cpu = time.perf_counter(), time.thread_time()
        QApplication.sendEvent(canvas, event)
        app.processEvents()  # the repaint the event asked for
        cpu_ms.append((time.thread_time() - cpu) * 1000)
        return (time.perf_counter() - start) * 1000

    stroke_ms, move_ms, press_ms, release_ms = [], [], [], []
    move_cpu_ms, release_cpu_ms = [], []
    cpu_ms: list[float] = []  # the GUI thread's own CPU time per event (robust to load)
    stroke_cpu_ms: list[float] = []
    held = Qt.MouseButton.LeftButton
    for _ in range(strokes):
        x = rng.uniform(rect.left() + 20, rect.right() - 20 - MOVES * STEP)
        y = rng.uniform(rect.top() + 20, rect.bottom() - 20)
        at = QPointF(x, y)
        total = send(QEvent.Type.MouseButtonPress, at, held)
        press_ms.append(total)
        for i in range(MOVES):
            at = QPointF(x + STEP * (i + 1), y + 3 * ((i % 3) - 1))
            ms = send(QEvent.Type.MouseMove, at, held)
            move_ms.append(ms)
            move_cpu_ms.append(cpu_ms[-1])
            total += ms
        release_ms.append(send(QEvent.Type.MouseButtonRelease, at, Qt.MouseButton.NoButton))
        release_cpu_ms.append(cpu_ms[-1])
        stroke_ms.append(total + release_ms[-1])
        stroke_cpu_ms.append(sum(cpu_ms[-(MOVES + 2) :]))
    repaint_ms = []
    for _ in range(20):  # the whole canvas, as after a zoom or pan, mask shown
        start = time.perf_counter()
        canvas.repaint()
        repaint_ms.append((time.perf_counter() - start) * 1000)
    layer = canvas.mask_layer
    figures = {
        "repaint_median_ms": statistics.median(repaint_ms),
        "zoom": canvas.view.zoom,
        "stroke_median_ms": statistics.median(stroke_ms),
        "stroke_max_ms": max(stroke_ms),
        "stroke_cpu_median_ms": statistics.median(stroke_cpu_ms),
        "move_median_ms": statistics.median(move_ms),
        "move_p95_ms": sorted(move_ms)[int(0.95 * len(move_ms))],
        "move_cpu_median_ms": statistics.median(move_cpu_ms),
        "move_cpu_p95_ms": sorted(move_cpu_ms)[int(0.95 * len(move_cpu_ms))],
        "release_cpu_median_ms": statistics.median(release_cpu_ms),
        "press_median_ms": statistics.median(press_ms),
        "release_median_ms": statistics.median(release_ms),
        "undo_steps": len(layer.undo_steps),
        "undo_mb": layer.undo_bytes / 1e6,
        "mask_mb": WIDTH * HEIGHT / 1e6,
    }
    window.close()
    return figures


def _child(code: Path, strokes: int, brush: float) -> dict[str, float]:
    """:func:`run` in a fresh process importing ``studio`` and ``engines`` from ``code``."""
    env = {**os.environ, "PYTHONPATH": str(code), "SOZO_ASSETS_DIR": str(ROOT / "assets")}
    env.setdefault("OMP_NUM_THREADS", "1")
    command = [sys.executable, __file__, "--child", str(code)]
    command += ["--strokes", str(strokes), "--brush", str(brush)]
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    figures: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return figures


def _line(name: str, f: dict[str, float]) -> str:
    return (
        f"  {name:<7} mouse move median {f['move_median_ms']:6.2f} ms wall "
        f"(p95 {f['move_p95_ms']:6.2f}), GUI CPU median {f['move_cpu_median_ms']:5.2f} "
        f"(p95 {f['move_cpu_p95_ms']:5.2f}); release {f['release_median_ms']:6.2f} ms wall, "
        f"{f['release_cpu_median_ms']:5.2f} CPU; stroke {f['stroke_median_ms']:6.1f} ms wall, "
        f"{f['stroke_cpu_median_ms']:5.1f} CPU"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strokes", type=int, default=200)
    parser.add_argument("--brush", type=float, nargs="+", default=[60.0, 250.0])
    parser.add_argument(
        "--before",
        default=BEFORE,
        help="the git revision measured side by side as the old way (default: %(default)s)",
    )
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per side")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:  # fresh settings and gallery
        os.environ["SOZO_CONFIG_DIR"] = tmp
        os.environ["SOZO_OUTPUT_DIR"] = str(Path(tmp) / "out")
        if args.child is not None:
            print(json.dumps(run(args.strokes, args.brush[0])))
            return
        old = Path(tmp) / "before"
        old.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", args.before, "studio", "engines"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
        print(
            f"{WIDTH}x{HEIGHT} photo on a 1200x800 canvas at the fitted zoom, {args.strokes} "
            f"strokes of {MOVES} moves, medians of {args.runs} fresh processes per side "
            f"(run alternately); old: {args.before}, new: this tree"
        )
        for brush in args.brush:
            sides: dict[str, list[dict[str, float]]] = {"old": [], "new": []}
            for _ in range(args.runs):
                sides["old"].append(_child(old, args.strokes, brush))
                sides["new"].append(_child(ROOT, args.strokes, brush))
            med = {
                name: {key: statistics.median(r[key] for r in runs) for key in runs[0]}
                for name, runs in sides.items()
            }
            print(f"brush {brush:.0f} px at zoom {med['new']['zoom']:.3f}:")
            for name in ("old", "new"):
                print(_line(name, med[name]))
            o, n = med["old"], med["new"]
            print(
                "  old/new: move median x{:.2f}, move p95 x{:.2f}, move CPU x{:.2f}, "
                "release x{:.1f} (CPU x{:.1f}), stroke x{:.2f} (CPU x{:.2f}); undo "
                "{:.0f} steps hold {:.1f} MB (the mask itself: {:.0f} MB); a whole "
                "repaint {:.1f} ms".format(
                    o["move_median_ms"] / n["move_median_ms"],
                    o["move_p95_ms"] / n["move_p95_ms"],
                    o["move_cpu_median_ms"] / n["move_cpu_median_ms"],
                    o["release_median_ms"] / n["release_median_ms"],
                    o["release_cpu_median_ms"] / n["release_cpu_median_ms"],
                    o["stroke_median_ms"] / n["stroke_median_ms"],
                    o["stroke_cpu_median_ms"] / n["stroke_cpu_median_ms"],
                    n["undo_steps"],
                    n["undo_mb"],
                    n["mask_mb"],
                    n["repaint_median_ms"],
                )
            )


if __name__ == "__main__":
    main()
