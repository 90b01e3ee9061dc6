"""``sozo models`` (the list; its actions are in :mod:`studio.cli.hub`), ``sozo device``
and ``sozo screenshot``."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from engines.errors import BadInput
from studio.cli.i18n import say, translate

PANELS = ("text", "image", "music", "speech")


def register(sub: Any) -> None:
    models = sub.add_parser("models", help="list the model catalogue")
    models.add_argument("--task", choices=PANELS, help="only models for this task")
    models.add_argument("--json", action="store_true", help="machine-readable output")
    models.set_defaults(handler=cmd_models)
    from studio.cli import hub

    hub.register(models)

    device = sub.add_parser("device", help="show the compute device engines would use")
    device.set_defaults(handler=cmd_device)

    shot = sub.add_parser(
        "screenshot", help="render the main window offscreen to a PNG (needs no display)"
    )
    shot.add_argument("output", type=Path, help="the PNG file to write")
    shot.add_argument("--panel", choices=PANELS, default="text")
    shot.add_argument("--size", default="1280x800", help="window size as WIDTHxHEIGHT")
    from studio.cli import add_overwrite

    add_overwrite(shot)
    shot.set_defaults(handler=cmd_screenshot)


def cmd_models(args: argparse.Namespace) -> int:
    from engines.catalogue import Catalogue, format_size

    catalogue = Catalogue()
    for notice in catalogue.notices:
        print(translate("Cli", "sozo: note: {notice}").format(notice=say(notice)), file=sys.stderr)
    entries = catalogue.all()
    if args.task:
        entries = [e for e in entries if e.task.value == args.task]
    rows: list[dict[str, Any]] = []
    for e in entries:
        state = e.availability()
        rows.append(
            {
                "id": e.id,
                "name": e.name,
                "task": e.task.value,
                "family": e.family,
                "licence": e.licence,
                "source": e.source.value,
                "available": state.available,
                "size_bytes": state.size_bytes,
                "engine_ready": e.engine_ready,
                "message": state.message,
            }
        )
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    available, missing = translate("Cli", "available"), translate("Cli", "MISSING")
    for r, e in zip(rows, entries, strict=True):
        status = available if r["available"] else missing
        size = format_size(r["size_bytes"]) if r["available"] else "-"
        engine = "" if r["engine_ready"] else translate("Cli", " (engine not built yet)")
        print(
            f"{r['id']:<24} {r['task']:<7} {r['family']:<18} {status:<9} {size:>9}  "
            f"{r['licence']}{engine}"
        )
        if not r["available"]:
            print(f"{'':<24} {say(e.availability().message)}")
    return 0


def cmd_device(args: argparse.Namespace) -> int:
    from engines import device

    choice = device.current()
    print(say(choice.summary()))
    for line in (choice.reason, choice.threads_reason, choice.onnx_reason, *choice.warnings):
        print(f"  {say(line)}")
    return 0


def parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise BadInput(
            translate("Cli", "--size must look like 1280x800, not {text}").format(text=repr(text))
        ) from None
    if not (320 <= w <= 7680 and 240 <= h <= 4320):
        raise BadInput(
            translate("Cli", "--size {text} is out of range (320x240 to 7680x4320)").format(
                text=text
            )
        )
    return w, h


def cmd_screenshot(args: argparse.Namespace) -> int:
    width, height = parse_size(args.size)
    out: Path = args.output
    if out.suffix.lower() != ".png":
        raise BadInput(
            translate(
                "Cli", "the screenshot is a PNG: give a file name ending in .png, not {out}"
            ).format(out=out)
        )
    from engines.safe_write import check_output

    check_output(out, overwrite=args.overwrite)
    os.environ["QT_QPA_PLATFORM"] = "offscreen"

    from PySide6.QtCore import QBuffer, QByteArray, QElapsedTimer, QIODevice
    from PySide6.QtWidgets import QApplication

    from engines import paths
    from studio.app import create_main_window, ensure_application

    app: QApplication = ensure_application()
    # Work on a copy of the user's settings so a screenshot never changes them.
    with tempfile.TemporaryDirectory() as tmp:
        settings_file = Path(tmp) / "settings.ini"
        user_file = paths.config_dir() / "settings.ini"
        if user_file.exists():
            shutil.copy(user_file, settings_file)
        window = create_main_window(settings_file=settings_file)
        window.show_panel(args.panel)
        window.resize(width, height)
        window.show()
        clock = QElapsedTimer()
        clock.start()
        device = window.context.device
        # Wait for the device probe so that the status bar shows the real device.
        while clock.elapsed() < 120_000:
            app.processEvents()
            job = device.probe_job
            if job is not None and job.state.is_final:
                break
            window.context.runner.wait_for_done(20)
        for _ in range(5):
            app.processEvents()
        image = window.grab()
        png = QByteArray()
        buffer = QBuffer(png)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        encoded = image.save(buffer, "PNG")
        window.close()
    if not encoded:
        raise BadInput(
            translate("Cli", "could not encode the screenshot for {out}").format(out=out)
        )
    from engines.safe_write import write_bytes

    write_bytes(out, bytes(png.data()), overwrite=args.overwrite)
    print(out)
    return 0
