"""The Speech panel's controls: the script, the voice picker, its sliders, the Kokoro
blend, the status line and Speak/Stop, bound to a
:class:`~studio.panels.speech_state.SpeechState` (the panel connects the buttons); and
the clip's waveform, transport and export buttons, views over the state's clip."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from engines.speech.blends import VOICES as KOKORO_VOICES
from studio.i18n.engine_text import render
from studio.panels.speech_state import Clip, SpeechState
from studio.state import Binding, bind
from studio.widgets.waveform import WaveformWidget


def _slider(lo: int, hi: int) -> QSlider:
    s = QSlider(Qt.Orientation.Horizontal)
    s.setRange(lo, hi)
    return s


class SpeechControls(QWidget):
    """Everything above the waveform."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.text_edit = QPlainTextEdit()
        self.text_edit.setObjectName("prompt")
        self.text_edit.setPlaceholderText(
            self.tr(
                'Type the text to be spoken… Markup: [pause 500ms], <break time="1s"/>, '
                "[voice kokoro:jf_alpha]."
            )
        )
        layout.addWidget(self.text_edit, 1)

        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("Voice")), 0, 0)
        self.voice_box = QComboBox()
        self.voice_box.setObjectName("voicePicker")
        grid.addWidget(self.voice_box, 0, 1, 1, 2)
        self.add_voice_button = QPushButton(self.tr("Add Piper voice…"))
        self.add_voice_button.setToolTip(
            self.tr("A Piper .onnx voice with its .onnx.json beside it")
        )
        grid.addWidget(self.add_voice_button, 0, 3)

        # Sliders in hundredths of the state's values.
        self.speed_slider, self.speed_label = _slider(50, 200), QLabel()
        self.noise_slider, self.noise_label = _slider(0, 150), QLabel()
        self.noise_w_slider, self.noise_w_label = _slider(0, 150), QLabel()
        rows = (
            (self.tr("Speed"), self.speed_slider, self.speed_label),
            (self.tr("Expressiveness (noise)"), self.noise_slider, self.noise_label),
            (self.tr("Rhythm (noise w)"), self.noise_w_slider, self.noise_w_label),
        )
        for grid_row, (name, slider, label) in enumerate(rows, start=1):
            grid.addWidget(QLabel(name), grid_row, 0)
            grid.addWidget(slider, grid_row, 1, 1, 2)
            grid.addWidget(label, grid_row, 3)

        grid.addWidget(QLabel(self.tr("Blend with")), 4, 0)
        self.blend_box = QComboBox()
        self.blend_box.setObjectName("blendPicker")
        self.blend_box.addItem(self.tr("(no blend)"), "")
        for v in KOKORO_VOICES:
            self.blend_box.addItem(v, v)
        grid.addWidget(self.blend_box, 4, 1)
        self.blend_slider = _slider(0, 100)
        self.blend_slider.setObjectName("blendSlider")
        self.blend_slider.setToolTip(
            self.tr("Weight of the second voice; released: a short preview")
        )
        grid.addWidget(self.blend_slider, 4, 2)
        self.save_blend_button = QPushButton(self.tr("Save blend…"))
        grid.addWidget(self.save_blend_button, 4, 3)
        self.blend_label = QLabel()
        grid.addWidget(self.blend_label, 5, 1, 1, 3)
        layout.addLayout(grid)

        row = QHBoxLayout()
        self.status_label = QLabel("")
        self.status_label.setObjectName("speechStatus")
        self.status_label.setWordWrap(True)
        row.addWidget(self.status_label, 1)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setObjectName("stopButton")
        self.stop_button.setEnabled(False)
        row.addWidget(self.stop_button)
        self.speak_button = QPushButton(self.tr("Speak"))
        self.speak_button.setObjectName("generateButton")
        row.addWidget(self.speak_button)
        layout.addLayout(row)
        self.state = SpeechState(self)  # until bind_state is given the panel's

    def bind_state(self, state: SpeechState) -> list[Binding]:
        """Bind the controls to ``state``: values both ways, and the labels and which
        controls apply (noise for Piper, the blend for Kokoro) follow it."""
        self.state = state
        bindings = [
            bind(state, "text", self.text_edit, "text"),
            bind(state, "speed", self.speed_slider, scale=100),
            bind(state, "noise_scale", self.noise_slider, scale=100),
            bind(state, "noise_w", self.noise_w_slider, scale=100),
            bind(state, "blend_with", self.blend_box, "data"),
            bind(state, "blend_weight", self.blend_slider, scale=100),
        ]
        # The voice list changes (voices added, blends saved): wired here, not bound.
        self.voice_box.currentIndexChanged.connect(self._pick_listed_voice)
        state.voice_id_changed.connect(self._show_voice)
        state.voice_id_changed.connect(self._show_voice_kind)
        for signal in (state.speed_changed, state.noise_scale_changed, state.noise_w_changed):
            signal.connect(self._update_slider_labels)
        state.blend_with_changed.connect(self._update_blend_label)
        state.blend_weight_changed.connect(self._update_blend_label)
        self._update_slider_labels()
        self._show_voice_kind()
        return bindings

    def list_voices(self, voices: list[Any], select: str) -> None:
        """Fill the voice picker (``engines.speech.list_voices``), keeping ``select``."""
        box = self.voice_box
        box.blockSignals(True)
        box.clear()
        for v in voices:
            box.addItem(
                render(v.label)
                if v.available
                else self.tr("%1 — not installed").replace("%1", render(v.label)),
                v.id,
            )
            tip = render(v.message) or v.id
            box.setItemData(box.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        box.blockSignals(False)
        box.setCurrentIndex(max(0, box.findData(select) if select else -1))
        self._pick_listed_voice()
        self._show_voice_kind()

    def _pick_listed_voice(self, *_: object) -> None:
        self.state.voice_id = str(self.voice_box.currentData() or "")

    def _show_voice(self, voice_id: str) -> None:
        index = self.voice_box.findData(voice_id)
        if index >= 0:
            self.voice_box.setCurrentIndex(index)
        else:  # not a listed voice: the state keeps the one the picker shows
            self._pick_listed_voice()

    def _show_voice_kind(self, *_: object) -> None:
        kokoro = self.state.is_kokoro()
        for slider in (self.noise_slider, self.noise_w_slider):
            slider.setEnabled(not kokoro)
        for widget in (self.blend_box, self.blend_slider, self.save_blend_button):
            widget.setEnabled(kokoro)
        self._update_blend_label()

    def _update_slider_labels(self, *_: object) -> None:
        self.speed_label.setText(f"{self.state.speed:.2f}×")
        self.noise_label.setText(f"{self.state.noise_scale:.2f}")
        self.noise_w_label.setText(f"{self.state.noise_w:.2f}")

    def _update_blend_label(self, *_: object) -> None:
        blend = self.state.blend_weights()
        if blend:
            self.blend_label.setText(" + ".join(f"{v} {w:.0%}" for v, w in blend.items()))
        elif self.state.voice_id.startswith("blend:"):
            self.blend_label.setText(self.tr("A saved blend"))
        else:
            self.blend_label.setText(
                self.tr("Pick a Kokoro voice, then a second one to blend with.")
            )


class ClipControls(QWidget):
    """Everything below: the waveform, Play and the position, export buttons, and the
    notice shown where playback is off."""

    def __init__(self, export_formats: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.waveform = WaveformWidget()
        self.waveform.setToolTip(
            self.tr("Click to seek; drag out to a folder or DAW to get the file")
        )
        layout.addWidget(self.waveform, 1)
        transport = QHBoxLayout()
        self.play_button = QPushButton(self.tr("Play"))
        self.play_button.setObjectName("playButton")
        transport.addWidget(self.play_button)
        self.position_label = QLabel("0.0 / 0.0 s")
        transport.addWidget(self.position_label)
        transport.addStretch(1)
        self.export_buttons: dict[str, QPushButton] = {}
        for fmt in export_formats:
            b = QPushButton(self.tr("Export %1").replace("%1", fmt.upper()))
            b.setObjectName(f"export{fmt.upper()}")
            b.setEnabled(False)
            transport.addWidget(b)
            self.export_buttons[fmt] = b
        self.export_as_button = QPushButton(self.tr("Export as…"))
        self.export_as_button.setObjectName("exportAs")
        self.export_as_button.setEnabled(False)
        transport.addWidget(self.export_as_button)
        layout.addLayout(transport)
        self.playback_label = QLabel()
        self.playback_label.setObjectName("playbackNotice")
        self.playback_label.setWordWrap(True)
        layout.addWidget(self.playback_label)
        self._can_play: Callable[[], bool] = lambda: False  # until show_clips_of says

    def show_clips_of(self, state: SpeechState, can_play: Callable[[], bool]) -> None:
        """Follow ``state.clip``: the waveform draws it, and Play (while ``can_play()``:
        the system has audio output) and the export buttons are on while it has audio."""
        self._can_play = can_play
        state.clip_changed.connect(self._show_clip)
        self._show_clip(state.clip)

    def _show_clip(self, clip: Clip | None) -> None:
        if clip is None:
            self.waveform.set_peaks(np.zeros((0, 2), np.float32))
            self.waveform.set_playhead(0.0)
        else:
            self.waveform.set_peaks(clip.spool.peaks())
        has_audio = clip is not None and clip.frames > 0
        for button in (*self.export_buttons.values(), self.export_as_button):
            button.setEnabled(has_audio)
        self.play_button.setEnabled(has_audio and self._can_play())
