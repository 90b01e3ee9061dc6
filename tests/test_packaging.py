"""The desktop entry and icon set installers will use, and the app icon."""

from __future__ import annotations

import configparser
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent


def test_desktop_entry_is_complete_and_names_the_installed_commands() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(ROOT / "packaging/linux/sozo-studio.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Name"] == "Sōzō Studio"
    assert section["Icon"] == "sozo-studio"
    assert section["Exec"].split()[0] == "sozo-studio"
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'sozo-studio = "studio.app:main"' in pyproject  # the Exec command exists


def test_icon_theme_has_every_size_as_a_real_png() -> None:
    theme = ROOT / "packaging/linux/icons/hicolor"
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        with Image.open(theme / f"{size}x{size}/apps/sozo-studio.png") as image:
            assert image.size == (size, size)
            assert image.mode == "RGBA"
            assert image.getextrema()[3][0] == 0  # transparent corners
    assert (theme / "scalable/apps/sozo-studio.svg").read_bytes() == (
        ROOT / "assets/icons/sozo-studio.svg"
    ).read_bytes()
