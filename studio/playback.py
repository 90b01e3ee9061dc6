"""Playback for the panels: whether this machine can play audio through QtMultimedia,
found out without noise, and the one player (:class:`AudioPlayer`) that Music and Speech use.

On Linux, QtMultimedia's first use loads its FFmpeg plugin and connects to PulseAudio.
Where ``libpulse.so.0`` is missing, importing it fails; where the library is there but no
server runs (CI machines, containers, servers), Qt prints a dozen lines on stderr
(``qt.multimedia.symbolsresolver`` on optional libraries, the FFmpeg version, and
``PulseAudioService: pa_context_connect() failed``) and then has no output anyway. So the
PulseAudio server is asked first, through libpulse itself, and QtMultimedia is touched only
where a server answers. Where it does, the optional-library chatter is switched off (only
those two categories: Qt's other multimedia warnings still reach stderr).
"""

from __future__ import annotations

import ctypes
import functools
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from PySide6.QtCore import QCoreApplication

from studio.i18n import fill

translate = QCoreApplication.translate

if TYPE_CHECKING:
    from PySide6.QtCore import QObject

# pa_context_state_t (pulse/def.h)
PA_CONTEXT_READY, PA_CONTEXT_FAILED, PA_CONTEXT_TERMINATED = 4, 5, 6
SERVER_TIMEOUT_S = 2.0  # a PULSE_SERVER on another machine may take a moment to answer

# Optional libraries Qt looks for (PipeWire, VA-API for video) and its FFmpeg version:
# said at every start, about nothing audio playback needs.
QUIET_MULTIMEDIA_RULES = "qt.multimedia.symbolsresolver=false\nqt.multimedia.ffmpeg.info=false"


@dataclass(frozen=True)
class PlaybackSupport:
    """Whether playback can start here; if not, ``reason`` says why for a person."""

    available: bool
    reason: str = ""  # a clause, e.g. "no PulseAudio server is running"


def pulse_library_loads() -> bool:
    """True if ``libpulse.so.0`` can be loaded: asking the dynamic loader itself, so a
    library found through ``LD_LIBRARY_PATH`` counts as much as an installed one."""
    try:
        ctypes.CDLL("libpulse.so.0")
    except OSError:
        return False
    return True


@functools.cache
def pulse_server_answers(timeout_s: float = SERVER_TIMEOUT_S) -> bool:
    """True if a PulseAudio server (or PipeWire's PulseAudio service) accepts a client
    connection, as QtMultimedia's would be made: the default server, autospawn allowed.
    libpulse prints nothing when there is none. Asked once per process (each panel that
    plays asks, and an unreachable ``PULSE_SERVER`` costs the whole timeout)."""
    try:
        lib = ctypes.CDLL("libpulse.so.0")
    except OSError:
        return False
    p = ctypes.c_void_p
    lib.pa_mainloop_new.restype = p
    lib.pa_mainloop_get_api.argtypes = [p]
    lib.pa_mainloop_get_api.restype = p
    lib.pa_mainloop_prepare.argtypes = [p, ctypes.c_int]
    lib.pa_mainloop_poll.argtypes = [p]
    lib.pa_mainloop_dispatch.argtypes = [p]
    lib.pa_mainloop_free.argtypes = [p]
    lib.pa_context_new.argtypes = [p, ctypes.c_char_p]
    lib.pa_context_new.restype = p
    lib.pa_context_connect.argtypes = [p, ctypes.c_char_p, ctypes.c_int, p]
    lib.pa_context_get_state.argtypes = [p]
    lib.pa_context_disconnect.argtypes = [p]
    lib.pa_context_unref.argtypes = [p]

    loop = lib.pa_mainloop_new()
    if not loop:
        return False
    try:
        context = lib.pa_context_new(lib.pa_mainloop_get_api(loop), b"Sozo Studio")
        if not context:
            return False
        try:
            if lib.pa_context_connect(context, None, 0, None) < 0:
                return False  # no server found (and none could be spawned)
            deadline = time.monotonic() + timeout_s
            while True:
                state = lib.pa_context_get_state(context)
                if state in (PA_CONTEXT_READY, PA_CONTEXT_FAILED, PA_CONTEXT_TERMINATED):
                    return bool(state == PA_CONTEXT_READY)
                left_us = int((deadline - time.monotonic()) * 1e6)
                if left_us <= 0:
                    return False
                # One bounded wait for the connection's next event, then handle it.
                if (
                    lib.pa_mainloop_prepare(loop, left_us) < 0
                    or lib.pa_mainloop_poll(loop) < 0
                    or lib.pa_mainloop_dispatch(loop) < 0
                ):
                    return False
        finally:
            lib.pa_context_disconnect(context)
            lib.pa_context_unref(context)
    finally:
        lib.pa_mainloop_free(loop)


def playback_support() -> PlaybackSupport:
    """Whether QtMultimedia can play here. Never raises, and on Linux touches
    QtMultimedia only where a PulseAudio server answers (see the module docstring)."""
    if sys.platform.startswith("linux"):
        if not pulse_library_loads():
            return PlaybackSupport(
                False,
                translate(
                    "Playback",
                    "this system has no PulseAudio library (libpulse.so.0, Debian package libpulse0)",
                ),
            )
        if not pulse_server_answers():
            return PlaybackSupport(
                False, translate("Playback", "no PulseAudio (or PipeWire) sound server is running")
            )
    from PySide6.QtCore import QLoggingCategory

    QLoggingCategory.setFilterRules(QUIET_MULTIMEDIA_RULES)
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError as exc:
        return PlaybackSupport(
            False, translate("Playback", "Qt Multimedia cannot load (%1)").replace("%1", str(exc))
        )
    try:
        if QMediaDevices.defaultAudioOutput().isNull():
            return PlaybackSupport(False, translate("Playback", "no audio output device was found"))
    except Exception as exc:  # a broken backend must not take a panel down
        return PlaybackSupport(
            False,
            translate("Playback", "the audio devices cannot be listed (%1)").replace(
                "%1", str(exc)
            ),
        )
    return PlaybackSupport(True)


def playback_notice(advice: str) -> tuple[bool, str]:
    """(can play, the panel's one-line notice where it cannot): "Playback is off: <why>.
    <advice>", the advice saying what the panel offers instead."""
    support = playback_support()
    if support.available:
        return True, ""
    return False, fill(translate("Playback", "Playback is off: %1. %2"), support.reason, advice)


# -- the player ------------------------------------------------------------------------


class PcmSource(Protocol):
    """Audio to play as 16-bit little-endian interleaved samples, possibly still growing
    (a speech clip while its later sentences are made)."""

    sample_rate: int
    channels: int
    finished: bool  # no more frames will come

    @property
    def frames(self) -> int: ...

    def read_bytes(self, offset: int, count: int) -> bytes: ...


class ArraySource:
    """A whole clip in memory, (N,) or (N, channels) float audio, as a :class:`PcmSource`."""

    finished = True

    def __init__(self, audio: np.ndarray, sample_rate: int) -> None:
        audio = np.asarray(audio)
        self.channels = 1 if audio.ndim == 1 else int(audio.shape[1])
        self.sample_rate = sample_rate
        self._pcm = (np.clip(audio, -1.0, 1.0) * 32767).astype("<i2").tobytes()

    @property
    def frames(self) -> int:
        return len(self._pcm) // (2 * self.channels)

    def read_bytes(self, offset: int, count: int) -> bytes:
        return self._pcm[offset : offset + count]


def qt_audio_sink(sample_rate: int, channels: int) -> Any:
    """A ``QAudioSink`` on the default output for 16-bit samples."""
    from PySide6.QtMultimedia import QAudioFormat, QAudioSink, QMediaDevices

    fmt = QAudioFormat()
    fmt.setSampleRate(sample_rate)
    fmt.setChannelCount(channels)
    fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
    return QAudioSink(QMediaDevices.defaultAudioOutput(), fmt)


class AudioPlayer:
    """Plays a :class:`PcmSource` with ``QAudioSink`` in push mode: the Music and Speech
    panels' one player. Create it only where :func:`playback_support` said yes.

    A timer tops the sink's buffer (half a second) up from the source, so playback can
    start after a speech clip's first sentence and follow its generation, and a long
    render is never copied into Qt whole. At the source's end the player stops itself
    and calls ``on_finished``.
    """

    FEED_INTERVAL_MS = 30

    def __init__(
        self,
        parent: QObject,
        on_finished: Callable[[], None] | None = None,
        sink_factory: Callable[[int, int], Any] | None = None,
    ) -> None:
        from PySide6.QtCore import QTimer

        # None: a QAudioSink (looked up now, so that a test can script the sound card).
        self._sink_factory = sink_factory or qt_audio_sink
        if self._sink_factory is qt_audio_sink:  # a broken QtMultimedia fails here
            import PySide6.QtMultimedia  # noqa: F401

        self._on_finished = on_finished
        self._sink: Any = None
        self._io: Any = None
        self._source: PcmSource | None = None
        self._start_frame = 0
        self._written = 0  # frames handed to the sink since start
        self.playing = False
        self._timer = QTimer(parent)
        self._timer.setInterval(self.FEED_INTERVAL_MS)
        self._timer.timeout.connect(self._feed)

    def play(self, source: PcmSource, start_frame: int = 0) -> None:
        self.stop()
        self._sink = self._sink_factory(source.sample_rate, source.channels)
        self._sink.setBufferSize(source.sample_rate * source.channels)  # half a second
        self._io = self._sink.start()
        self._source, self._start_frame, self._written = source, start_frame, 0
        self.playing = True
        self._feed()
        self._timer.start()

    def _feed(self) -> None:
        source = self._source
        if self._sink is None or source is None or self._io is None:
            return
        frame_bytes = 2 * source.channels
        free = self._sink.bytesFree()
        offset = (self._start_frame + self._written) * frame_bytes
        if free > 0:
            data = source.read_bytes(offset, free - free % frame_bytes)
            data = data[: len(data) - len(data) % frame_bytes]
            if data:
                self._io.write(data)
                self._written += len(data) // frame_bytes
        at_end = self._start_frame + self._written >= source.frames
        # processedUSecs() is whole microseconds: the last frame may never count as heard.
        heard_all = self.position() >= source.frames - source.sample_rate // 1000
        if at_end and source.finished and heard_all:
            self.stop()
            if self._on_finished is not None:
                self._on_finished()

    def position(self) -> int:
        """The frame being heard."""
        if self._sink is None or self._source is None:
            return 0
        heard = int(self._sink.processedUSecs() * self._source.sample_rate / 1_000_000)
        return self._start_frame + min(heard, self._written)

    def stop(self) -> None:
        self._timer.stop()
        if self._sink is not None:
            self._sink.stop()
        self._sink = self._io = None
        self.playing = False
