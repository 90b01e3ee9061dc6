"""Plays a growing :class:`~studio.widgets.clip_spool.ClipSpool` through QtMultimedia."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from studio.widgets.clip_spool import ClipSpool


class ClipPlayer:
    """Plays a growing :class:`ClipSpool` with ``QAudioSink`` in push mode.

    A timer tops the sink's buffer up from the spool file, so playback can start after
    the first sentence and follow generation. Created only where
    :func:`studio.panels.speech.playback_support` said yes.
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
