"""Qt Multimedia stays quiet where nothing can play: no ``qt.multimedia`` or PulseAudio
lines on stderr from the CLI or the window, and QtMultimedia is not even loaded where no
sound server answers (it would print them). The playback notice in the panels stays."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from studio import playback

ROOT = Path(__file__).resolve().parent.parent
NOISE = re.compile(r"qt\.multimedia|pulseaudio|\bpulse\b|pa_context", re.IGNORECASE)


def run_python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """This checkout's code in a fresh interpreter (the ``sozo`` script would run the
    installed copy), offscreen."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        env=env,
    )


CLI = "import sys; from studio.cli import main; raise SystemExit(main(sys.argv[1:]))"


def noise(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if NOISE.search(line)]


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("models",),
        pytest.param(("screenshot", "{out}", "--panel", "music"), marks=pytest.mark.gui),
    ],
    ids=["help", "models", "window-screenshot"],
)
def test_cli_commands_and_the_window_print_no_multimedia_noise(
    args: tuple[str, ...], tmp_path: Path
) -> None:
    """On a machine with libpulse but no sound server (CI) Qt printed 12 lines here; with
    a server, the optional-library lines. The screenshot builds the whole window (all
    four panels) offscreen and waits for the device probe."""
    done = run_python(CLI, *(a.format(out=tmp_path / "shot.png") for a in args))
    assert done.returncode == 0, done.stderr
    assert noise(done.stderr) == [], done.stderr


@pytest.mark.gui
def test_without_a_sound_server_qt_multimedia_is_never_loaded() -> None:
    """Where libpulse loads but no server answers, the window is built without importing
    QtMultimedia, and both playing panels say why playback is off."""
    code = """
import sys
from studio import playback
playback.pulse_library_loads = lambda: True
playback.pulse_server_answers = lambda timeout_s=0: False
from studio.app import create_main_window, ensure_application
app = ensure_application()
window = create_main_window(probe_device=False)
music, speech = window.panels["music"], window.panels["speech"]
print("loaded" if "PySide6.QtMultimedia" in sys.modules else "not loaded")
print(music.can_play, music.play_message)
print(speech.playback_ok, speech.playback_message)
window.close()
"""
    done = run_python(code)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "not loaded"
    for line in lines[1:3]:
        assert line.startswith("False Playback is off: no PulseAudio"), line
    assert noise(done.stderr) == [], done.stderr


@pytest.mark.skipif(not playback.pulse_library_loads(), reason="libpulse.so.0 is not here")
def test_the_server_check_fails_fast_on_a_refusing_server_and_times_out_on_a_silent_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """libpulse is pointed at local sockets: one closes each connection at once, one
    never answers. Neither is a sound server; the check says so, in bounded time."""
    check = playback.pulse_server_answers.__wrapped__  # the uncached check
    servers = []
    for _ in range(2):
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen(4)
        servers.append(server)
    closing, silent = servers

    def accept_and_close() -> None:
        connection, _ = closing.accept()
        connection.close()

    thread = threading.Thread(target=accept_and_close, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("PULSE_SERVER", f"tcp:127.0.0.1:{closing.getsockname()[1]}")
        started = time.monotonic()
        assert check(timeout_s=5.0) is False
        assert time.monotonic() - started < 2.0
        monkeypatch.setenv("PULSE_SERVER", f"tcp:127.0.0.1:{silent.getsockname()[1]}")
        started = time.monotonic()
        assert check(timeout_s=0.5) is False
        assert 0.4 < time.monotonic() - started < 3.0
    finally:
        thread.join(timeout=5)
        for server in servers:
            server.close()
