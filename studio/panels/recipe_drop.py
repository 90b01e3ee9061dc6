"""Files dropped on the Music and Speech panels that may carry a recipe
(:mod:`engines.recipes`): exported audio and MIDI files."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from engines.recipes import MediaRecipe, read_recipe

log = logging.getLogger(__name__)

RECIPE_SUFFIXES = (".wav", ".flac", ".ogg", ".opus", ".mp3", ".mid", ".midi")


def dropped_recipe_files(event: Any) -> list[Path]:
    """The local audio and MIDI files of a drag or drop event."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [
        Path(u.toLocalFile())
        for u in mime.urls()
        if u.isLocalFile() and u.toLocalFile().lower().endswith(RECIPE_SUFFIXES)
    ]


def read_recipe_quietly(path: Path) -> MediaRecipe | None:
    """The file's recipe, or None: one that cannot be read has none."""
    try:
        return read_recipe(path)
    except OSError:
        return None
    except Exception:  # a strange file never takes the window down
        log.exception("reading the recipe of %s", path)
        return None
