"""The Speech panel: type a script, pick or blend a voice, hear it, export it.

Audio flows from the engine's sentence generator (on the job runner's worker thread) into
a :class:`ClipSpool`: raw 16-bit samples in a file under the cache plus a small peak
envelope for the waveform, so a long script needs little memory. The panel redraws from
the spool when the job reports; playback (QtMultimedia, where the system has an audio
library) reads the same file, so it starts as soon as the first sentence is written.

The first audio is quick because the selected voice is loaded (and warmed up) as a job
shortly after the panel is shown or the voice changes, not when Speak is pressed, and
because the engines speak the first sentence's first clause as a chunk of its own.
"""

from __future__ import annotations

import itertools
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QDrag, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from engines import paths
from engines.catalogue import Task
from engines.errors import SozoError, describe_error
from engines.jobs import Job, JobContext, JobState
from engines.speech.types import SpeechRequest
from studio import playback
from studio.panels.base import PanelBase

PEAK_BIN = 256  # samples per waveform bin
PRELOAD_DELAY_MS = 800  # after the panel shows: let the window paint and the device probe start
PREVIEW_TEXT = "こんにちは。声のブレンドを試しています。"
EXPORT_FORMATS = ("wav", "flac", "ogg", "mp3")
_clip_numbers = itertools.count(1)


# -- the clip being made ---------------------------------------------------------------


class ClipSpool:
    """Audio made so far: 16-bit samples in a file, and a min/max envelope in memory.

    Written by the job's worker thread, read by the GUI thread; a lock guards the counts.
    """

    def __init__(self, sample_rate: int, folder: Path | None = None) -> None:
        self.sample_rate = sample_rate
        folder = folder or paths.cache_dir() / "speech"
        folder.mkdir(parents=True, exist_ok=True)
        # Kept open for the clip's life (closed in close()), hence no context manager.
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
            prefix="clip-", suffix=".pcm", dir=folder, delete=False
        )
        self.path = Path(handle.name)
        self._file = handle
        self._lock = threading.Lock()
        self._frames = 0
        self._peaks: list[np.ndarray] = []  # (bins, 2) min/max blocks
        self._tail = np.zeros(0, dtype=np.float32)  # samples not yet in a full bin
        self.sentences: list[tuple[int, str]] = []  # (start frame, text)
        self.finished = False

    def append(self, audio: np.ndarray, text: str = "") -> None:
        pcm = (np.clip(audio, -1.0, 1.0) * 32767).astype("<i2")
        self._file.write(pcm.tobytes())
        self._file.flush()
        data = np.concatenate([self._tail, audio.astype(np.float32)])
        n_bins = data.size // PEAK_BIN
        block = data[: n_bins * PEAK_BIN].reshape(n_bins, PEAK_BIN)
        peaks = np.stack([block.min(axis=1), block.max(axis=1)], axis=1)
        with self._lock:
            if text:
                self.sentences.append((self._frames, text))
            self._frames += audio.size
            self._peaks.append(peaks)
            self._tail = data[n_bins * PEAK_BIN :]

    def finish(self) -> None:
        with self._lock:
            self.finished = True
        self._file.flush()

    @property
    def frames(self) -> int:
        with self._lock:
            return self._frames

    @property
    def duration(self) -> float:
        return self.frames / self.sample_rate

    def peaks(self) -> np.ndarray:
        """(bins, 2) min/max of each :data:`PEAK_BIN` samples."""
        with self._lock:
            if len(self._peaks) > 1:
                self._peaks = [np.concatenate(self._peaks)]
            return self._peaks[0] if self._peaks else np.zeros((0, 2), np.float32)

    def read(self, start: int, count: int) -> np.ndarray:
        """Samples ``start`` to ``start + count`` as float32 (fewer at the end)."""
        with self.path.open("rb") as f:
            f.seek(start * 2)
            raw = f.read(count * 2)
        return np.frombuffer(raw[: len(raw) // 2 * 2], dtype="<i2").astype(np.float32) / 32767

    def read_bytes(self, offset: int, count: int) -> bytes:
        with self.path.open("rb") as f:
            f.seek(offset)
            return f.read(count)

    def export(self, path: Path, tags: Any) -> Path:
        """Write the clip to WAV/FLAC/OGG/MP3 (from ``path``'s extension), in blocks."""
        from engines.speech.audio import AudioWriter

        block = self.sample_rate * 30
        with AudioWriter(path, self.sample_rate, tags) as writer:
            for start in range(0, self.frames, block):
                writer.write(self.read(start, block))
        return path

    def close(self) -> None:
        self._file.close()
        self.path.unlink(missing_ok=True)


def speak_work(request: SpeechRequest, holder: dict[str, Any]) -> Any:
    """The job: stream the request's sentences into a new :class:`ClipSpool`.

    ``holder`` receives the stream and the spool as soon as they exist, so the panel can
    draw and play while later sentences are made; the spool is the job's partial result.
    """

    def work(ctx: JobContext) -> ClipSpool:
        from engines import speech

        stream = speech.stream(request, ctx)
        spool = ClipSpool(stream.sample_rate)
        holder["stream"], holder["spool"] = stream, spool
        ctx.keep_partial(spool)
        total = 0
        done = 0
        try:
            ctx.report(0, 1, message="Speaking…")
            for chunk in stream:
                spool.append(chunk.audio, chunk.text)
                if chunk.text and chunk.ends_sentence:
                    done += 1
                if not total:  # counted after the first audio, so as not to delay it
                    total = max(1, stream.sentences_total)
                ctx.report(min(done, total), total, message=f"{spool.duration:.1f} s of audio")
        finally:
            spool.finish()
        return spool

    return work


def preload_work(voice_id: str, catalogue: Any) -> Any:
    """The job that loads and warms up a voice's engine before the user presses Speak."""

    def work(ctx: JobContext) -> str:
        from engines import speech

        ctx.report(0, 1, message=f"Loading the voice {voice_id}…")
        name = speech.preload(voice_id, catalogue)
        ctx.report(1, 1, message=f"{name} is ready")
        return name

    return work


# -- playback --------------------------------------------------------------------------


def playback_support() -> tuple[bool, str]:
    """Whether the panel can play, and the notice to show where it cannot."""
    support = playback.playback_support()
    if support.available:
        return True, ""
    return False, (
        f"Playback is off: {support.reason}. Everything else works: export the audio to "
        "listen to it."
    )


class ClipPlayer:
    """Plays a growing :class:`ClipSpool` with ``QAudioSink`` in push mode.

    A timer tops the sink's buffer up from the spool file, so playback can start after
    the first sentence and follow generation. Created only where :func:`playback_support`
    said yes.
    """

    def __init__(self, parent: QWidget) -> None:
        from PySide6.QtMultimedia import QAudioFormat, QAudioSink, QMediaDevices

        self._QAudioSink, self._QAudioFormat = QAudioSink, QAudioFormat
        self._device = QMediaDevices.defaultAudioOutput()
        self._sink: Any = None
        self._io: Any = None
        self._spool: ClipSpool | None = None
        self._start_frame = 0
        self._written = 0  # frames handed to the sink since start
        self.playing = False
        self._timer = QTimer(parent)
        self._timer.setInterval(30)
        self._timer.timeout.connect(self._feed)

    def play(self, spool: ClipSpool, start_frame: int) -> None:
        self.stop()
        fmt = self._QAudioFormat()
        fmt.setSampleRate(spool.sample_rate)
        fmt.setChannelCount(1)
        fmt.setSampleFormat(self._QAudioFormat.SampleFormat.Int16)
        self._sink = self._QAudioSink(self._device, fmt)
        self._sink.setBufferSize(spool.sample_rate)  # half a second of 16-bit audio
        self._io = self._sink.start()
        self._spool, self._start_frame, self._written = spool, start_frame, 0
        self.playing = True
        self._feed()
        self._timer.start()

    def _feed(self) -> None:
        if self._sink is None or self._spool is None or self._io is None:
            return
        free = self._sink.bytesFree()
        offset = (self._start_frame + self._written) * 2
        if free > 0:
            data = self._spool.read_bytes(offset, free - free % 2)
            if data:
                self._io.write(data)
                self._written += len(data) // 2
        at_end = self._start_frame + self._written >= self._spool.frames
        if at_end and self._spool.finished and self.position() >= self._spool.frames:
            self.stop()

    def position(self) -> int:
        """The frame being heard."""
        if self._sink is None or self._spool is None:
            return 0
        heard = int(self._sink.processedUSecs() * self._spool.sample_rate / 1_000_000)
        return self._start_frame + min(heard, self._written)

    def stop(self) -> None:
        self._timer.stop()
        if self._sink is not None:
            self._sink.stop()
        self._sink = self._io = None
        self.playing = False


# -- the waveform ----------------------------------------------------------------------


class WaveformWidget(QWidget):
    """The clip's envelope with a playhead. Click to seek; drag out to export as a file."""

    seek_requested = Signal(float)  # fraction of the clip
    drag_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("waveform")
        self.setMinimumHeight(110)
        self._peaks = np.zeros((0, 2), np.float32)
        self._total_bins = 0
        self.playhead = 0.0  # fraction
        self._press: QPoint | None = None

    @property
    def bins(self) -> int:
        return int(self._peaks.shape[0])

    def set_peaks(self, peaks: np.ndarray) -> None:
        self._peaks = peaks
        self.update()

    def set_playhead(self, fraction: float) -> None:
        fraction = max(0.0, min(1.0, fraction))
        if abs(fraction - self.playhead) > 1e-4:
            self.playhead = fraction
            self.update()

    def column_peaks(self, width: int) -> np.ndarray:
        """(width, 2) min/max for each pixel column."""
        n = self.bins
        if n == 0 or width <= 0:
            return np.zeros((0, 2), np.float32)
        edges = np.linspace(0, n, width + 1).astype(int)
        edges[1:] = np.maximum(edges[1:], edges[:-1] + 1)
        edges = np.minimum(edges, n)
        lo = np.minimum.reduceat(self._peaks[:, 0], edges[:-1].clip(0, n - 1))
        hi = np.maximum.reduceat(self._peaks[:, 1], edges[:-1].clip(0, n - 1))
        return np.stack([lo, hi], axis=1)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.rect()
        painter.fillRect(rect, self.palette().base())
        mid = rect.height() / 2
        color = self.palette().highlight().color()
        painter.setPen(QColor(color))
        cols = self.column_peaks(rect.width())
        for x, (lo, hi) in enumerate(cols):
            painter.drawLine(x, int(mid - hi * mid * 0.95), x, int(mid - lo * mid * 0.95))
        if not cols.size:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "The waveform appears here.")
        else:
            painter.setPen(QColor("#e0533d"))
            x = int(self.playhead * (rect.width() - 1))
            painter.drawLine(x, 0, x, rect.height())
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None or not self.bins:
            return
        if (event.position().toPoint() - self._press).manhattanLength() >= 12:
            self._press = None
            self.drag_requested.emit()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._press is not None and self.width() > 0 and self.bins:
            self.seek_requested.emit(event.position().x() / self.width())
        self._press = None


# -- the panel -------------------------------------------------------------------------


def _slider(lo: int, hi: int, value: int) -> QSlider:
    s = QSlider(Qt.Orientation.Horizontal)
    s.setRange(lo, hi)
    s.setValue(value)
    return s


class SpeechPanel(PanelBase):
    """Text box, voice picker, sliders, Speak/Stop, waveform, playback and export."""

    task = Task.speech
    title = "Speech"
    subtitle = "Have a script read by a natural voice in English or Japanese, shape the voice, and export the audio."

    clip_changed = Signal()

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.job: Job[Any] | None = None
        self.preview_job: Job[Any] | None = None
        self._holder: dict[str, Any] = {}
        self.spool: ClipSpool | None = None
        self.clip_tags: Any = None
        self.last_export: Path | None = None
        self._voice_defaults: dict[str, tuple[float, float]] = {}
        self._request = SpeechRequest(text="")
        self._autoplayed = False
        self._paused_at = 0
        self._build_prompt_area()
        self._build_output_area()
        self.setAcceptDrops(True)  # drop a Piper .onnx voice here to add it
        self.playback_ok, self.playback_message = playback_support()
        self.player: ClipPlayer | None = None
        if self.playback_ok:
            try:
                self.player = ClipPlayer(self)
            except Exception as exc:  # a broken audio stack must not break the panel
                self.playback_ok, self.playback_message = False, f"Playback is off: {exc}"
        self.play_button.setEnabled(False)
        self.playback_label.setText(self.playback_message)
        self.playback_label.setVisible(not self.playback_ok)
        self._timer = QTimer(self)
        self._timer.setInterval(40)
        self._timer.timeout.connect(self._tick)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(350)
        self._preview_timer.timeout.connect(self.preview_blend)
        self.preload_job: Job[Any] | None = None
        self._preload_timer = QTimer(self)
        self._preload_timer.setSingleShot(True)
        self._preload_timer.setInterval(PRELOAD_DELAY_MS)
        self._preload_timer.timeout.connect(self.preload_voice)
        self.refresh_voices()

    # -- building ---------------------------------------------------------------------------
    def _build_prompt_area(self) -> None:
        layout = QVBoxLayout(self.prompt_area)
        layout.setContentsMargins(0, 0, 0, 0)
        self.text_edit = QPlainTextEdit()
        self.text_edit.setObjectName("prompt")
        self.text_edit.setPlaceholderText(
            'Type the text to be spoken… Markup: [pause 500ms], <break time="1s"/>, '
            "[voice kokoro:jf_alpha]."
        )
        layout.addWidget(self.text_edit, 1)

        grid = QGridLayout()
        grid.addWidget(QLabel("Voice"), 0, 0)
        self.voice_box = QComboBox()
        self.voice_box.setObjectName("voicePicker")
        self.voice_box.currentIndexChanged.connect(self._on_voice_changed)
        grid.addWidget(self.voice_box, 0, 1, 1, 2)
        self.add_voice_button = QPushButton("Add Piper voice…")
        self.add_voice_button.setToolTip("A Piper .onnx voice with its .onnx.json beside it")
        self.add_voice_button.clicked.connect(self._ask_piper_voice)
        grid.addWidget(self.add_voice_button, 0, 3)

        self.speed_slider = _slider(50, 200, 100)
        self.speed_label = QLabel()
        self.noise_slider = _slider(0, 150, 67)
        self.noise_label = QLabel()
        self.noise_w_slider = _slider(0, 150, 80)
        self.noise_w_label = QLabel()
        rows = (
            ("Speed", self.speed_slider, self.speed_label),
            ("Expressiveness (noise)", self.noise_slider, self.noise_label),
            ("Rhythm (noise w)", self.noise_w_slider, self.noise_w_label),
        )
        for grid_row, (name, slider, label) in enumerate(rows, start=1):
            grid.addWidget(QLabel(name), grid_row, 0)
            grid.addWidget(slider, grid_row, 1, 1, 2)
            grid.addWidget(label, grid_row, 3)
            slider.valueChanged.connect(self._update_slider_labels)

        grid.addWidget(QLabel("Blend with"), 4, 0)
        self.blend_box = QComboBox()
        self.blend_box.setObjectName("blendPicker")
        self.blend_box.addItem("(no blend)", "")
        from engines.speech.kokoro import VOICES

        for v in VOICES:
            self.blend_box.addItem(v, v)
        grid.addWidget(self.blend_box, 4, 1)
        self.blend_slider = _slider(0, 100, 50)
        self.blend_slider.setObjectName("blendSlider")
        self.blend_slider.setToolTip("Weight of the second voice; released: a short preview")
        grid.addWidget(self.blend_slider, 4, 2)
        self.save_blend_button = QPushButton("Save blend…")
        self.save_blend_button.clicked.connect(self._ask_save_blend)
        grid.addWidget(self.save_blend_button, 4, 3)
        self.blend_label = QLabel()
        grid.addWidget(self.blend_label, 5, 1, 1, 3)
        self.blend_box.currentIndexChanged.connect(self._update_blend_label)
        self.blend_slider.valueChanged.connect(self._update_blend_label)
        self.blend_slider.sliderReleased.connect(lambda: self._preview_timer.start())
        layout.addLayout(grid)

        row = QHBoxLayout()
        self.status_label = QLabel("")
        self.status_label.setObjectName("speechStatus")
        self.status_label.setWordWrap(True)
        row.addWidget(self.status_label, 1)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setObjectName("stopButton")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.cancel)
        row.addWidget(self.stop_button)
        self.speak_button = QPushButton("Speak")
        self.speak_button.setObjectName("generateButton")
        self.speak_button.clicked.connect(self.generate)
        row.addWidget(self.speak_button)
        layout.addLayout(row)
        self._update_slider_labels()

    def _build_output_area(self) -> None:
        layout = QVBoxLayout(self.output_area)
        layout.setContentsMargins(0, 8, 0, 0)
        self.waveform = WaveformWidget()
        self.waveform.seek_requested.connect(self.seek)
        self.waveform.drag_requested.connect(self.start_drag)
        self.waveform.setToolTip("Click to seek; drag out to a folder or DAW to get the file")
        layout.addWidget(self.waveform, 1)
        transport = QHBoxLayout()
        self.play_button = QPushButton("Play")
        self.play_button.setObjectName("playButton")
        self.play_button.clicked.connect(self.toggle_play)
        transport.addWidget(self.play_button)
        self.position_label = QLabel("0.0 / 0.0 s")
        transport.addWidget(self.position_label)
        transport.addStretch(1)
        self.export_buttons: dict[str, QPushButton] = {}
        for fmt in EXPORT_FORMATS:
            b = QPushButton(f"Export {fmt.upper()}")
            b.setObjectName(f"export{fmt.upper()}")
            b.setEnabled(False)
            b.clicked.connect(lambda _=False, f=fmt: self._export_clicked(f))
            transport.addWidget(b)
            self.export_buttons[fmt] = b
        layout.addLayout(transport)
        self.playback_label = QLabel()
        self.playback_label.setObjectName("playbackNotice")
        self.playback_label.setWordWrap(True)
        layout.addWidget(self.playback_label)

    # -- voices -------------------------------------------------------------------------------
    def refresh_voices(self, select: str | None = None) -> None:
        from engines.speech import list_voices

        current = select or self.voice_box.currentData()
        self.voice_box.blockSignals(True)
        self.voice_box.clear()
        for v in list_voices(self.context.catalogue):
            label = v.label if v.available else f"{v.label} — not installed"
            self.voice_box.addItem(label, v.id)
            index = self.voice_box.count() - 1
            self.voice_box.setItemData(index, v.message or v.id, Qt.ItemDataRole.ToolTipRole)
        self.voice_box.blockSignals(False)
        found = self.voice_box.findData(current) if current else -1
        self.voice_box.setCurrentIndex(max(0, found))
        self._on_voice_changed()

    def current_voice_id(self) -> str:
        return str(self.voice_box.currentData() or "")

    def _is_kokoro(self) -> bool:
        v = self.current_voice_id()
        return v.startswith(("kokoro:", "blend:"))

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self._preload_timer.start()

    def preload_voice(self) -> Job[Any] | None:
        """Load the selected voice in the background (a job), unless it is loaded, being
        loaded, unavailable, or the panel is hidden."""
        from engines import speech

        voice = self.current_voice_id()
        if not voice or not self.isVisible():
            return None
        pending = self.preload_job
        if pending is not None and not pending.state.is_final:
            if pending.title.endswith(f" {voice}"):
                return None
            pending.cancel()  # still queued for a voice no longer picked
        try:
            speech.find_voice(voice, self.context.catalogue)
            if speech.is_loaded(voice, self.context.catalogue):
                return None
        except SozoError:
            return None  # an unavailable voice: Speak says why
        job: Job[Any] = Job(
            f"Load voice {voice}",
            preload_work(voice, self.context.catalogue),
            task=self.task.value,
        )
        self.preload_job = job
        self.context.runner.submit(job, on_done=self._on_preload_done)
        return job

    def _on_voice_changed(self, *_: object) -> None:
        if self.isVisible():
            self._preload_timer.start()
        kokoro = self._is_kokoro()
        for slider in (self.noise_slider, self.noise_w_slider):
            slider.setEnabled(not kokoro)
        for widget in (self.blend_box, self.blend_slider, self.save_blend_button):
            widget.setEnabled(kokoro)
        if not kokoro:
            noise, noise_w = self._piper_defaults(self.current_voice_id())
            self.noise_slider.setValue(round(noise * 100))
            self.noise_w_slider.setValue(round(noise_w * 100))
        self._update_blend_label()

    def _piper_defaults(self, voice_id: str) -> tuple[float, float]:
        """The voice's own noise scales (from its .onnx.json), shown as slider defaults."""
        if voice_id in self._voice_defaults:
            return self._voice_defaults[voice_id]
        values = (0.667, 0.8)
        try:
            from engines.speech import _piper_files, find_voice
            from engines.speech.piper import PiperConfig

            v = find_voice(voice_id, self.context.catalogue)
            _, config = _piper_files(self.context.catalogue.get(v.model_id))
            c = PiperConfig.from_file(config)
            values = (c.noise_scale, c.noise_w)
        except SozoError:
            pass
        self._voice_defaults[voice_id] = values
        return values

    def _update_slider_labels(self, *_: object) -> None:
        self.speed_label.setText(f"{self.speed_slider.value() / 100:.2f}×")
        self.noise_label.setText(f"{self.noise_slider.value() / 100:.2f}")
        self.noise_w_label.setText(f"{self.noise_w_slider.value() / 100:.2f}")

    def blend_weights(self) -> dict[str, float]:
        """The Kokoro blend the controls describe; {} when no second voice is picked."""
        other = str(self.blend_box.currentData() or "")
        voice = self.current_voice_id()
        if not other or not voice.startswith("kokoro:"):
            return {}
        base = voice.removeprefix("kokoro:")
        w = self.blend_slider.value() / 100
        if other == base:
            return {base: 1.0}
        return {base: 1.0 - w, other: w}

    def _update_blend_label(self, *_: object) -> None:
        blend = self.blend_weights()
        if blend:
            self.blend_label.setText(" + ".join(f"{v} {w:.0%}" for v, w in blend.items()))
        elif self.current_voice_id().startswith("blend:"):
            self.blend_label.setText("A saved blend")
        else:
            self.blend_label.setText("Pick a Kokoro voice, then a second one to blend with.")

    def _ask_piper_voice(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Add a Piper voice", str(Path.home()), "Piper voice (*.onnx)"
        )
        if path:
            self.add_piper_voice(Path(path))

    def add_piper_voice(self, path: Path) -> bool:
        from engines.speech import import_piper_voice

        try:
            voice = import_piper_voice(path, self.context.catalogue)
        except Exception as exc:
            self._set_status(describe_error(exc), error=True)
            return False
        self.refresh_voices(select=voice.id)
        self._set_status(f"Added the voice {voice.name}.")
        return True

    def _ask_save_blend(self) -> None:
        blend = self.blend_weights()
        if not blend:
            self._set_status("Pick a Kokoro voice and a second voice to blend first.", error=True)
            return
        name, ok = QInputDialog.getText(self, "Save blend", "Name for this voice:")
        if ok and name.strip():
            self.save_blend(name, blend)

    def save_blend(self, name: str, blend: dict[str, float]) -> bool:
        from engines.speech.kokoro import save_blend

        try:
            save_blend(name, blend)
        except SozoError as exc:
            self._set_status(str(exc), error=True)
            return False
        self.refresh_voices(select=f"blend:{name.strip()}")
        self._set_status(f"Saved the blend as the voice {name.strip()}.")
        return True

    # -- speaking -------------------------------------------------------------------------------
    def build_request(self, text: str | None = None) -> SpeechRequest:
        kokoro = self._is_kokoro()
        speed = self.speed_slider.value() / 100
        voice = self.current_voice_id() or None
        return SpeechRequest(
            text=self.text_edit.toPlainText() if text is None else text,
            voice_id=voice,
            blend=self.blend_weights(),
            speed=None if speed == 1.0 else speed,
            noise_scale=None if kokoro else self.noise_slider.value() / 100,
            noise_w=None if kokoro else self.noise_w_slider.value() / 100,
        )

    def generate(self) -> None:
        self.speak(self.build_request())

    def preview_blend(self) -> None:
        """Speak a short sentence with the current blend (the slider's live preview)."""
        if not self.blend_weights() or (self.job and not self.job.state.is_final):
            return
        first = self.text_edit.toPlainText().strip().split("。")[0][:60]
        self.speak(self.build_request(text=(first + "。") if first else PREVIEW_TEXT))

    def speak(self, request: SpeechRequest) -> Job[Any] | None:
        if self.job is not None and not self.job.state.is_final:
            self.job.cancel()
        self._stop_playback()
        # A new clip plays from its first chunk, even if the last job's end (which also
        # resets this) has not reached the panel yet.
        self._autoplayed = False
        self._holder = {}
        self._clear_clip()
        number = next(_clip_numbers)
        job: Job[Any] = Job(
            f"Speech #{number}", speak_work(request, self._holder), task=self.task.value
        )
        self.job = job
        self._request = request
        self.speak_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self._set_status("Starting…")
        self.context.runner.submit(
            job, on_done=self._on_speech_done, on_progress=self._on_speech_progress
        )
        self._timer.start()
        return job

    def cancel(self) -> None:
        super().cancel()
        self._stop_playback()

    def _clear_clip(self) -> None:
        if self.spool is not None:
            self.spool.close()
        self.spool = None
        self.clip_tags = None
        self.waveform.set_peaks(np.zeros((0, 2), np.float32))
        self.waveform.set_playhead(0.0)
        for b in self.export_buttons.values():
            b.setEnabled(False)
        self.play_button.setEnabled(False)

    def _adopt_spool(self) -> None:
        spool = self._holder.get("spool")
        if spool is not None and spool is not self.spool:
            self.spool = spool
            from engines.speech.audio import ClipTags

            stream = self._holder["stream"]
            self.clip_tags = ClipTags(
                self._request.text, stream.voice_label, stream.settings_summary()
            )

    def _on_speech_progress(self, job: Job[Any]) -> None:
        if job is not self.job:  # a newer clip owns the panel
            return
        self._adopt_spool()
        self._refresh_clip()
        if job.progress is not None and job.progress.message:
            self._set_status(job.progress.message)
        if (
            self.playback_ok
            and self.player is not None
            and self.spool is not None
            and self.spool.frames
            and not self.player.playing
            and not self._autoplayed
        ):
            self._autoplayed = True  # streaming: play as soon as the first sentence exists
            self.player.play(self.spool, 0)

    def _on_preload_done(self, job: Job[Any]) -> None:
        # Said only while no clip is being spoken, whose own messages matter more.
        if job is self.preload_job and (self.job is None or self.job.state.is_final):
            if job.state is JobState.finished:
                self._set_status(f"The voice {job.result} is ready.")
            elif job.state is JobState.failed:
                self._set_status(str(job.error), error=True)

    def _on_speech_done(self, job: Job[Any]) -> None:
        if job is not self.job:  # a newer clip owns the panel
            return
        self._autoplayed = False
        self._adopt_spool()
        self._refresh_clip()
        self.speak_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        stream = self._holder.get("stream")
        notices = " ".join(stream.notices) if stream is not None else ""
        seconds = self.spool.duration if self.spool is not None else 0.0
        if job.state is JobState.finished:
            providers = ", ".join(sorted(stream.providers)) if stream is not None else ""
            provider = providers.replace("ExecutionProvider", "") or "?"
            msg = (
                f"{seconds:.1f} s of audio in {job.elapsed:.1f} s · ran on ONNX Runtime {provider}"
            )
            if not seconds:
                self._set_status(f"Nothing could be spoken. {notices}".strip(), error=True)
                return
            self._set_status(f"{msg}. {notices}".strip())
        elif job.state is JobState.cancelled:
            self._set_status(f"Stopped; kept {seconds:.1f} s of audio.")
        else:
            kept = f" Kept {seconds:.1f} s of audio." if seconds else ""
            self._set_status(f"{job.error}{kept}", error=True)
        if not self.player or not self.player.playing:
            self._timer.stop()

    def _refresh_clip(self) -> None:
        spool = self.spool
        if spool is None:
            return
        self.waveform.set_peaks(spool.peaks())
        has_audio = spool.frames > 0
        for b in self.export_buttons.values():
            b.setEnabled(has_audio)
        self.play_button.setEnabled(has_audio and self.playback_ok)
        self._update_position()
        self.clip_changed.emit()

    def _tick(self) -> None:
        if self.job is not None and not self.job.state.is_final:
            self._adopt_spool()
            self._refresh_clip()
        self._update_position()
        if (self.job is None or self.job.state.is_final) and not (
            self.player and self.player.playing
        ):
            self._timer.stop()

    def _update_position(self) -> None:
        spool = self.spool
        if spool is None or not spool.frames:
            self.position_label.setText("0.0 / 0.0 s")
            return
        pos = self.player.position() if self.player and self.player.playing else 0
        if self.player and not self.player.playing:
            pos = self._paused_at
        self.waveform.set_playhead(pos / spool.frames)
        self.position_label.setText(f"{pos / spool.sample_rate:.1f} / {spool.duration:.1f} s")
        self.play_button.setText("Pause" if self.player and self.player.playing else "Play")

    # -- playback -------------------------------------------------------------------------------
    def toggle_play(self) -> None:
        if not self.playback_ok or self.player is None or self.spool is None:
            self._set_status(self.playback_message, error=True)
            return
        if self.player.playing:
            self._paused_at = self.player.position()
            self.player.stop()
        else:
            start = self._paused_at
            self.player.play(self.spool, 0 if start >= self.spool.frames else start)
            self._timer.start()
        self._update_position()

    def seek(self, fraction: float) -> None:
        if self.spool is None or not self.spool.frames:
            return
        frame = int(max(0.0, min(1.0, fraction)) * self.spool.frames)
        self._paused_at = frame
        if self.player is not None and self.player.playing:
            self.player.play(self.spool, frame)
        self.waveform.set_playhead(fraction)
        self._update_position()

    def _stop_playback(self) -> None:
        if self.player is not None:
            self.player.stop()
        self._paused_at = 0

    # -- export and drag ------------------------------------------------------------------------
    def _export_clicked(self, fmt: str) -> None:
        path = self.export(fmt)
        if path is not None:
            self._set_status(f"Exported {path}")

    def default_export_path(self, fmt: str) -> Path:
        folder = Path(
            getattr(self.context.settings, "output_dir", "") or paths.default_output_dir()
        )
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = folder / f"speech-{stamp}.{fmt}"
        n = 2
        while path.exists():
            path = folder / f"speech-{stamp}-{n}.{fmt}"
            n += 1
        return path

    def export(self, fmt: str, path: Path | None = None) -> Path | None:
        """Write the clip (as made so far) to ``path`` or the output folder."""
        if self.spool is None or not self.spool.frames:
            self._set_status("Nothing to export yet: speak something first.", error=True)
            return None
        target = path or self.default_export_path(fmt)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.spool.export(target, self.clip_tags)
        except Exception as exc:
            self._set_status(describe_error(exc), error=True)
            return None
        self.last_export = target
        return target

    def drag_mime(self) -> QMimeData | None:
        """A file URL for the clip (exported to WAV first), for drops on file managers and
        DAWs."""
        path = self.export("wav")
        if path is None:
            return None
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(path))])
        return mime

    def start_drag(self) -> None:
        mime = self.drag_mime()
        if mime is None:
            return
        drag = QDrag(self.waveform)
        drag.setMimeData(mime)
        drag.exec(Qt.DropAction.CopyAction)

    # -- dropping voice files on the panel ----------------------------------------------------------
    @staticmethod
    def _dropped_voices(event: Any) -> list[Path]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        files = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
        return [f for f in files if f.name.endswith((".onnx", ".onnx.json"))]

    def dragEnterEvent(self, event: Any) -> None:
        if self._dropped_voices(event):
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        """A Piper voice dropped on the panel (.onnx with its .onnx.json) is added."""
        voices = self._dropped_voices(event)
        for path in {p.with_name(p.name.removesuffix(".json")) for p in voices}:
            self.add_piper_voice(path)
        if voices:
            event.acceptProposedAction()

    # -- misc -------------------------------------------------------------------------------------
    def _set_status(self, text: str, error: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setProperty("error", error)
        self.status_label.setStyleSheet("color: #c0392b;" if error else "")

    def closeEvent(self, event: Any) -> None:
        self._stop_playback()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """The window is closing (jobs already stopped): stop playback and delete the
        clip's spool file, so the cache folder does not fill with old clips."""
        self._stop_playback()
        self._clear_clip()


__all__ = ["ClipSpool", "SpeechPanel", "WaveformWidget", "playback_support"]
