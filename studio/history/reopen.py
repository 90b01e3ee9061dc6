"""Reopening a history item in its panel, with its settings restored.

Files go through :mod:`studio.open_files` where a panel reads them (a PNG brings back its
recipe, a MIDI file becomes melody A, a WAV/FLAC clip goes to the player). What the file
does not hold, or a file that is gone, is restored from the item's recipe: an image's
parameters, a melody's notes, a reply's prompt, a clip's script and voice.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices

from engines.errors import BadInput
from engines.history import HistoryItem

if TYPE_CHECKING:
    from studio.main_window import MainWindow

PANEL_OF_KIND = {
    "image": "image",
    "walk": "image",
    "text": "text",
    "melody": "music",
    "speech": "speech",
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("HistoryReopen", text)


def _present(item: HistoryItem, *suffixes: str) -> Path | None:
    """The first of the item's files that is on disk (with one of ``suffixes``)."""
    for f in item.files:
        if f not in item.missing and f.exists() and (not suffixes or f.suffix.lower() in suffixes):
            return f
    return None


def reopen(window: MainWindow, item: HistoryItem) -> str:
    """Show ``item`` in its panel with its settings; returns the line to show. Raises
    ``SozoError`` (a readable line) when it cannot be reopened."""
    panel_name = PANEL_OF_KIND.get(item.kind)
    if panel_name is None:
        raise BadInput(_tr("This kind of item cannot be reopened: {0}.").format(item.kind))
    panel: Any = window.panels[panel_name]
    opener = {
        "image": _image,
        "walk": _walk,
        "text": _text,
        "melody": _melody,
        "speech": _speech,
    }[item.kind]
    line = opener(window, panel, item)
    window.show_panel(panel_name)
    return line


def _image(window: MainWindow, panel: Any, item: HistoryItem) -> str:
    from engines.imagefile import Recipe
    from studio.open_files import open_file

    path = _present(item)
    if path is not None:
        return open_file(window, path)
    parameters = item.recipe.get("parameters")
    if not isinstance(parameters, str):
        raise BadInput(_tr("The picture is missing and its recipe was not recorded."))
    notices = panel.controls.apply_recipe(
        Recipe.from_parameters(parameters), window.context.settings.recent_loras
    )
    panel.tabs.setCurrentIndex(0)
    line = _tr("The picture is missing: its settings were restored, to make it again.")
    panel.show_message(" ".join([line, *notices]))
    return line


def _walk(window: MainWindow, panel: Any, item: HistoryItem) -> str:
    path = _present(item)
    if path is None:
        raise BadInput(_tr("The walk's file is missing: relink it or remove the item."))
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    return _tr("Opened {0} in the system's viewer.").format(path.name)


def _text(window: MainWindow, panel: Any, item: HistoryItem) -> str:
    path = _present(item, ".json")
    if path is not None:
        panel.open_conversation(path)
        return _tr("Opened the conversation of this reply.")
    # The conversation file is gone: its prompt and settings come back, to ask again.
    panel.state.prompt = item.prompt
    recipe = item.recipe
    for name in ("temperature", "top_p", "top_k", "repetition_penalty", "max_new_tokens"):
        value = recipe.get(name)
        if isinstance(value, int | float):
            setattr(panel.state, name, type(getattr(panel.state, name))(value))
    if item.seed is not None:
        panel.state.seed = int(item.seed)
    return _tr("The conversation file is missing: its prompt and settings were restored.")


def _melody(window: MainWindow, panel: Any, item: HistoryItem) -> str:
    import numpy as np

    from studio.open_files import open_file

    path = _present(item, ".mid", ".midi")
    if path is not None:
        return open_file(window, path)
    tokens = item.recipe.get("tokens")
    if not isinstance(tokens, list) or not tokens:
        raise BadInput(_tr("This melody's notes were not recorded."))
    tempo = item.recipe.get("tempo_bpm")
    if isinstance(tempo, int | float):
        panel.state.tempo = round(tempo)
    line = _tr("Restored the melody from the history.")
    panel.set_melody(np.asarray(tokens, dtype=np.int64), line)
    return line


def _speech(window: MainWindow, panel: Any, item: HistoryItem) -> str:
    state = panel.state
    if item.body:
        state.text = item.body
    recipe = item.recipe
    voice = recipe.get("voice_id")
    if isinstance(voice, str) and voice:
        state.voice_id = voice
    speed = recipe.get("speed")
    state.speed = float(speed) if isinstance(speed, int | float) else 1.0
    for name in ("noise_scale", "noise_w"):
        value = recipe.get(name)
        if isinstance(value, int | float):
            setattr(state, name, float(value))
    path = _present(item, ".wav", ".flac")
    if path is not None:
        panel.open_audio(path)
        return _tr("Opened {0} with its script and voice.").format(path.name)
    return _tr("Restored the script and voice; speak it to hear it again.")
