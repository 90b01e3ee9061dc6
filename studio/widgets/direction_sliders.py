"""Sliders along a model's latent directions (GANSpace), each labelled with its name and
value, for the Image panel's Explore tab."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QSlider, QVBoxLayout, QWidget

from engines.image.types import LatentDirection

SLIDER_RANGE = 100  # the slider runs -100..100: ±3 spreads along the direction
SPREADS = 3.0


class DirectionSliders(QWidget):
    """One labelled slider per direction and a reset button.

    ``moved`` gives (direction index, amount in latent units); ``reset`` says every
    slider went back to 0 (each is set without echoing ``moved``).
    """

    moved = Signal(int, float)
    reset = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("directionSliders")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self.note = QLabel()
        self.note.setObjectName("directionsNote")
        self.note.setWordWrap(True)
        self._layout.addWidget(self.note)
        self.labels: list[QLabel] = []
        self.sliders: list[QSlider] = []
        self._directions: list[LatentDirection] = []
        self._layout.addStretch(1)
        self.reset_button = QPushButton("Reset directions")
        self.reset_button.setObjectName("resetDirections")
        self.reset_button.clicked.connect(self.reset_all)
        self._layout.addWidget(self.reset_button)
        self.set_directions([], "This model")

    def set_directions(self, directions: Sequence[LatentDirection], model_name: str) -> None:
        """Show these directions' sliders at 0 (none: a note saying the model has none)."""
        for widget in (*self.labels, *self.sliders):
            self._layout.removeWidget(widget)
            widget.hide()  # at once: the deletion waits for the event loop
            widget.deleteLater()
        self.labels.clear()
        self.sliders.clear()
        self._directions = list(directions)
        self.reset_button.setVisible(bool(directions))
        if not directions:
            self.note.setText(f"{model_name} has no latent directions to slide along.")
            return
        self.note.setText("Latent directions (GANSpace): move the pad's image.")
        at = 1  # after the note
        for direction in directions:
            label = QLabel()
            label.setObjectName(f"directionLabel{direction.index}")
            slider = QSlider(Qt.Orientation.Horizontal)
            slider.setObjectName(f"direction{direction.index}")
            slider.setRange(-SLIDER_RANGE, SLIDER_RANGE)
            slider.setToolTip(f"{direction.name}: σ is the spread of the model's pictures along it")
            label.setBuddy(slider)
            slider.valueChanged.connect(lambda value, d=direction: self._on_value(d, value))
            self._layout.insertWidget(at, label)
            self._layout.insertWidget(at + 1, slider)
            at += 2
            self.labels.append(label)
            self.sliders.append(slider)
            self._show_value(len(self.labels) - 1, 0)

    def reset_all(self) -> None:
        for i, slider in enumerate(self.sliders):
            slider.blockSignals(True)
            slider.setValue(0)
            slider.blockSignals(False)
            self._show_value(i, 0)
        self.reset.emit()

    def _on_value(self, direction: LatentDirection, value: int) -> None:
        self._show_value(self._directions.index(direction), value)
        self.moved.emit(direction.index, value / SLIDER_RANGE * SPREADS * direction.spread)

    def _show_value(self, row: int, value: int) -> None:
        name = self._directions[row].name
        spreads = value / SLIDER_RANGE * SPREADS
        self.labels[row].setText(f"{name[:1].upper()}{name[1:]}: {spreads:+.2f} σ")
