"""The Text panel's "Latent steering" group: a slider per steering direction.

A slider's ends are the vector's range on the selected model, as calibrated by
``engines/text/calibrate_steering.py`` (the strongest push each way that keeps replies
fluent); a vector without a calibration for the model gets ``steering.UNCALIBRATED_LIMIT`` and
says so. Positions are steps of the range, so the end is always exactly the calibrated
strength, whatever the model.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from engines.text import steering
from studio.i18n import QT_TRANSLATE_NOOP, fill
from studio.panels.steering_dialog import SteeringDialog

STEPS = 20  # slider positions on each side of zero; position STEPS is the range's end

# The labels of the built-in directions' ends (engines/text/steering_pairs.json), for
# translation; a user's own labels are shown as typed.
BUILT_IN_LABELS = (
    QT_TRANSLATE_NOOP("SteeringSlidersBox", "formal"),
    QT_TRANSLATE_NOOP("SteeringSlidersBox", "casual"),
    QT_TRANSLATE_NOOP("SteeringSlidersBox", "positive"),
    QT_TRANSLATE_NOOP("SteeringSlidersBox", "negative"),
    QT_TRANSLATE_NOOP("SteeringSlidersBox", "concise"),
    QT_TRANSLATE_NOOP("SteeringSlidersBox", "verbose"),
)


class SteeringSlidersBox(QGroupBox):
    """One slider per direction; ``strengths`` (name -> strength) is read live by a
    running reply, so moving a slider steers the next token."""

    message = Signal(str)  # something to tell the user (the panel's status line)

    def __init__(
        self, strengths: dict[str, float] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Latent steering"))
        self.setObjectName("steeringBox")
        self.setToolTip(
            self.tr(
                "Adds a direction to the model's hidden states. A slider that is not at zero "
                "when you send can be moved while the reply streams. Each end is the strongest "
                "setting measured to keep replies fluent on this model."
            )
        )
        self.model_id: str | None = None  # None: the default model
        # Written here, read by the reply (the panel passes its state's dict).
        self.strengths: dict[str, float] = {} if strengths is None else strengths
        self.sliders: dict[str, QSlider] = {}
        self.range_labels: dict[str, QLabel] = {}
        self.value_labels: dict[str, QLabel] = {}
        self.definitions: dict[str, steering.SteeringDefinition] = {}
        layout = QVBoxLayout(self)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        for definition in steering.steering_definitions():
            self.add_direction(definition)
        self.new_button = QPushButton(self.tr("New direction…"))
        self.new_button.setObjectName("newSteeringButton")
        self.new_button.setToolTip(
            self.tr("Build your own slider from pairs of example texts (kept in your settings).")
        )
        self.new_button.clicked.connect(self.open_dialog)
        layout.addWidget(self.new_button)
        # Shown when the selected model's backend cannot steer (llama.cpp).
        self.unsupported_notice = QLabel()
        self.unsupported_notice.setObjectName("steeringUnsupported")
        self.unsupported_notice.setWordWrap(True)
        self.unsupported_notice.setVisible(False)
        layout.addWidget(self.unsupported_notice)
        self.supported = True

    def label(self, text: str, user: bool = False) -> str:
        """A built-in direction's label, translated; a user's own as typed."""
        return text if user or text not in BUILT_IN_LABELS else self.tr(text)

    # -- ranges ------------------------------------------------------------------------
    def range_of(self, name: str) -> steering.SteeringRange:
        return self.definitions[name].range_for(self.model_id)

    def strength_at(self, name: str, position: int) -> float:
        """The strength of a slider position: a share of the range's end on that side."""
        allowed = self.range_of(name)
        end = allowed.high if position > 0 else -allowed.low
        return round(position / STEPS * end, 3)

    def set_model(self, model_id: str | None) -> None:
        """Ranges for another model: each slider keeps its position, its strength follows."""
        self.model_id = model_id
        for name, slider in self.sliders.items():
            self._show_range(name)
            self._changed(name, slider.value())

    def set_supported(self, supported: bool) -> None:
        """Grey the sliders (and say why) when the model's backend cannot steer."""
        self.supported = supported
        why = self.tr("This model's backend (llama.cpp) does not support steering.")
        self.unsupported_notice.setText(why)
        self.unsupported_notice.setVisible(not supported)
        for slider in self.sliders.values():
            slider.setEnabled(supported)
        self.new_button.setEnabled(supported)
        for name in self.sliders:
            self._show_range(name)

    def _show_range(self, name: str) -> None:
        definition, allowed = self.definitions[name], self.range_of(name)
        text = f"{allowed.low:+.2f} … {allowed.high:+.2f}"
        text += " " + (
            self.tr("(calibrated)") if allowed.calibrated else self.tr("(not calibrated)")
        )
        label = self.range_labels[name]
        label.setText(text)
        tip = (
            f"{self.label(definition.name, definition.user)}: + {self.label(definition.positive, definition.user)}"
            f" / − {self.label(definition.negative, definition.user)}"
            + (" " + self.tr("(yours)") if definition.user else "")
            + ". "
            + fill(
                self.tr("Strength %1 to %2 (%3)"),
                f"{allowed.low:+.2f}",
                f"{allowed.high:+.2f}",
                self.tr("calibrated")
                if allowed.calibrated
                else self.tr("not calibrated for this model"),
            )
        )
        if not allowed.calibrated:
            command = "python -m engines.text.calibrate_steering" + (
                f" --vector {name}" if definition.user else ""
            )
            tip += "; " + self.tr("run %1 to measure its range").replace("%1", command)
        tip += "."
        if not getattr(self, "supported", True):
            tip = self.tr("This model's backend (llama.cpp) does not support steering.")
        self.sliders[name].setToolTip(tip)
        label.setToolTip(tip)

    # -- directions --------------------------------------------------------------------
    def add_direction(self, definition: steering.SteeringDefinition) -> QSlider:
        """A slider for ``definition``; one of the same name (saved again) is replaced."""
        if definition.name in self.sliders:
            self.form.removeRow(self._row_of(self.sliders.pop(definition.name)))
            self.strengths.pop(definition.name, None)
        self.definitions[definition.name] = definition
        slider = QSlider(Qt.Orientation.Horizontal)
        slider.setObjectName(f"steer_{definition.name}")
        slider.setRange(-STEPS, STEPS)
        value_label = QLabel("0.00")
        value_label.setObjectName(f"steerValue_{definition.name}")
        value_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        value_label.setMinimumWidth(value_label.fontMetrics().horizontalAdvance("+0.00") + 6)
        range_label = QLabel()
        range_label.setObjectName(f"steerRange_{definition.name}")
        range_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        range_label.setStyleSheet("color: palette(mid); font-size: small")
        self.sliders[definition.name] = slider
        self.value_labels[definition.name] = value_label
        self.range_labels[definition.name] = range_label
        slider.valueChanged.connect(lambda v, n=definition.name: self._changed(n, v))
        slider.setEnabled(getattr(self, "supported", True))
        cell = QVBoxLayout()
        cell.setSpacing(0)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.label(definition.negative, definition.user)))
        top.addWidget(slider, 1)
        top.addWidget(QLabel(self.label(definition.positive, definition.user)))
        top.addWidget(value_label)
        cell.addLayout(top)
        cell.addWidget(range_label)
        self.form.addRow(cell)
        self._show_range(definition.name)
        return slider

    def _row_of(self, slider: QSlider) -> int:
        for row in range(self.form.rowCount()):
            item = self.form.itemAt(row, QFormLayout.ItemRole.SpanningRole)
            layout = item.layout() if item is not None else None
            first = layout.itemAt(0) if layout is not None else None
            top = first.layout() if first is not None else None
            if top is not None and top.indexOf(slider) >= 0:
                return row
        return -1

    def _changed(self, name: str, position: int) -> None:
        strength = self.strength_at(name, position)
        self.value_labels[name].setText(f"{strength:+.2f}" if strength else "0.00")
        # The running job's steering reads this dict at every token.
        self.strengths[name] = strength

    def open_dialog(self) -> SteeringDialog:
        """Open the dialog (non-blocking); a saved direction gets its slider at once."""
        dialog = SteeringDialog(self)
        dialog.accepted.connect(lambda: self._made(dialog))
        dialog.open()
        return dialog

    def _made(self, dialog: SteeringDialog) -> None:
        definition = dialog.definition
        if definition is None:
            return
        self.add_direction(definition)
        self.message.emit(
            self.tr(
                "Saved the steering direction '%1'. Its vector is built for "
                "the model the first time you send with the slider away from zero."
            ).replace("%1", definition.name)
        )


__all__ = ["STEPS", "SteeringSlidersBox"]
