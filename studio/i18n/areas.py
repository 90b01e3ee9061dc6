"""Which source files each translation area holds (globs relative to the repository root).

Each area has one ``sozo_<area>_<language>.ts`` source and its compiled ``.qm`` in this
folder, loaded as one QTranslator each (studio.i18n.install_translators). ``core`` is
everything in ``studio/`` that no other area lists.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
HERE = Path(__file__).resolve().parent

TRANSLATED_LANGUAGES = ("ja",)  # English is the source language: it needs no file

AREA_GLOBS: dict[str, tuple[str, ...]] = {
    "image": (
        "studio/panels/image*.py",
        "studio/widgets/image_canvas.py",
        "studio/widgets/canvas/*.py",
        "studio/widgets/gallery.py",
        "studio/widgets/latent_pad.py",
        "studio/widgets/direction_sliders.py",
        "studio/widgets/live_decoder.py",
    ),
    "music": (
        "studio/panels/music*.py",
        "studio/widgets/piano_roll.py",
        "studio/widgets/melody_slot.py",
    ),
    # The command line (its help and output) and the API server's log lines.
    "cli": ("studio/cli/*.py", "studio/server/*.py"),
}
AREAS = ("core", *AREA_GLOBS)


def area_files(area: str, root: Path = ROOT) -> list[Path]:
    """The source files of ``area``, sorted. ``core``: every studio module not in another."""
    if area != "core":
        return sorted({p for pattern in AREA_GLOBS[area] for p in root.glob(pattern)})
    taken = {p for other in AREA_GLOBS for p in area_files(other, root)}
    return sorted(p for p in (root / "studio").rglob("*.py") if p not in taken)


def ts_file(area: str, language: str) -> Path:
    return HERE / f"sozo_{area}_{language}.ts"


def qm_file(area: str, language: str) -> Path:
    return HERE / f"sozo_{area}_{language}.qm"
