"""The Image panel's prompt controls and canvas tools, kept apart from the engine wiring."""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
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

from engines.image.engine import ModelDefaults
from engines.image.types import LoraWeight
from engines.imagefile import SAMPLER_NAMES, LoraTag, Recipe
from studio.state import find_data

MAX_SEED = 2**31 - 1
# A1111's words, as the recipes use (names, kept in Latin); the model's own is translated.
SAMPLER_LABELS = {"": str(QT_TRANSLATE_NOOP("ImagePromptControls", "Model's own")), **SAMPLER_NAMES}


def sampler_label(name: str | None) -> str:
    """The shown name of a sampler id ("" or None: the model's own, translated)."""
    if not name:
        return QCoreApplication.translate("ImagePromptControls", SAMPLER_LABELS[""])
    return SAMPLER_LABELS.get(name, name)


class SeedControl(QWidget):
    """A seed with a lock: unlocked, each generation draws a new seed (the dice button
    draws one now); locked, the seed stays, so settings can be compared."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.spin = QSpinBox()
        self.spin.setObjectName("seedSpin")
        self.spin.setRange(0, MAX_SEED)  # its value comes from the panel's state
        self.lock = QCheckBox(self.tr("Lock"))
        self.lock.setObjectName("seedLock")
        self.lock.setToolTip(self.tr("Keep this seed for the next generations"))
        self.dice = QToolButton()
        self.dice.setObjectName("seedDice")
        self.dice.setText(self.tr("New"))
        self.dice.setToolTip(self.tr("Draw a new random seed"))
        self.dice.clicked.connect(self.roll)
        layout.addWidget(self.spin, 1)
        layout.addWidget(self.dice)
        layout.addWidget(self.lock)

    def roll(self) -> None:
        self.spin.setValue(random.randint(0, MAX_SEED))


class LoraControl(QWidget):
    """LoRA files for a Stable Diffusion model, each with its weight (1 = as trained)."""

    added = Signal(str)  # the path of a file the user added
    changed = Signal(object)  # the files and weights (see weights()) after any change

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loraControl")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setObjectName("loraList")
        self.list.setMaximumHeight(56)
        self.list.setToolTip(
            self.tr("LoRA files applied to the model; select one to change its weight")
        )
        self.weight = QDoubleSpinBox()
        self.weight.setObjectName("loraWeight")
        self.weight.setRange(-2.0, 2.0)
        self.weight.setSingleStep(0.1)
        self.weight.setValue(1.0)
        self.weight.setEnabled(False)
        self.weight.setToolTip(self.tr("Weight of the selected LoRA (0 = off, 1 = as trained)"))
        add = QPushButton(self.tr("Add…"))
        add.setObjectName("loraAdd")
        add.clicked.connect(self._choose)
        self.remove = QPushButton(self.tr("Remove"))
        self.remove.setEnabled(False)
        self.remove.clicked.connect(self._remove_selected)
        # Room for two files without scrolling; the row keeps that height in a short panel.
        self.list.setMinimumHeight(48)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.weight, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(add, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.remove, 0, Qt.AlignmentFlag.AlignTop)
        self.list.currentItemChanged.connect(self._selected)
        self.weight.valueChanged.connect(self._set_weight)
        self._quiet = False  # set while set_weights rebuilds the list: one change, not many

    def _changed(self) -> None:
        if not self._quiet:
            self.changed.emit(self.weights())

    def set_weights(self, weights: Sequence[LoraWeight]) -> None:
        """Show these files and weights (the state's), in this order."""
        if tuple(weights) == self.weights():
            return
        self._quiet = True
        try:
            self.list.clear()
            for lora in weights:
                self.add(lora.path, lora.weight)
        finally:
            self._quiet = False
        self._changed()

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
        self._changed()

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

    def clear(self) -> None:
        self.list.clear()
        self._changed()

    def _choose(self) -> None:
        file, _ = QFileDialog.getOpenFileName(
            self, self.tr("LoRA file"), "", self.tr("LoRA (*.safetensors)")
        )
        if file:
            self.add(Path(file))
            self.added.emit(file)

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
            self._changed()

    def _remove_selected(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
            self._changed()


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
        self.prompt.setPlaceholderText(
            self.tr("Describe the image: “a red apple”, “a smiling cat face”…")
        )
        self.prompt.setMaximumHeight(70)
        self.negative = QLineEdit()
        self.negative.setObjectName("negativePrompt")
        self.negative.setPlaceholderText(self.tr("Negative prompt: what the image should not have"))
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
        form.addRow(self.tr("Model"), row)
        form.addRow("", self.model_note)
        self.model_note.hide()  # shown only when the model has something to say
        self.seed = SeedControl()
        form.addRow(self.tr("Seed"), self.seed)

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
        self.sampler = QComboBox()
        self.sampler.setObjectName("samplerBox")
        self.sampler.setToolTip(self.tr("How the noise is taken away step by step"))
        self.sampler_label = QLabel(self.tr("Sampler"))
        self.steps_label = QLabel(self.tr("Steps"))
        self.guidance_label = QLabel(self.tr("Guidance"))
        self.guidance.setToolTip(
            self.tr("How closely the picture follows the prompt (0: no guidance)")
        )
        for label, widget in (
            (self.steps_label, self.steps),
            (self.sampler_label, self.sampler),
            (self.guidance_label, self.guidance),
            (QLabel(self.tr("Size")), self.size_box),
            (QLabel(self.tr("Batch")), self.batch),
        ):
            numbers.addWidget(label)
            numbers.addWidget(widget)
        self.upscale = QCheckBox(self.tr("Upscale"))
        self.upscale.setObjectName("upscaleCheck")
        self.upscale.setChecked(True)
        self.upscale.setToolTip(
            self.tr(
                "Enlarge the emoji models' 64-pixel pictures with the learned 4x upscaler "
                "(off: plain Lanczos resampling)"
            )
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
        form.addRow(self.tr("Strength"), strength_row)
        self.loras = LoraControl()
        self.lora_label = QLabel("LoRA")
        form.addRow(self.lora_label, self.loras)
        self.set_takes_loras(False)
        outer.addLayout(form)

        buttons = QHBoxLayout()
        self.mode_note = QLabel()
        self.mode_note.setObjectName("modeNote")
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setObjectName("stopButton")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop_requested)
        self.generate_button = QPushButton(self.tr("Generate"))
        self.generate_button.setObjectName("generateButton")
        self.generate_button.setDefault(True)
        self.generate_button.setToolTip(self.tr("Generate (Ctrl+Enter)"))
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

    def apply_recipe(self, recipe: Recipe, known_loras: Sequence[str] = ()) -> list[str]:
        """Load a result's settings back into the controls (the model if it is known).
        The recipe names its LoRA files by name only; they are found among the files in
        the LoRA list and ``known_loras`` (the user's recent ones). Returns notices for a
        person about what could not be restored."""
        notices: list[str] = []
        # The model first: choosing it sets its defaults, which the recipe then overrides.
        if recipe.model:
            index = self.model.findData(recipe.model)
            if index >= 0:
                self.model.setCurrentIndex(index)
            else:
                notices.append(
                    self.tr("The model {model} is not installed here.").format(model=recipe.model)
                )
        self.prompt.setPlainText(recipe.prompt)
        self.negative.setText(recipe.negative_prompt)
        if recipe.seed is not None:
            self.seed.spin.setValue(max(0, min(MAX_SEED, recipe.seed)))
            self.seed.lock.setChecked(True)
        if recipe.steps is not None:
            self.steps.setValue(recipe.steps)
        if recipe.guidance is not None:
            self.guidance.setValue(recipe.guidance)
        if recipe.sampler is not None and self.sampler.count():
            index = self.sampler.findData(recipe.sampler)
            if index >= 0:
                self.sampler.setCurrentIndex(index)
            else:  # the model's default (the first) rather than whatever was set before
                self.sampler.setCurrentIndex(0)
                notices.append(
                    self.tr(
                        "The picture was made with the sampler {sampler}, which this model "
                        "does not have here: {used} is used instead."
                    ).format(sampler=sampler_label(recipe.sampler), used=self.sampler.currentText())
                )
        if recipe.strength is not None:
            self.strength.setValue(round(recipe.strength * 100))
        if recipe.width and recipe.height:
            index = find_data(self.size_box, (recipe.width, recipe.height))
            if index >= 0:
                self.size_box.setCurrentIndex(index)
        if self.loras.isVisibleTo(self):
            notices += self._restore_loras(recipe.loras, known_loras)
        elif recipe.loras:
            names = ", ".join(lora.name for lora in recipe.loras)
            notices.append(
                self.tr(
                    "The picture was made with the LoRA file(s) {names}, which this model "
                    "does not take: they were left out."
                ).format(names=names)
            )
        return notices

    def _restore_loras(self, loras: Sequence[LoraTag], known: Sequence[str]) -> list[str]:
        """Set the LoRA list to the recipe's LoRAs, found by name (A1111's tags name a file
        without its extension) among the listed files and ``known`` ones."""
        candidates = [Path(c) for c in (*(str(w.path) for w in self.loras.weights()), *known)]
        self.loras.clear()
        missing = []
        for lora in loras:
            found = next(
                (c for c in candidates if lora.name in (c.stem, c.name) and c.is_file()), None
            )
            if found is None:
                missing.append(lora.name)
            else:
                self.loras.add(found, lora.weight)
        if not missing:
            return []
        return [
            self.tr(
                "The picture was made with the LoRA file(s) {names}, which are not among "
                "your LoRA files: add them with Add… to remake it."
            ).format(names=", ".join(missing))
        ]

    def set_model_defaults(self, defaults: ModelDefaults) -> None:
        """Show the controls a model takes, set to its defaults."""
        self.steps.setValue(defaults.steps)
        self.guidance.setValue(defaults.guidance)
        self.sampler.clear()
        for name in defaults.samplers:
            self.sampler.addItem(sampler_label(name), name or None)
        steps = bool(defaults.samplers)  # the GANs and the VAE make a picture in one go
        for widget in (self.steps, self.steps_label, self.guidance, self.guidance_label,
                       self.sampler, self.sampler_label):  # fmt: skip
            widget.setVisible(steps)
        self.upscale.setVisible(defaults.upscales)
        self.set_takes_loras(defaults.takes_loras)

    @property
    def sampler_value(self) -> str | None:
        data = self.sampler.currentData() if self.sampler.isVisibleTo(self) else None
        return str(data) if data else None

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
        self.brush.setText(self.tr("Brush"))
        self.brush.setCheckable(True)
        self.brush.setChecked(True)
        self.eraser = QToolButton()
        self.eraser.setText(self.tr("Eraser"))
        self.eraser.setCheckable(True)
        self.brush.toggled.connect(lambda on: self.eraser.setChecked(not on))
        self.eraser.toggled.connect(lambda on: self.brush.setChecked(not on))
        self.size_box = QSpinBox()
        self.size_box.setRange(1, 64)
        self.size_box.setValue(8)
        self.size_box.setPrefix(self.tr("Size "))
        self.softness = QSpinBox()
        self.softness.setRange(0, 100)
        self.softness.setValue(50)
        self.softness.setPrefix(self.tr("Softness "))
        self.softness.setSuffix("%")
        self.undo = QToolButton()
        self.undo.setText(self.tr("Undo"))
        self.redo = QToolButton()
        self.redo.setText(self.tr("Redo"))
        self.clear = QToolButton()
        self.clear.setText(self.tr("Clear mask"))
        self.open = QToolButton()
        self.open.setText(self.tr("Open image…"))
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
