"""What the Music panel shows and generates from, with no widgets in it.

The panel binds its controls to this state (``studio.state.bind``) and its piano roll
follows ``melody``; jobs and exports are built from the state, never from widgets.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from engines.music.data import STEPS_PER_BAR, MidiPart
from engines.music.instruments import INSTRUMENT_NAMES
from studio.state import StateProperty

EXPORT_FORMATS = ("wav", "flac", "ogg", "mp3")
MODELS = "melody-vae-2bar+melody-transformer"


class MusicState(QObject):
    """The melody in the roll (tokens padded to whole bars), its render settings, and the
    tracks of the MIDI file it came from that play under it (``kept``)."""

    melody_changed = Signal(object)  # np.ndarray of tokens
    temperature_changed = Signal(float)
    instrument_changed = Signal(str)
    tempo_changed = Signal(int)  # BPM
    accompaniment_changed = Signal(bool)  # bass and chords under the melody
    bars_changed = Signal(int)  # how many bars Sample makes and Continue adds
    export_format_changed = Signal(str)

    melody: StateProperty[np.ndarray] = StateProperty(np.zeros(2 * STEPS_PER_BAR, np.int64))
    temperature: StateProperty[float] = StateProperty(0.9)
    instrument: StateProperty[str] = StateProperty(INSTRUMENT_NAMES[0])
    tempo: StateProperty[int] = StateProperty(110)
    accompaniment: StateProperty[bool] = StateProperty(False)
    bars: StateProperty[int] = StateProperty(8)
    export_format: StateProperty[str] = StateProperty(EXPORT_FORMATS[0])

    def __init__(self, seed: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.seed = seed  # the last seed used; each sampling takes the next one
        self.kept: tuple[MidiPart, ...] = ()

    def next_seed(self) -> int:
        self.seed += 1
        return self.seed

    def has_notes(self) -> bool:
        return bool((self.melody >= 2).any())  # tokens 0 and 1 are rest and hold

    def arrangement(self) -> Any:
        """What the renderer plays: the melody, its settings and the kept tracks."""
        from engines.music.render import Arrangement

        return Arrangement(
            self.melody.copy(),
            self.instrument,
            float(self.tempo),
            self.accompaniment,
            kept=self.kept,
        )

    def settings_comment(self) -> str:
        """The settings written into an exported file's comment tag."""
        from engines.music.render import describe

        return describe(
            {
                "models": MODELS,
                "seed": self.seed,
                "temperature": self.temperature,
                "instrument": self.instrument,
                "tempo": self.tempo,
                "accompaniment": self.accompaniment,
            }
        )
