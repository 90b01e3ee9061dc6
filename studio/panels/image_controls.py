"""The Image panel's prompt controls and canvas tools, kept apart from the engine wiring."""

from __future__ import annotations

import random
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from engines.image.types import LoraWeight
from engines.imagefile import Recipe

MAX_SEED = 2**31 - 1


class SeedControl(QWidget):
    """A seed with a lock: unlocked, each generation draws a new seed (the dice button
    draws one now); locked, the seed stays, so settings can be compared."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.spin = QSpinBox()
        self.spin.setObjectName("seedSpin")
        self.spin.setRange(0, MAX_SEED)
        self.spin.setValue(random.randint(0, 99_999))
        self.lock = QCheckBox("Lock")
        self.lock.setObjectName("seedLock")
        self.lock.setToolTip("Keep this seed for the next generations")
        self.dice = QToolButton()
        self.dice.setObjectName("seedDice")
        self.dice.setText("New")
        self.dice.setToolTip("Draw a new random seed")
        self.dice.clicked.connect(self.roll)
        layout.addWidget(self.spin, 1)
        layout.addWidget(self.dice)
        layout.addWidget(self.lock)

    def roll(self) -> None:
        self.spin.setValue(random.randint(0, MAX_SEED))

    def next_seed(self) -> int:
        """The seed for a generation about to start."""
        if not self.lock.isChecked():
            self.roll()
        return self.spin.value()


class LoraControl(QWidget):
    """LoRA files for a Stable Diffusion model, each with its weight (1 = as trained)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loraControl")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setObjectName("loraList")
        self.list.setMaximumHeight(56)
        self.list.setToolTip("LoRA files applied to the model; select one to change its weight")
        self.weight = QDoubleSpinBox()
        self.weight.setObjectName("loraWeight")
        self.weight.setRange(-2.0, 2.0)
        self.weight.setSingleStep(0.1)
        self.weight.setValue(1.0)
        self.weight.setEnabled(False)
        self.weight.setToolTip("Weight of the selected LoRA (0 = off, 1 = as trained)")
        add = QPushButton("Add…")
        add.setObjectName("loraAdd")
        add.clicked.connect(self._choose)
        self.remove = QPushButton("Remove")
        self.remove.setEnabled(False)
        self.remove.clicked.connect(self._remove_selected)
        side = QVBoxLayout()
        side.addWidget(add)
        side.addWidget(self.remove)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.weight)
        layout.addLayout(side)
        self.list.currentItemChanged.connect(self._selected)
        self.weight.valueChanged.connect(self._set_weight)

    def add(self, path: Path, weight: float = 1.0) -> None:
        """Add a LoRA file (again: its weight is updated instead)."""
        for i in range(self.list.count()):
            item = self.list.item(i)
            if Path(item.data(Qt.ItemDataRole.UserRole)) == path:
                self.list.setCurrentItem(item)
                self.weight.setValue(weight)
                return
        item = QListWidgetItem()
        item.setData(Qt.ItemDataRole.UserRole, str(path))
        item.setData(Qt.ItemDataRole.UserRole + 1, float(weight))
        item.setToolTip(str(path))
        self._label(item)
        self.list.addItem(item)
        self.list.setCurrentItem(item)

    def weights(self) -> tuple[LoraWeight, ...]:
        return tuple(
            LoraWeight(
                Path(self.list.item(i).data(Qt.ItemDataRole.UserRole)),
                float(self.list.item(i).data(Qt.ItemDataRole.UserRole + 1)),
            )
            for i in range(self.list.count())
        )

    def _label(self, item: QListWidgetItem) -> None:
        name = Path(item.data(Qt.ItemDataRole.UserRole)).name
        item.setText(f"{name}  ×{float(item.data(Qt.ItemDataRole.UserRole + 1)):g}")

    def _choose(self) -> None:
        file, _ = QFileDialog.getOpenFileName(self, "LoRA file", "", "LoRA (*.safetensors)")
        if file:
            self.add(Path(file))

    def _selected(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        self.weight.setEnabled(item is not None)
        self.remove.setEnabled(item is not None)
        if item is not None:
            self.weight.blockSignals(True)
            self.weight.setValue(float(item.data(Qt.ItemDataRole.UserRole + 1)))
            self.weight.blockSignals(False)

    def _set_weight(self, value: float) -> None:
        item = self.list.currentItem()
        if item is not None:
            item.setData(Qt.ItemDataRole.UserRole + 1, float(value))
            self._label(item)

    def _remove_selected(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)


class ImagePromptControls(QWidget):
    """Prompt, negative prompt, model, seed, steps, guidance, size, batch, strength."""

    generate_requested = Signal()
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.prompt = QPlainTextEdit()
        self.prompt.setObjectName("prompt")
        self.prompt.setPlaceholderText("Describe the image: “a red apple”, “a smiling cat face”…")
        self.prompt.setMaximumHeight(70)
        self.negative = QLineEdit()
        self.negative.setObjectName("negativePrompt")
        self.negative.setPlaceholderText("Negative prompt: what the image should not have")
        outer.addWidget(self.prompt)
        outer.addWidget(self.negative)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        row = QHBoxLayout()
        self.model = QComboBox()
        self.model.setObjectName("modelPicker")
        self.model_note = QLabel()
        self.model_note.setObjectName("modelNote")
        row.addWidget(self.model, 1)
        form.addRow("Model", row)
        form.addRow("", self.model_note)
        self.model_note.hide()  # shown only when the model has something to say
        self.seed = SeedControl()
        form.addRow("Seed", self.seed)

        numbers = QHBoxLayout()
        self.steps = QSpinBox()
        self.steps.setObjectName("stepsSpin")
        self.steps.setRange(1, 150)
        self.steps.setValue(25)
        self.guidance = QDoubleSpinBox()
        self.guidance.setObjectName("guidanceSpin")
        self.guidance.setRange(0.0, 30.0)
        self.guidance.setSingleStep(0.5)
        self.guidance.setValue(2.5)
        self.size_box = QComboBox()
        self.size_box.setObjectName("sizeBox")
        self.batch = QSpinBox()
        self.batch.setObjectName("batchSpin")
        self.batch.setRange(1, 16)
        self.batch.setValue(4)
        for label, widget in (
            ("Steps", self.steps),
            ("Guidance", self.guidance),
            ("Size", self.size_box),
            ("Batch", self.batch),
        ):
            numbers.addWidget(QLabel(label))
            numbers.addWidget(widget)
        self.upscale = QCheckBox("Upscale")
        self.upscale.setObjectName("upscaleCheck")
        self.upscale.setChecked(True)
        self.upscale.setToolTip(
            "Enlarge the emoji models' 64-pixel pictures with the learned 4x upscaler "
            "(off: plain Lanczos resampling)"
        )
        numbers.addWidget(self.upscale)
        numbers.addStretch(1)
        form.addRow(numbers)

        strength_row = QHBoxLayout()
        self.strength = QSlider(Qt.Orientation.Horizontal)
        self.strength.setObjectName("strengthSlider")
        self.strength.setRange(5, 100)
        self.strength.setValue(60)
        self.strength_label = QLabel()
        self.strength.valueChanged.connect(self._show_strength)
        self._show_strength(self.strength.value())
        strength_row.addWidget(self.strength, 1)
        strength_row.addWidget(self.strength_label)
        form.addRow("Strength", strength_row)
        self.loras = LoraControl()
        self.lora_label = QLabel("LoRA")
        form.addRow(self.lora_label, self.loras)
        self.set_takes_loras(False)
        outer.addLayout(form)

        buttons = QHBoxLayout()
        self.mode_note = QLabel()
        self.mode_note.setObjectName("modeNote")
        self.stop_button = QPushButton("Stop")
        self.stop_button.setObjectName("stopButton")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop_requested)
        self.generate_button = QPushButton("Generate")
        self.generate_button.setObjectName("generateButton")
        self.generate_button.setDefault(True)
        self.generate_button.setToolTip("Generate (Ctrl+Enter)")
        self.generate_button.clicked.connect(self.generate_requested)
        buttons.addWidget(self.mode_note, 1)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.generate_button)
        outer.addLayout(buttons)

    def _show_strength(self, value: int) -> None:
        self.strength_label.setText(f"{value / 100:.2f}")

    @property
    def strength_value(self) -> float:
        return self.strength.value() / 100

    def apply_recipe(self, recipe: Recipe) -> None:
        """Load a result's settings back into the controls (the model if it is known)."""
        self.prompt.setPlainText(recipe.prompt)
        self.negative.setText(recipe.negative_prompt)
        if recipe.seed is not None:
            self.seed.spin.setValue(max(0, min(MAX_SEED, recipe.seed)))
            self.seed.lock.setChecked(True)
        if recipe.steps is not None:
            self.steps.setValue(recipe.steps)
        if recipe.guidance is not None:
            self.guidance.setValue(recipe.guidance)
        if recipe.strength is not None:
            self.strength.setValue(round(recipe.strength * 100))
        if recipe.model:
            index = self.model.findData(recipe.model)
            if index >= 0:
                self.model.setCurrentIndex(index)
        if recipe.width and recipe.height:
            index = self.size_box.findData((recipe.width, recipe.height))
            if index >= 0:
                self.size_box.setCurrentIndex(index)

    def set_takes_loras(self, takes: bool) -> None:
        """The LoRA row is shown for models that take LoRA files (Stable Diffusion)."""
        self.loras.setVisible(takes)
        self.lora_label.setVisible(takes)

    def set_running(self, running: bool) -> None:
        self.stop_button.setEnabled(running)


class CanvasTools(QWidget):
    """Brush / eraser, size, softness, undo, redo, clear, and the edit actions."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.brush = QToolButton()
        self.brush.setText("Brush")
        self.brush.setCheckable(True)
        self.brush.setChecked(True)
        self.eraser = QToolButton()
        self.eraser.setText("Eraser")
        self.eraser.setCheckable(True)
        self.brush.toggled.connect(lambda on: self.eraser.setChecked(not on))
        self.eraser.toggled.connect(lambda on: self.brush.setChecked(not on))
        self.size_box = QSpinBox()
        self.size_box.setRange(1, 64)
        self.size_box.setValue(8)
        self.size_box.setPrefix("Size ")
        self.softness = QSpinBox()
        self.softness.setRange(0, 100)
        self.softness.setValue(50)
        self.softness.setPrefix("Softness ")
        self.softness.setSuffix("%")
        self.undo = QToolButton()
        self.undo.setText("Undo")
        self.redo = QToolButton()
        self.redo.setText("Redo")
        self.clear = QToolButton()
        self.clear.setText("Clear mask")
        self.open = QToolButton()
        self.open.setText("Open image…")
        for widget in (
            self.open,
            self.brush,
            self.eraser,
            self.size_box,
            self.softness,
            self.undo,
            self.redo,
            self.clear,
        ):
            layout.addWidget(widget)
        layout.addStretch(1)
