"""The four panels. Each module defines one ``*Panel`` class; the window shows them in
this order."""

from __future__ import annotations

from studio.panels.image import ImagePanel
from studio.panels.music import MusicPanel
from studio.panels.speech import SpeechPanel
from studio.panels.text import TextPanel

PANEL_CLASSES = (TextPanel, ImagePanel, MusicPanel, SpeechPanel)

__all__ = ["PANEL_CLASSES", "ImagePanel", "MusicPanel", "SpeechPanel", "TextPanel"]
