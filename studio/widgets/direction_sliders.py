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
        self.reset_button = QPushButton(self.tr("Reset directions"))
        self.reset_button.setObjectName("resetDirections")
        self.reset_button.clicked.connect(self.reset_all)
        self._layout.addWidget(self.reset_button)
        self.set_directions([], None)

    def set_directions(self, directions: Sequence[LatentDirection], model_name: str | None) -> None:
        """Show these directions' sliders at 0 (none: a note saying the model has none).
        ``model_name`` None: no model is loaded yet."""
        for widget in (*self.labels, *self.sliders):
            self._layout.removeWidget(widget)
            widget.hide()  # at once: the deletion waits for the event loop
            widget.deleteLater()
        self.labels.clear()
        self.sliders.clear()
        self._directions = list(directions)
        self.reset_button.setVisible(bool(directions))
        if not directions:
            if model_name is None:
                self.note.setText(self.tr("This model has no latent directions to slide along."))
            else:
                self.note.setText(
                    self.tr("{model} has no latent directions to slide along.").format(
                        model=model_name
                    )
                )
            return
        self.note.setText(self.tr("Latent directions (GANSpace): move the pad's image."))
        at = 1  # after the note
        for direction in directions:
            label = QLabel()
            label.setObjectName(f"directionLabel{direction.index}")
            slider = QSlider(Qt.Orientation.Horizontal)
            slider.setObjectName(f"direction{direction.index}")
            slider.setRange(-SLIDER_RANGE, SLIDER_RANGE)
            slider.setToolTip(
                self.tr("{name}: σ is the spread of the model's pictures along it").format(
                    name=self._name(direction)
                )
            )
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

    def _name(self, direction: LatentDirection) -> str:
        """The direction's shown name: the engines' numbered principal components
        ("component 3") in the current language, any other name as the engine gives it."""
        if direction.name == f"component {direction.index + 1}":
            return self.tr("Component {n}").format(n=direction.index + 1)
        return direction.name[:1].upper() + direction.name[1:]

    def _show_value(self, row: int, value: int) -> None:
        spreads = value / SLIDER_RANGE * SPREADS
        self.labels[row].setText(
            self.tr("{name}: {amount} σ").format(
                name=self._name(self._directions[row]), amount=f"{spreads:+.2f}"
            )
        )
