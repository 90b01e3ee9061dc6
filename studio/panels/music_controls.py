"""The Music panel's controls: melody A and B, the morph slider and its strip, the
attribute sliders, the render settings and the action buttons. Widgets only: the panel
binds them to its :class:`~studio.panels.music_state.MusicState` and connects the buttons.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.panels.music_state import EXPORT_FORMATS, INSTRUMENT_NAMES, STRIP_MELODIES
from studio.widgets.melody_slot import MelodySlot
from studio.widgets.piano_roll import PianoRollWidget

# Shown translated (attribute_label); the keys are the VAE's attribute names.
ATTRIBUTE_LABELS = {
    "density": str(QT_TRANSLATE_NOOP("MusicControls", "Note density")),
    "range": str(QT_TRANSLATE_NOOP("MusicControls", "Pitch range")),
    "syncopation": str(QT_TRANSLATE_NOOP("MusicControls", "Syncopation")),
}
# The instruments' shown names; the combo box's data (and the state) keep the engine's.
INSTRUMENT_LABELS = {
    "piano": str(QT_TRANSLATE_NOOP("MusicControls", "piano")),
    "electric piano": str(QT_TRANSLATE_NOOP("MusicControls", "electric piano")),
    "harpsichord": str(QT_TRANSLATE_NOOP("MusicControls", "harpsichord")),
    "music box": str(QT_TRANSLATE_NOOP("MusicControls", "music box")),
    "vibraphone": str(QT_TRANSLATE_NOOP("MusicControls", "vibraphone")),
    "organ": str(QT_TRANSLATE_NOOP("MusicControls", "organ")),
    "accordion": str(QT_TRANSLATE_NOOP("MusicControls", "accordion")),
    "nylon guitar": str(QT_TRANSLATE_NOOP("MusicControls", "nylon guitar")),
    "steel guitar": str(QT_TRANSLATE_NOOP("MusicControls", "steel guitar")),
    "violin": str(QT_TRANSLATE_NOOP("MusicControls", "violin")),
    "cello": str(QT_TRANSLATE_NOOP("MusicControls", "cello")),
    "strings": str(QT_TRANSLATE_NOOP("MusicControls", "strings")),
    "trumpet": str(QT_TRANSLATE_NOOP("MusicControls", "trumpet")),
    "clarinet": str(QT_TRANSLATE_NOOP("MusicControls", "clarinet")),
    "flute": str(QT_TRANSLATE_NOOP("MusicControls", "flute")),
    "pan flute": str(QT_TRANSLATE_NOOP("MusicControls", "pan flute")),
    "whistle": str(QT_TRANSLATE_NOOP("MusicControls", "whistle")),
    "bagpipe": str(QT_TRANSLATE_NOOP("MusicControls", "bagpipe")),
    "fiddle": str(QT_TRANSLATE_NOOP("MusicControls", "fiddle")),
}


def attribute_label(name: str) -> str:
    """An attribute's shown name, in the current language."""
    return QCoreApplication.translate("MusicControls", ATTRIBUTE_LABELS[name])


def instrument_label(name: str) -> str:
    """An instrument's shown name, in the current language (an unlisted one as it is)."""
    label = INSTRUMENT_LABELS.get(name)
    return name if label is None else QCoreApplication.translate("MusicControls", label)


class MusicControls(QWidget):
    """Everything above the piano roll."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        slots = QHBoxLayout()
        self.slot_a, self.slot_b = MelodySlot("A"), MelodySlot("B")
        slots.addWidget(self.slot_a, 1)
        slots.addWidget(self.slot_b, 1)
        outer.addLayout(slots)

        morph = QHBoxLayout()
        morph.addWidget(QLabel("A"))  # melody A and B: letters, as in every language
        self.morph_slider = QSlider(Qt.Orientation.Horizontal)
        self.morph_slider.setObjectName("morphSlider")
        self.morph_slider.setRange(0, 100)
        self.morph_slider.setEnabled(False)
        self.morph_slider.setToolTip(self.tr("Morph melody A into melody B (needs both)"))
        morph.addWidget(self.morph_slider, 1)
        morph.addWidget(QLabel("B"))
        outer.addLayout(morph)
        strip = QHBoxLayout()
        self.strip_rolls: list[PianoRollWidget] = []
        for _ in range(STRIP_MELODIES):
            roll = PianoRollWidget(editable=False)
            roll.setFixedHeight(40)
            self.strip_rolls.append(roll)
            strip.addWidget(roll)
        outer.addLayout(strip)

        grid = QGridLayout()
        self.attribute_sliders: dict[str, QSlider] = {}
        for col, name in enumerate(ATTRIBUTE_LABELS):
            label = attribute_label(name)
            grid.addWidget(QLabel(label), 0, col)
            slider = QSlider(Qt.Orientation.Horizontal)
            slider.setObjectName(f"{name}Slider")
            slider.setRange(-100, 100)
            slider.setValue(0)
            slider.setToolTip(
                self.tr("Move the melody along the {attribute} direction found in the data").format(
                    attribute=label.lower()
                )
            )
            grid.addWidget(slider, 1, col)
            self.attribute_sliders[name] = slider
        outer.addLayout(grid)

        settings = QHBoxLayout()
        settings.addWidget(QLabel(self.tr("Temperature")))
        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(0.0, 2.0)
        self.temperature.setSingleStep(0.1)
        settings.addWidget(self.temperature)
        settings.addWidget(QLabel(self.tr("Instrument")))
        self.instrument = QComboBox()
        for name in INSTRUMENT_NAMES:
            self.instrument.addItem(instrument_label(name), name)
        settings.addWidget(self.instrument)
        settings.addWidget(QLabel(self.tr("Tempo")))
        self.tempo = QSpinBox()
        self.tempo.setRange(40, 240)
        self.tempo.setSuffix(" BPM")
        settings.addWidget(self.tempo)
        self.accompaniment = QCheckBox(self.tr("Bass and chords"))
        settings.addWidget(self.accompaniment)
        settings.addStretch(1)
        outer.addLayout(settings)

        actions = QHBoxLayout()
        self.sample_button = QPushButton(self.tr("Sample"))
        self.sample_button.setObjectName("generateButton")
        self.sample_button.setToolTip(self.tr("A new melody (Ctrl+Enter)"))
        actions.addWidget(self.sample_button)
        actions.addWidget(QLabel(self.tr("Bars")))
        self.bars = QSpinBox()
        self.bars.setRange(1, 32)
        actions.addWidget(self.bars)
        self.continue_button = QPushButton(self.tr("Continue"))
        self.continue_button.setToolTip(self.tr("Add the number of bars above after the melody"))
        actions.addWidget(self.continue_button)
        self.variations_button = QPushButton(self.tr("Variations"))
        self.variations_button.setToolTip(
            self.tr("Melodies near this one (from the VAE's latent space)")
        )
        actions.addWidget(self.variations_button)
        actions.addStretch(1)
        self.play_button = QPushButton(self.tr("Play"))
        self.play_button.setObjectName("playButton")
        actions.addWidget(self.play_button)
        self.format = QComboBox()
        self.format.addItems(EXPORT_FORMATS)
        actions.addWidget(self.format)
        self.export_button = QPushButton(self.tr("Export"))
        self.export_button.setObjectName("exportButton")
        self.export_button.setToolTip(self.tr("Write audio and MIDI to the output folder"))
        actions.addWidget(self.export_button)
        self.export_as_button = QPushButton(self.tr("Export as…"))
        self.export_as_button.setObjectName("exportAsButton")
        self.export_as_button.setToolTip(self.tr("Choose where to write the audio"))
        actions.addWidget(self.export_as_button)
        outer.addLayout(actions)
