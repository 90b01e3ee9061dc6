"""Files opened from the desktop (``sozo-studio FILE...``, the desktop entry's ``%F``, or a
second launch handing its files over): each goes to the panel that reads it.

- a picture (PNG, JPEG, WebP...): Image; a PNG with a recipe restores its settings, any
  other picture becomes the picture to edit (:meth:`ImagePanel.open_file`);
- a MIDI file: Music, as melody A (:meth:`MusicPanel.load_midi_into`, as a drop does);
  a recipe in it restores the Music panel's settings;
- an audio file (WAV, FLAC, OGG, MP3): an exported melody (one whose recipe,
  :mod:`engines.recipes`, is music's) restores the Music panel's settings; any other
  goes to Speech's player (:meth:`SpeechPanel.open_audio`), and a clip's recipe restores
  its script, voice and settings.

The kind is told by the file's first bytes, so a misnamed file still goes where it can be
read, and anything else gets one readable line instead of an exception.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from engines.errors import BadInput, SozoError
from studio.i18n import fill
from studio.i18n.engine_text import render

translate = QCoreApplication.translate

if TYPE_CHECKING:
    from studio.main_window import MainWindow

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".tif", ".tiff"}


class FileKind(enum.Enum):
    """Where an opened file belongs."""

    image = "image"
    midi = "midi"
    audio = "audio"


def _sniff(head: bytes) -> FileKind | None:
    if head.startswith(b"MThd"):
        return FileKind.midi
    if head.startswith(b"fLaC") or (head[:4] == b"RIFF" and head[8:12] == b"WAVE"):
        return FileKind.audio
    if head[:4] == b"RF64" and head[8:12] == b"WAVE":
        return FileKind.audio
    if head.startswith((b"OggS", b"ID3")) or (
        len(head) > 1 and head[0] == 0xFF and head[1] >= 0xE0
    ):
        return FileKind.audio  # Ogg, MP3 with an ID3v2 tag, or bare MPEG audio frames
    images = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM", b"II*\0")
    if head.startswith(images) or head.startswith(b"MM\0*"):
        return FileKind.image
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FileKind.image
    return None


def file_kind(path: Path) -> FileKind:
    """The kind of ``path`` from its first bytes; ``BadInput`` (one line) when it is missing,
    unreadable or of no kind the studio opens."""
    name = path.name or str(path)
    if path.is_dir():
        raise BadInput(
            translate(
                "OpenFiles", "%1 is a folder: open a picture, a MIDI file or a WAV/FLAC file."
            ).replace("%1", name)
        )
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except FileNotFoundError:
        raise BadInput(translate("OpenFiles", "%1 does not exist.").replace("%1", name)) from None
    except OSError as exc:
        raise BadInput(
            fill(translate("OpenFiles", "%1 cannot be read: %2."), name, str(exc.strerror or exc))
        ) from None
    kind = _sniff(head)
    if kind is None:
        raise BadInput(
            translate(
                "OpenFiles",
                "%1: not a file the studio opens (a picture, a MIDI file, or WAV/FLAC audio).",
            ).replace("%1", name)
        )
    return kind


PANEL_OF = {FileKind.image: "image", FileKind.midi: "music", FileKind.audio: "speech"}


def open_file(window: MainWindow, path: Path) -> str:
    """Open one file in its panel and show that panel; returns the line to show. Raises
    ``SozoError`` with a readable line when the file cannot be opened."""
    kind = file_kind(path)
    panel_name = PANEL_OF[kind]
    if kind is FileKind.audio:
        from engines.recipes import MusicRecipe
        from studio.panels.recipe_drop import read_recipe_quietly

        recipe = read_recipe_quietly(path)
        if isinstance(recipe, MusicRecipe):
            music = window.panels["music"]
            music.apply_recipe(recipe, path.name)  # type: ignore[attr-defined]
            window.show_panel("music")
            return fill(translate("OpenFiles", "Opened %1 in %2."), path.name, music.title)
    panel = window.panels[panel_name]
    if kind is FileKind.image:
        panel.open_file(path)  # type: ignore[attr-defined]
    elif kind is FileKind.midi:
        from engines.music.data import read_midi

        # Read here first, so a bad file gives the status line (the panel's drop handler
        # reports into its own label); a MIDI file is small, so the second read is cheap.
        read_midi(path)
        panel.load_midi_into(panel.slot_a, path)  # type: ignore[attr-defined]
    else:
        panel.open_audio(path)  # type: ignore[attr-defined]
    window.show_panel(panel_name)
    return fill(translate("OpenFiles", "Opened %1 in %2."), path.name, panel.title)


def open_files(window: MainWindow, paths: Sequence[str | Path]) -> str:
    """Open each file in its panel. Returns the one line also shown in the status bar: what
    was opened, or the first failure (with how many others opened). Never raises."""
    opened: list[str] = []
    failures: list[str] = []
    for each in paths:
        path = Path(each)
        try:
            opened.append(open_file(window, path))
        except SozoError as exc:
            failures.append(str(exc))
        except Exception as exc:  # a strange file must never take the window down
            log.exception("opening %s", path)
            failures.append(f"{path.name}: {render(exc)}")
    if failures:
        line = (
            failures[0]
            if len(failures) == 1
            else fill(
                translate("OpenFiles", "%1 (and %2 more)"), failures[0], str(len(failures) - 1)
            )
        )
        if opened:
            line = fill(
                translate("OpenFiles", "%1 Opened %2 other file(s)."), line, str(len(opened))
            )
    elif len(opened) == 1:
        line = opened[0]
    else:
        line = (
            translate("OpenFiles", "Opened %1 files.").replace("%1", str(len(opened)))
            if opened
            else ""
        )
    line = " ".join(line.split())
    log.info("opened %d of %d file(s): %s", len(opened), len(opened) + len(failures), line)
    if line:
        window.statusBar().showMessage(line, 15_000)
    return line
