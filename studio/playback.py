"""Whether this machine can play audio through QtMultimedia, found out without noise.

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
from dataclasses import dataclass

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
                "this system has no PulseAudio library (libpulse.so.0, Debian package libpulse0)",
            )
        if not pulse_server_answers():
            return PlaybackSupport(False, "no PulseAudio (or PipeWire) sound server is running")
    from PySide6.QtCore import QLoggingCategory

    QLoggingCategory.setFilterRules(QUIET_MULTIMEDIA_RULES)
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError as exc:
        return PlaybackSupport(False, f"Qt Multimedia cannot load ({exc})")
    try:
        if QMediaDevices.defaultAudioOutput().isNull():
            return PlaybackSupport(False, "no audio output device was found")
    except Exception as exc:  # a broken backend must not take a panel down
        return PlaybackSupport(False, f"the audio devices cannot be listed ({exc})")
    return PlaybackSupport(True)
