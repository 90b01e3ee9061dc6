"""Melody A or B of the Music panel's morph: a thumbnail roll and its buttons.

A view only: the melody and its latent code live in the panel's ``MusicState``
(``melody_a``/``latent_a``, ``melody_b``/``latent_b``)."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from engines.music.data import STEPS_PER_BAR
from studio.widgets.piano_roll import PianoRollWidget


class MelodySlot(QFrame):
    """Melody A or B: a thumbnail, Sample and Use-current buttons; accepts a dropped .mid."""

    midi_dropped = Signal(str)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"slot{name}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        row = QHBoxLayout()
        self.label = QLabel(
            self.tr("<b>Melody {name}</b> — empty (sample, take the roll, or drop a .mid)").format(
                name=name
            )
        )
        self.label.setWordWrap(True)
        row.addWidget(self.label, 1)
        self.sample_button = QPushButton(self.tr("Sample"))
        self.take_button = QPushButton(self.tr("From roll"))
        self.take_button.setToolTip(self.tr("Use the melody drawn in the piano roll"))
        row.addWidget(self.sample_button)
        row.addWidget(self.take_button)
        layout.addLayout(row)
        self.roll = PianoRollWidget(editable=False)
        self.roll.setFixedHeight(48)
        layout.addWidget(self.roll)
        self.name = name

    def set_melody(self, tokens: np.ndarray, source: str) -> None:
        """Show ``tokens``, saying where they came from (``source``)."""
        self.roll.set_tokens(tokens)
        bars = self.tr("%n bars", "", len(tokens) // STEPS_PER_BAR)
        self.label.setText(
            self.tr("<b>Melody {name}</b> — {source}, {bars}").format(
                name=self.name, source=source, bars=bars
            )
        )

    def dragEnterEvent(self, event: Any) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].toLocalFile().lower().endswith((".mid", ".midi")):
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        urls = event.mimeData().urls()
        if urls:
            self.midi_dropped.emit(urls[0].toLocalFile())
