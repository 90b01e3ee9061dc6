"""Render the app icon (assets/icons/sozo-studio.svg) to the PNG sizes the app and the
freedesktop icon theme use. Run after changing the SVG: python packaging/make_icons.py"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "assets" / "icons" / "sozo-studio.svg"
APP_SIZES = (16, 32, 48, 64, 128, 256)
THEME_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(renderer: QSvgRenderer, size: int, out: Path) -> None:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out)):
        raise SystemExit(f"could not write {out}")


def main() -> None:
    _app = QGuiApplication([])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG} is not a valid SVG")
    for size in APP_SIZES:
        render(renderer, size, ROOT / "assets" / "icons" / f"sozo-studio-{size}.png")
    theme = ROOT / "packaging" / "linux" / "icons" / "hicolor"
    for size in THEME_SIZES:
        render(renderer, size, theme / f"{size}x{size}" / "apps" / "sozo-studio.png")
    scalable = theme / "scalable" / "apps" / "sozo-studio.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(SVG, scalable)
    print("icons written")


if __name__ == "__main__":
    main()
