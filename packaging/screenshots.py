"""Screenshots of the four panels in Japanese, for the README: ``python packaging/screenshots.py``.

The window opens offscreen in Japanese with the shipped font (assets/fonts), in a
throw-away configuration folder, so the user's settings, history and outputs are never
touched. Each panel is shown with real work done by the shipped models: a generated
emoji, a sampled melody, a chat reply of the bundled text model, a spoken script. The
PNGs go to ``docs/screenshots/ja-<panel>.png`` (docs/ is not shipped).

    python packaging/screenshots.py [--out docs/screenshots] [--size 1280x800]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PANELS = ("text", "image", "music", "speech")


def settle(app: object, window: object, done: Callable[[], bool], timeout_s: float) -> bool:
    """Process events until ``done()`` (True) or ``timeout_s`` passes (False)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        app.processEvents()  # type: ignore[attr-defined]
        if done():
            for _ in range(10):  # the last repaints after the job's signals
                app.processEvents()  # type: ignore[attr-defined]
                time.sleep(0.02)
            return True
        window.context.runner.wait_for_done(50)  # type: ignore[attr-defined]
    return False


def idle(window: object, panel: object) -> Callable[[], bool]:
    def check() -> bool:
        job = getattr(panel, "job", None)
        running = window.context.runner.active_jobs()  # type: ignore[attr-defined]
        return (job is None or job.state.is_final) and not running

    return check


def stage_text(app: object, window: object, panel: object) -> None:
    # The bundled model (SmolLM2 135M) writes English well and Japanese poorly: the
    # screenshot asks it in English, as a user of that model would.
    panel.max_tokens.setValue(48)  # type: ignore[attr-defined]
    panel.seed.setValue(7)  # type: ignore[attr-defined]
    panel.prompt.setPlainText("Write a haiku about the sea.")  # type: ignore[attr-defined]
    panel.generate()  # type: ignore[attr-defined]
    settle(app, window, idle(window, panel), 300)


def stage_image(app: object, window: object, panel: object) -> None:
    panel.controls.prompt.setPlainText("赤いハート")  # type: ignore[attr-defined]
    panel.generate()  # type: ignore[attr-defined]
    settle(app, window, idle(window, panel), 300)


def stage_music(app: object, window: object, panel: object) -> None:
    panel.generate()  # type: ignore[attr-defined]
    settle(app, window, idle(window, panel), 300)


def stage_speech(app: object, window: object, panel: object) -> None:
    # The voice's preload (started when the panel is shown) first, so that its "ready"
    # line does not replace the clip's own.
    settle(app, window, idle(window, panel), 300)
    panel.generate()  # type: ignore[attr-defined]
    settle(app, window, idle(window, panel), 300)


STAGES = {"text": stage_text, "image": stage_image, "music": stage_music, "speech": stage_speech}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Japanese screenshots of the four panels.")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--size", default="1280x860", help="window size, WIDTHxHEIGHT")
    parser.add_argument("--panels", nargs="*", default=list(PANELS), choices=PANELS)
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.lower().split("x"))

    home = Path(tempfile.mkdtemp(prefix="sozo-screenshots-"))
    for name in ("CONFIG", "CACHE", "DATA", "OUTPUT"):
        os.environ[f"SOZO_{name}_DIR"] = str(home / name.lower())
    os.environ["SOZO_LOG_FILE"] = str(home / "sozo.log")
    os.environ.setdefault("SOZO_ASSETS_DIR", str(ROOT / "assets"))
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    sys.path.insert(0, str(ROOT))

    from studio.app import create_main_window, ensure_application

    app = ensure_application()
    window = create_main_window(probe_device=True, language="ja")
    window.resize(width, height)
    window.show()
    device = window.context.device
    settle(app, window, lambda: device.probe_job is None or device.probe_job.state.is_final, 120)
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.panels:
        window.show_panel(name)
        settle(app, window, lambda: True, 1)
        panel = window.panels[name]
        window.context.runner.clear_finished()  # the queue shows this panel's work only
        STAGES[name](app, window, panel)
        path = args.out / f"ja-{name}.png"
        image = window.grab().toImage()
        if not image.save(str(path), "PNG", 9):  # type: ignore[call-arg]
            print(f"could not write {path}", file=sys.stderr)
            return 1
        print(f"{path}  {path.stat().st_size // 1024} KB")
    window.context.runner.shutdown(10_000)
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
