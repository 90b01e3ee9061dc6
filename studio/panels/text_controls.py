"""The Text panel's controls: model, preset and its instruction, system prompt, the
message box and its buttons, the sampling settings and the steering sliders. Widgets
only: the panel binds them to its :class:`~studio.panels.text_state.TextState` and
connects the buttons and menus."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.panels.steering_sliders import SteeringSlidersBox


def _spin(low: float, high: float, step: float) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(low, high)
    spin.setSingleStep(step)
    spin.setDecimals(2)
    return spin


class TextControls(QWidget):
    """Everything above the conversation."""

    def __init__(
        self,
        presets: Iterable[str],
        steering: dict[str, float] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.steering_box = SteeringSlidersBox(steering)
        left = QVBoxLayout()
        # The model on a row of its own: its name is never squeezed under the button.
        row = QHBoxLayout()
        self.model_combo = QComboBox()
        self.model_combo.setObjectName("modelCombo")
        self.model_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        row.addWidget(QLabel(self.tr("Model")))
        row.addWidget(self.model_combo, 1)
        self.import_button = QPushButton(self.tr("Import…"))
        self.import_button.setObjectName("importModelButton")
        self.import_menu = QMenu(self.import_button)
        self.import_button.setMenu(self.import_menu)
        row.addWidget(self.import_button)
        left.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Preset")))
        self.preset_combo = QComboBox()
        self.preset_combo.setObjectName("presetCombo")
        self.preset_combo.addItems(list(presets))
        row.addWidget(self.preset_combo)
        # The preset's instruction, sent before the message (its template stays inside).
        self.instruction_edit = QLineEdit()
        self.instruction_edit.setObjectName("presetInstruction")
        self.instruction_edit.setToolTip(
            self.tr(
                "Sent before your message, e.g. “Summarise the following text:”. "
                "Your edits are kept for this preset."
            )
        )
        row.addWidget(self.instruction_edit, 1)
        left.addLayout(row)
        self.system_edit = QLineEdit()
        self.system_edit.setObjectName("systemPrompt")
        self.system_edit.setPlaceholderText(
            self.tr("System prompt (optional): how the assistant behaves")
        )
        left.addWidget(self.system_edit)
        self.prompt = QPlainTextEdit()
        self.prompt.setObjectName("prompt")
        self.prompt.setPlaceholderText(self.tr("Write a message… (Ctrl+Enter sends)"))
        left.addWidget(self.prompt, 1)
        buttons = QHBoxLayout()
        self.new_button = QPushButton(self.tr("New chat"))
        self.open_button = QPushButton(self.tr("Open…"))
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_menu = QMenu(self.export_button)
        self.export_button.setMenu(self.export_menu)
        for b in (self.new_button, self.open_button, self.export_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setObjectName("stopButton")
        self.stop_button.setEnabled(False)
        self.generate_button = QPushButton(self.tr("Send"))
        self.generate_button.setObjectName("generateButton")
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.generate_button)
        left.addLayout(buttons)
        outer.addLayout(left, 3)

        side = QVBoxLayout()
        sampling = QGroupBox(self.tr("Sampling"))
        form = QFormLayout(sampling)
        self.temperature = _spin(0.0, 2.0, 0.05)
        self.top_p = _spin(0.05, 1.0, 0.05)
        self.top_k = QSpinBox()
        self.top_k.setRange(0, 500)
        self.repetition = _spin(1.0, 2.0, 0.05)
        self.max_tokens = QSpinBox()
        self.max_tokens.setRange(1, 8192)
        self.seed = QSpinBox()
        self.seed.setRange(-1, 2**31 - 1)
        self.seed.setSpecialValueText(self.tr("random"))
        form.addRow(self.tr("Temperature"), self.temperature)
        form.addRow(self.tr("Top-p"), self.top_p)
        form.addRow(self.tr("Top-k"), self.top_k)
        form.addRow(self.tr("Repetition penalty"), self.repetition)
        form.addRow(self.tr("Max new tokens"), self.max_tokens)
        form.addRow(self.tr("Seed"), self.seed)
        side.addWidget(sampling)
        side.addWidget(self.steering_box)
        side.addStretch(1)
        outer.addLayout(side, 2)
