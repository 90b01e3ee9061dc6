"""The Music panel: a piano roll, melody A and B, morphing, continuation and playback.

Models run in jobs (sampling, continuing, variations, rendering); the interpolation
slider and the attribute sliders re-decode in the GUI thread, since a 2-bar VAE decode
takes milliseconds once the model is loaded. Playback uses QtMultimedia when the system
has an audio output; where it does not (no PulseAudio library, no device), the panel
says so and offers export only.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QMimeData, QPoint, QRect, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QDrag,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QMoveEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from engines.catalogue import Task
from engines.errors import SozoError, describe_error
from engines.jobs import Job, JobState
from engines.music.data import (
    PITCH_HIGH,
    PITCH_LOW,
    STEPS_PER_BAR,
    STEPS_PER_QUARTER,
    MidiPart,
    Note,
    notes_to_tokens,
    pitch_name,
    read_midi,
    tokens_to_notes,
)
from studio import playback
from studio.context import StudioContext
from studio.panels.base import PanelBase

INSTRUMENT_NAMES = (
    "piano", "electric piano", "harpsichord", "music box", "vibraphone", "organ",
    "accordion", "nylon guitar", "steel guitar", "violin", "cello", "strings",
    "trumpet", "clarinet", "flute", "pan flute", "whistle", "bagpipe", "fiddle",
)  # fmt: skip
ATTRIBUTE_LABELS = {"density": "Note density", "range": "Pitch range", "syncopation": "Syncopation"}


def audio_output_status() -> tuple[bool, str]:
    """(can play, why not): never raises, whatever the system lacks."""
    support = playback.playback_support()
    if support.available:
        return True, ""
    return False, f"Playback is off: {support.reason}. Export the melody to hear it."


class PianoRollWidget(QWidget):
    """An editable piano roll of one monophonic melody.

    Click an empty cell to add an 8th note, drag a note to move it, right-click or
    double-click a note (or select it and press Delete) to remove it. ``editable`` False
    makes a thumbnail that emits ``clicked`` instead.
    """

    notes_changed = Signal()
    clicked = Signal()
    view_changed = Signal()  # the pitch range or the rows' place on screen moved

    def __init__(self, editable: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editable = editable
        self._tokens = np.zeros(2 * STEPS_PER_BAR, dtype=np.int64)
        self._notes: list[Note] = []
        self._drag: tuple[int, int, int] | None = None  # (note index, step offset, pitch offset)
        self._selected: int | None = None
        self.playhead: float | None = None  # in steps
        self.low, self.high = 55, 84
        self.setMinimumHeight(220 if editable else 56)
        self.setMinimumWidth(160 if not editable else 400)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus if editable else Qt.FocusPolicy.NoFocus)
        self.setMouseTracking(False)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.view_changed.emit()

    def moveEvent(self, event: QMoveEvent) -> None:  # scrolling moves the roll
        super().moveEvent(event)
        self.view_changed.emit()

    # -- the melody ----------------------------------------------------------------
    def tokens(self) -> np.ndarray:
        return self._tokens.copy()

    def notes(self) -> list[Note]:
        return list(self._notes)

    def set_tokens(self, tokens: np.ndarray, *, emit: bool = False) -> None:
        steps = max(STEPS_PER_BAR, -(-len(tokens) // STEPS_PER_BAR) * STEPS_PER_BAR)
        self._tokens = np.zeros(steps, dtype=np.int64)
        self._tokens[: len(tokens)] = tokens
        self._notes = tokens_to_notes(self._tokens)
        self._selected = None
        self._fit_range()
        if self.editable:  # long melodies scroll rather than squeeze their notes
            self.setMinimumWidth(max(400, steps * 8))
        self.update()
        self.view_changed.emit()
        if emit:
            self.notes_changed.emit()

    def _fit_range(self) -> None:
        if self._notes:
            lo = min(n.pitch for n in self._notes) - 3
            hi = max(n.pitch for n in self._notes) + 3
        else:
            lo, hi = 60, 72
        middle = (lo + hi) // 2
        half = max(12, (hi - lo + 1) // 2)
        self.low = max(PITCH_LOW, middle - half)
        self.high = min(PITCH_HIGH - 1, middle + half)

    def _commit(self) -> None:
        self._tokens = notes_to_tokens(self._notes, len(self._tokens))
        self._notes = tokens_to_notes(self._tokens)
        self.update()
        self.notes_changed.emit()

    # -- geometry -------------------------------------------------------------------
    @property
    def steps(self) -> int:
        return len(self._tokens)

    def _cell(self) -> tuple[float, float]:
        rows = self.high - self.low + 1
        return self.width() / max(1, self.steps), self.height() / max(1, rows)

    def row_span(self, pitch: int) -> tuple[float, float]:
        """(top, height) of a pitch's row, in the roll's own coordinates."""
        _, h = self._cell()
        return (self.high - pitch) * h, h

    def cell_at(self, pos: QPoint) -> tuple[int, int]:
        """(step, pitch) under a point."""
        w, h = self._cell()
        step = int(pos.x() // w)
        pitch = self.high - int(pos.y() // h)
        return max(0, min(self.steps - 1, step)), max(self.low, min(self.high, pitch))

    def note_rect(self, note: Note) -> QRect:
        w, h = self._cell()
        return QRect(
            int(note.start * w),
            int((self.high - note.pitch) * h),
            max(2, int(note.length * w) - 1),
            max(2, int(h) - 1),
        )

    def _note_at(self, pos: QPoint) -> int | None:
        step, pitch = self.cell_at(pos)
        for i, n in enumerate(self._notes):
            if n.pitch == pitch and n.start <= step < n.start + n.length:
                return i
        return None

    # -- painting ---------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#1e1f24"))
        w, h = self._cell()
        if self.editable:
            for pitch in range(self.low, self.high + 1):
                if pitch % 12 in (1, 3, 6, 8, 10):
                    p.fillRect(
                        QRect(0, int((self.high - pitch) * h), self.width(), int(h) + 1),
                        QColor("#18191d"),
                    )
        for s in range(0, self.steps + 1, STEPS_PER_QUARTER):
            p.setPen(QPen(QColor("#5a5d68" if s % STEPS_PER_BAR == 0 else "#2c2e35")))
            p.drawLine(int(s * w), 0, int(s * w), self.height())
        for i, n in enumerate(self._notes):
            colour = "#f0b35a" if i == self._selected else "#7fb8ff"
            p.fillRect(self.note_rect(n), QColor(colour))
        if self.playhead is not None:
            p.setPen(QPen(QColor("#ff5a5a"), 2))
            x = int(self.playhead * w)
            p.drawLine(x, 0, x, self.height())
        p.end()

    # -- editing --------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if not self.editable:
            self.clicked.emit()
            return
        pos = event.position().toPoint()
        hit = self._note_at(pos)
        if event.button() == Qt.MouseButton.RightButton:
            if hit is not None:
                self.delete_note(hit)
            return
        step, pitch = self.cell_at(pos)
        if hit is None:
            self._notes.append(Note(pitch, step, 2))
            self._commit()
            hit = self._note_at(pos)
        self._selected = hit
        if hit is not None:
            n = self._notes[hit]
            self._drag = (hit, step - n.start, pitch - n.pitch)
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is None:
            return
        index, dstep, dpitch = self._drag
        step, pitch = self.cell_at(event.position().toPoint())
        n = self._notes[index]
        start = max(0, min(self.steps - n.length, step - dstep))
        moved = Note(pitch - dpitch, start, n.length)
        if moved != n:
            self._notes[index] = moved
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            index = self._drag[0]
            self._drag = None
            moved = self._notes[index]
            # Notes the moved one now overlaps give way to it (the melody stays monophonic).
            self._notes = [moved] + [
                n for i, n in enumerate(self._notes)
                if i != index and (n.start + n.length <= moved.start or n.start >= moved.start + moved.length)
            ]  # fmt: skip
            self._selected = None
            self._commit()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        hit = self._note_at(event.position().toPoint())
        if self.editable and hit is not None:
            self.delete_note(hit)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self._selected is not None:
            self.delete_note(self._selected)
        else:
            super().keyPressEvent(event)

    def delete_note(self, index: int) -> None:
        del self._notes[index]
        self._selected = None
        self._commit()


class PianoKeyboardWidget(QWidget):
    """The piano keys beside a piano roll, row for row, with note names (C4 = middle C).

    It stays put while the roll scrolls sideways, and follows the roll's pitch range and
    height. Every C is named; where the rows are tall enough every white key is.
    """

    BLACK_KEYS = (1, 3, 6, 8, 10)  # pitch classes

    def __init__(self, roll: PianoRollWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.roll = roll
        self.setObjectName("pianoKeyboard")
        self.setFixedWidth(46)
        roll.view_changed.connect(self.update)

    def _roll_offset(self) -> float:
        """Where the roll's top is, in this widget's coordinates."""
        top = self.roll.mapToGlobal(QPoint(0, 0)).y()
        return float(top - self.mapToGlobal(QPoint(0, 0)).y())

    def labels(self) -> list[tuple[str, int, QRect]]:
        """(name, pitch, text box) of the keys that show their name."""
        offset = self._roll_offset()
        out = []
        for pitch in range(self.roll.low, self.roll.high + 1):
            top, height = self.roll.row_span(pitch)
            named = pitch % 12 == 0 or (height >= 12 and pitch % 12 not in self.BLACK_KEYS)
            if named:
                box = QRect(2, int(offset + top), self.width() - 6, max(1, int(height)))
                out.append((pitch_name(pitch), pitch, box))
        return out

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#1e1f24"))
        offset = self._roll_offset()
        for pitch in range(self.roll.low, self.roll.high + 1):
            top, height = self.roll.row_span(pitch)
            row = QRect(0, int(offset + top), self.width(), int(height) + 1)
            if pitch % 12 in self.BLACK_KEYS:
                p.fillRect(row.adjusted(0, 0, -14, 0), QColor("#101114"))
                p.fillRect(row.adjusted(self.width() - 14, 0, 0, 0), QColor("#d8d8dc"))
            else:
                p.fillRect(row, QColor("#e8e8ec"))
            if pitch % 12 in (0, 5):  # the gaps between E-F and B-C have no black key
                p.setPen(QPen(QColor("#8a8c94")))
                p.drawLine(0, row.bottom(), self.width(), row.bottom())
        font = QFont(self.font())
        for name, pitch, box in self.labels():
            font.setPixelSize(max(7, min(11, box.height() - 1)))
            font.setBold(pitch % 12 == 0)
            p.setFont(font)
            p.setPen(QColor("#202126"))
            p.drawText(box, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, name)
        p.end()


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
        self.label = QLabel(f"<b>Melody {name}</b> — empty (sample, take the roll, or drop a .mid)")
        self.label.setWordWrap(True)
        row.addWidget(self.label, 1)
        self.sample_button = QPushButton("Sample")
        self.take_button = QPushButton("From roll")
        self.take_button.setToolTip("Use the melody drawn in the piano roll")
        row.addWidget(self.sample_button)
        row.addWidget(self.take_button)
        layout.addLayout(row)
        self.roll = PianoRollWidget(editable=False)
        self.roll.setFixedHeight(48)
        layout.addWidget(self.roll)
        self.name = name
        self.tokens: np.ndarray | None = None
        self.latent: np.ndarray | None = None

    def set_melody(self, tokens: np.ndarray, source: str) -> None:
        self.tokens = tokens
        self.latent = None
        self.roll.set_tokens(tokens)
        self.label.setText(
            f"<b>Melody {self.name}</b> — {source}, {len(tokens) // STEPS_PER_BAR} bars"
        )

    def dragEnterEvent(self, event: Any) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].toLocalFile().lower().endswith((".mid", ".midi")):
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        urls = event.mimeData().urls()
        if urls:
            self.midi_dropped.emit(urls[0].toLocalFile())


class FileDragLabel(QLabel):
    """A handle that drags a freshly written file (audio or MIDI) out of the studio."""

    def __init__(self, text: str, make_file: Any, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.make_file = make_file
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setToolTip("Drag this into a file manager, a DAW or a video editor")
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self._press: QPoint | None = None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None or (event.position().toPoint() - self._press).manhattanLength() < 8:
            return
        self._press = None
        mime = self.mime_data()
        if mime is None:
            return
        drag = QDrag(self)
        drag.setMimeData(mime)
        drag.exec(Qt.DropAction.CopyAction)

    def mime_data(self) -> QMimeData | None:
        """What a drag carries: the URL of the file just written (None if it failed)."""
        path = self.make_file()
        if path is None:
            return None
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(path))])
        return mime


class MusicPanel(PanelBase):
    """Sketch, sample, morph, continue, play and export melodies."""

    task = Task.music
    title = "Music"
    subtitle = "Sketch a melody, morph one tune into another, continue it, and hear it on real instruments."

    melody_changed = Signal()

    def __init__(self, context: StudioContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._jobs: dict[int, Job[Any]] = {}  # this panel's unfinished jobs
        self._seed = int(time.time()) % 100_000
        self._base_latent: np.ndarray | None = None  # the latent the sliders move from
        self._audio: np.ndarray | None = None
        self._audio_tokens: np.ndarray | None = None
        self._kept: tuple[MidiPart, ...] = ()  # the other tracks of the MIDI file in the roll
        self._sink: Any = None
        self._buffer: Any = None
        self._play_started = 0.0
        self._play_timer = QTimer(self)
        self._play_timer.setInterval(30)
        self._play_timer.timeout.connect(self._tick)
        self.can_play, self.play_message = audio_output_status()
        self._build_prompt_area()
        self._build_output_area()
        self.roll.notes_changed.connect(self._on_roll_edited)
        self.roll.set_tokens(np.zeros(2 * STEPS_PER_BAR, dtype=np.int64))

    # -- layout ---------------------------------------------------------------------------
    def _build_prompt_area(self) -> None:
        outer = QVBoxLayout(self.prompt_area)
        outer.setContentsMargins(0, 0, 0, 0)
        slots = QHBoxLayout()
        self.slot_a, self.slot_b = MelodySlot("A"), MelodySlot("B")
        for slot in (self.slot_a, self.slot_b):
            slots.addWidget(slot, 1)
            slot.sample_button.clicked.connect(lambda _=False, s=slot: self.sample_into(s))
            slot.take_button.clicked.connect(lambda _=False, s=slot: self.take_roll_into(s))
            slot.midi_dropped.connect(lambda path, s=slot: self.load_midi_into(s, Path(path)))
            slot.roll.clicked.connect(lambda s=slot: self._show_slot(s))
        outer.addLayout(slots)

        morph = QHBoxLayout()
        morph.addWidget(QLabel("A"))
        self.morph_slider = QSlider(Qt.Orientation.Horizontal)
        self.morph_slider.setObjectName("morphSlider")
        self.morph_slider.setRange(0, 100)
        self.morph_slider.setEnabled(False)
        self.morph_slider.setToolTip("Morph melody A into melody B (needs both)")
        self.morph_slider.valueChanged.connect(self._on_morph)
        morph.addWidget(self.morph_slider, 1)
        morph.addWidget(QLabel("B"))
        outer.addLayout(morph)
        self.strip = QHBoxLayout()
        self.strip_rolls: list[PianoRollWidget] = []
        for i in range(5):
            roll = PianoRollWidget(editable=False)
            roll.setFixedHeight(40)
            roll.clicked.connect(lambda i=i: self._on_strip_clicked(i))
            self.strip_rolls.append(roll)
            self.strip.addWidget(roll)
        outer.addLayout(self.strip)

        grid = QGridLayout()
        self.attribute_sliders: dict[str, QSlider] = {}
        for col, (name, label) in enumerate(ATTRIBUTE_LABELS.items()):
            grid.addWidget(QLabel(label), 0, col)
            slider = QSlider(Qt.Orientation.Horizontal)
            slider.setObjectName(f"{name}Slider")
            slider.setRange(-100, 100)
            slider.setValue(0)
            slider.setToolTip(
                f"Move the melody along the {label.lower()} direction found in the data"
            )
            slider.valueChanged.connect(self._on_attributes)
            grid.addWidget(slider, 1, col)
            self.attribute_sliders[name] = slider
        outer.addLayout(grid)

        controls = QHBoxLayout()
        controls.addWidget(QLabel("Temperature"))
        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(0.0, 2.0)
        self.temperature.setSingleStep(0.1)
        self.temperature.setValue(0.9)
        controls.addWidget(self.temperature)
        controls.addWidget(QLabel("Instrument"))
        self.instrument = QComboBox()
        self.instrument.addItems(INSTRUMENT_NAMES)
        controls.addWidget(self.instrument)
        controls.addWidget(QLabel("Tempo"))
        self.tempo = QSpinBox()
        self.tempo.setRange(40, 240)
        self.tempo.setValue(110)
        self.tempo.setSuffix(" BPM")
        controls.addWidget(self.tempo)
        self.accompaniment = QCheckBox("Bass and chords")
        controls.addWidget(self.accompaniment)
        controls.addStretch(1)
        outer.addLayout(controls)

        actions = QHBoxLayout()
        self.sample_button = QPushButton("Sample")
        self.sample_button.setObjectName("generateButton")
        self.sample_button.setToolTip("A new melody (Ctrl+Enter)")
        self.sample_button.clicked.connect(self.generate)
        actions.addWidget(self.sample_button)
        actions.addWidget(QLabel("Bars"))
        self.bars = QSpinBox()
        self.bars.setRange(1, 32)
        self.bars.setValue(8)
        actions.addWidget(self.bars)
        self.continue_button = QPushButton("Continue")
        self.continue_button.setToolTip("Add the number of bars above after the melody")
        self.continue_button.clicked.connect(self.continue_melody)
        actions.addWidget(self.continue_button)
        self.variations_button = QPushButton("Variations")
        self.variations_button.setToolTip("Melodies near this one (from the VAE's latent space)")
        self.variations_button.clicked.connect(self.make_variations)
        actions.addWidget(self.variations_button)
        actions.addStretch(1)
        self.play_button = QPushButton("Play")
        self.play_button.setObjectName("playButton")
        self.play_button.clicked.connect(self.toggle_play)
        actions.addWidget(self.play_button)
        self.format = QComboBox()
        self.format.addItems(["wav", "flac", "ogg", "mp3"])
        actions.addWidget(self.format)
        self.export_button = QPushButton("Export")
        self.export_button.setObjectName("exportButton")
        self.export_button.setToolTip("Write audio and MIDI to the output folder")
        self.export_button.clicked.connect(self.export_clicked)
        actions.addWidget(self.export_button)
        outer.addLayout(actions)

    def _build_output_area(self) -> None:
        layout = QVBoxLayout(self.output_area)
        layout.setContentsMargins(0, 8, 0, 0)
        self.roll = PianoRollWidget(editable=True)
        self.roll.setObjectName("pianoRoll")
        scroll = QScrollArea()
        scroll.setWidget(self.roll)
        scroll.setWidgetResizable(True)
        roll_row = QHBoxLayout()
        roll_row.setSpacing(0)
        self.keyboard = PianoKeyboardWidget(self.roll)
        roll_row.addWidget(self.keyboard)
        roll_row.addWidget(scroll, 1)
        layout.addLayout(roll_row, 1)
        row = QHBoxLayout()
        self.status = QLabel(
            "Sample a melody, or draw one: click to add notes, drag to move, right-click to delete."
        )
        self.status.setObjectName("musicStatus")
        self.status.setWordWrap(True)
        row.addWidget(self.status, 1)
        self.drag_audio = FileDragLabel("⇱ audio", lambda: self._export_for_drag("audio"))
        self.drag_midi = FileDragLabel("⇱ MIDI", lambda: self._export_for_drag("midi"))
        row.addWidget(self.drag_audio)
        row.addWidget(self.drag_midi)
        layout.addLayout(row)
        self.playback_note = QLabel(self.play_message)
        self.playback_note.setObjectName("playbackNotice")
        self.playback_note.setWordWrap(True)
        self.playback_note.setVisible(not self.can_play)
        layout.addWidget(self.playback_note)
        if not self.can_play:
            self.play_button.setEnabled(False)
            self.play_button.setToolTip(self.play_message)

    # -- current melody ------------------------------------------------------------------
    def melody(self) -> np.ndarray:
        return self.roll.tokens()

    def set_melody(
        self, tokens: np.ndarray, message: str = "", *, keep_latent: bool = False, kept: Any = ()
    ) -> None:
        """Show a melody; ``kept``: the parts of its MIDI file that play under it."""
        self.stop()
        self.roll.set_tokens(tokens)
        self._kept = tuple(kept)
        if not keep_latent:
            self._base_latent = None
            self._reset_attribute_sliders()
        self._audio = None
        if message:
            self.status.setText(message)
        self.melody_changed.emit()

    def _on_roll_edited(self) -> None:
        self._base_latent = None
        self._audio = None
        self._reset_attribute_sliders()
        self.melody_changed.emit()

    def _reset_attribute_sliders(self) -> None:
        for slider in self.attribute_sliders.values():
            slider.blockSignals(True)  # a reset is not a user move: no re-decode
            slider.setValue(0)
            slider.blockSignals(False)

    def _next_seed(self) -> int:
        self._seed += 1
        return self._seed

    # -- jobs ------------------------------------------------------------------------------
    def _submit(self, title: str, work: Any, on_done: Any) -> Job[Any]:
        """Run ``work`` as a job; ``on_done(result)`` only if it finishes."""
        job: Job[Any] = Job(title, work, task=self.task.value)
        self._jobs[job.id] = job
        self.status.setText(f"{title}…")

        def finished(job: Job[Any]) -> None:
            self._jobs.pop(job.id, None)
            if job.state is JobState.finished:
                on_done(job.result)
            elif job.state is JobState.failed:
                self.status.setText(f"{job.title} failed: {job.error}")
            else:
                self.status.setText(f"{job.title} cancelled.")

        self.context.runner.submit(job, on_done=finished, on_progress=self._on_job_progress)
        return job

    def _on_job_progress(self, job: Job[Any]) -> None:
        if job.progress is not None and job.progress.message:
            self.status.setText(f"{job.title}: {job.progress.message}")

    def generate(self) -> None:
        """Sample a new melody of the chosen number of bars into the piano roll."""
        bars, seed, temperature = self.bars.value(), self._next_seed(), self.temperature.value()

        def work(ctx: Any) -> Any:
            from engines.music import compose

            return compose.sample(bars, seed, temperature, ctx)

        self._submit(
            "Sample melody",
            work,
            lambda m: self.set_melody(m.tokens, f"Sampled {bars} bars (seed {seed})."),
        )

    def sample_into(self, slot: MelodySlot) -> None:
        seed, temperature = self._next_seed(), self.temperature.value()

        def work(ctx: Any) -> Any:
            from engines.music import compose

            melody = compose.sample(2, seed, temperature, ctx)
            return melody.tokens, compose.latents_of(melody.tokens)

        def done(result: Any) -> None:
            tokens, latent = result
            slot.set_melody(tokens, f"sampled (seed {seed})")
            slot.latent = latent
            self.set_melody(tokens, f"Melody {slot.name} sampled (seed {seed}).")
            self._update_morph()

        self._submit(f"Sample melody {slot.name}", work, done)

    def take_roll_into(self, slot: MelodySlot) -> None:
        tokens = self.melody()
        if not (tokens >= 2).any():
            self.status.setText("The piano roll is empty: draw some notes first.")
            return
        slot.set_melody(tokens, "drawn")
        self._encode_slot(slot)

    def load_midi_into(self, slot: MelodySlot, path: Path) -> None:
        try:
            read = read_midi(path)
        except SozoError as exc:
            self.status.setText(str(exc))
            return
        except Exception as exc:  # never let a strange file take the window down
            self.status.setText(describe_error(exc))
            return
        slot.set_melody(read.tokens, path.name)
        self._encode_slot(slot)  # before the message, which its "Read melody…" would hide
        notes = " ".join(f"Note: {n}." for n in read.notices)
        message = f"Loaded {path.name} into melody {slot.name}: {read.summary()}. {notes}"
        self.tempo.setValue(round(read.tempo_bpm))  # the kept tracks play at the file's tempo
        self.set_melody(read.tokens, message.strip(), kept=read.accompaniment)

    def _encode_slot(self, slot: MelodySlot) -> None:
        tokens = slot.tokens
        if tokens is None:
            return

        def work(ctx: Any) -> Any:
            from engines.music import compose

            return compose.latents_of(tokens)

        def done(latent: Any) -> None:
            slot.latent = latent
            self._update_morph()

        self._submit(f"Read melody {slot.name}", work, done)

    def _show_slot(self, slot: MelodySlot) -> None:
        if slot.tokens is not None:
            self.set_melody(slot.tokens, f"Melody {slot.name} in the roll.")

    # -- morphing ---------------------------------------------------------------------------
    def _morph_latents(self) -> tuple[np.ndarray, np.ndarray] | None:
        a, b = self.slot_a.latent, self.slot_b.latent
        if a is None or b is None:
            return None
        chunks = min(len(a), len(b))
        return a[:chunks], b[:chunks]

    def _update_morph(self) -> None:
        pair = self._morph_latents()
        self.morph_slider.setEnabled(pair is not None)
        if pair is None:
            return
        from engines.music import compose

        model = compose.vae()
        for roll, t in zip(self.strip_rolls, np.linspace(0, 1, len(self.strip_rolls)), strict=True):
            roll.set_tokens(model.decode(model.interpolate(pair[0], pair[1], float(t))))
        self.status.setText(
            "Drag the slider to morph melody A into melody B; click an in-between melody to take it."
        )

    def _on_morph(self, value: int) -> None:
        pair = self._morph_latents()
        if pair is None:
            return
        from engines.music import compose

        model = compose.vae()
        z = model.interpolate(pair[0], pair[1], value / 100.0)
        self.set_melody(model.decode(z), f"{100 - value}% A, {value}% B.")
        self._base_latent = z

    def _on_strip_clicked(self, index: int) -> None:
        self.set_melody(
            self.strip_rolls[index].tokens(),
            f"In-between melody {index + 1} of {len(self.strip_rolls)}.",
        )

    def _on_attributes(self) -> None:
        from engines.music import compose

        if self._base_latent is None:
            tokens = self.melody()
            if not (tokens >= 2).any():
                return
            try:
                self._base_latent = compose.latents_of(tokens)
            except SozoError as exc:
                self.status.setText(str(exc))
                return
        amounts = {name: s.value() / 50.0 for name, s in self.attribute_sliders.items()}
        self.set_melody(
            compose.decode(self._base_latent, amounts), "Attributes applied.", keep_latent=True
        )

    # -- continue and variations ----------------------------------------------------------------
    def continue_melody(self) -> None:
        tokens, bars = self.melody(), self.bars.value()
        seed, temperature = self._next_seed(), self.temperature.value()
        if not (tokens >= 2).any():
            self.status.setText("Nothing to continue: sample or draw a melody first.")
            return

        def work(ctx: Any) -> Any:
            from engines.music import compose

            return compose.extend(compose.Melody(tokens), bars, temperature, seed, ctx)

        kept, done = self._kept, f"Continued by {bars} bars."  # the file's other tracks stay
        self._submit("Continue melody", work, lambda m: self.set_melody(m.tokens, done, kept=kept))

    def make_variations(self) -> None:
        tokens, seed = self.melody(), self._next_seed()
        if not (tokens >= 2).any():
            self.status.setText("Nothing to vary: sample or draw a melody first.")
            return

        def work(ctx: Any) -> Any:
            from engines.music import compose

            return compose.variations(compose.Melody(tokens), len(self.strip_rolls), 0.6, seed)

        def done(found: Any) -> None:
            for roll, m in zip(self.strip_rolls, found, strict=False):
                roll.set_tokens(m.tokens)
            self.status.setText("Variations below the slider: click one to take it.")

        self._submit("Variations", work, done)

    # -- rendering, playback and export ------------------------------------------------------------
    def _arrangement(self) -> Any:
        from engines.music.render import Arrangement

        return Arrangement(
            self.melody(),
            self.instrument.currentText(),
            float(self.tempo.value()),
            self.accompaniment.isChecked(),
            kept=self._kept,
        )

    def _settings_comment(self) -> str:
        from engines.music.render import describe

        return describe(
            {
                "models": "melody-vae-2bar+melody-transformer",
                "seed": self._seed,
                "temperature": self.temperature.value(),
                "instrument": self.instrument.currentText(),
                "tempo": self.tempo.value(),
                "accompaniment": self.accompaniment.isChecked(),
            }
        )

    def export_to(self, audio_path: Path, midi_path: Path | None = None) -> Job[Any]:
        """Render and write the melody (a job); the status line names the files."""
        arrangement, comment = self._arrangement(), self._settings_comment()

        def work(ctx: Any) -> Any:
            from engines.music import render

            ctx.report(0, 2, message="rendering")
            audio = render.render(arrangement)
            tags = {"title": "Sōzō Studio melody", "comment": comment, "software": "Sōzō Studio"}
            render.export_audio(audio_path, audio, tags)
            if midi_path is not None:
                render.export_midi(midi_path, arrangement, "Sōzō Studio melody")
            files = [str(audio_path)] + ([str(midi_path)] if midi_path else [])
            return f"Wrote {', '.join(files)}; {render.loudness_note(audio)}."

        return self._submit("Export melody", work, self.status.setText)

    def export_clicked(self) -> None:
        folder = Path(self.context.settings.output_dir)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.status.setText(f"Cannot use the output folder {folder}: {exc}")
            return
        stem = folder / time.strftime("melody-%Y%m%d-%H%M%S")
        self.export_to(stem.with_suffix("." + self.format.currentText()), stem.with_suffix(".mid"))

    def _export_for_drag(self, kind: str) -> Path | None:
        """Write the file to drag synchronously (a drag needs it now)."""
        from engines.music import render

        folder = Path(tempfile.mkdtemp(prefix="sozo-music-"))
        try:
            if kind == "midi":
                return render.export_midi(
                    folder / "melody.mid", self._arrangement(), "Sōzō Studio melody"
                )
            audio = render.render(self._arrangement())
            return render.export_audio(folder / f"melody.{self.format.currentText()}", audio)
        except SozoError as exc:
            self.status.setText(str(exc))
            return None

    def toggle_play(self) -> None:
        if self._sink is not None:
            self.stop()
            return
        if not self.can_play:
            self.status.setText(self.play_message)
            return
        arrangement = self._arrangement()

        def work(ctx: Any) -> Any:
            from engines.music import render

            ctx.report(0, 1, message="rendering")
            return render.render(arrangement)

        def done(audio: Any) -> None:
            self._audio = audio
            self._start_playback(audio, arrangement.seconds_per_step())

        self._submit("Render melody", work, done)

    def _start_playback(self, audio: np.ndarray, seconds_per_step: float) -> None:
        from PySide6.QtCore import QBuffer, QByteArray, QIODevice
        from PySide6.QtMultimedia import QAudio, QAudioFormat, QAudioSink

        from engines.music.render import SAMPLE_RATE

        fmt = QAudioFormat()
        fmt.setSampleRate(SAMPLE_RATE)
        fmt.setChannelCount(2)
        fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        pcm = (np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes()
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pcm))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._sink = QAudioSink(fmt, self)
        self._sink.stateChanged.connect(
            lambda s: self.stop() if s == QAudio.State.IdleState else None
        )
        self._seconds_per_step = seconds_per_step
        self._sink.start(self._buffer)
        self._play_started = time.monotonic()
        self._play_timer.start()
        self.play_button.setText("Stop")

    def _tick(self) -> None:
        if self._sink is None:
            return
        elapsed = self._sink.processedUSecs() / 1e6 or (time.monotonic() - self._play_started)
        self.roll.playhead = elapsed / self._seconds_per_step
        self.roll.update()

    def stop(self) -> None:
        """Stop playback (and the playhead)."""
        if self._sink is not None:
            sink, self._sink = self._sink, None
            sink.stop()
            sink.deleteLater()
        self._play_timer.stop()
        self.roll.playhead = None
        self.roll.update()
        self.play_button.setText("Play")

    def cancel(self) -> None:
        self.stop()
        super().cancel()
