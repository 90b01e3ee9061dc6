"""Files opened from the desktop land in their panels; bad ones give one status line; a
second launch's files arrive in the running window (studio.open_files, single_instance)."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from PIL import Image
from pytestqt.qtbot import QtBot

from engines.imagefile import Recipe, save_result
from studio.main_window import MainWindow
from studio.single_instance import InstanceServer, hand_over

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]


def current(window: MainWindow) -> str:
    return window.current_panel().task.value


def status(window: MainWindow) -> str:
    return window.statusBar().currentMessage()


def write_midi(path: Path) -> Path:
    import mido

    mid = mido.MidiFile(ticks_per_beat=480)
    track = mido.MidiTrack()
    mid.tracks.append(track)
    for i in range(16):
        track.append(mido.Message("note_on", note=60 + i % 7, velocity=90, time=0))
        track.append(mido.Message("note_off", note=60 + i % 7, velocity=0, time=240))
    mid.save(str(path))
    return path


def test_a_png_with_a_recipe_restores_it_in_image(window: MainWindow, tmp_path: Path) -> None:
    recipe = Recipe(prompt="a lighthouse at dusk, ink", seed=4242, steps=17)
    png = save_result(Image.new("RGB", (64, 64), (200, 40, 40)), tmp_path, recipe)
    window.show_panel("text")
    line = window.open_files([str(png)])
    panel = window.panels["image"]
    assert current(window) == "image"
    assert panel.controls.prompt.toPlainText() == "a lighthouse at dusk, ink"  # type: ignore[attr-defined]
    assert panel.controls.seed.spin.value() == 4242  # type: ignore[attr-defined]
    assert panel.tabs.currentIndex() == 0  # type: ignore[attr-defined]
    assert line == status(window) == f"Opened {png.name} in Image."


def test_a_png_without_a_recipe_becomes_the_picture_to_edit(
    window: MainWindow, tmp_path: Path
) -> None:
    png = tmp_path / "plain.png"
    Image.new("RGB", (80, 48), (10, 120, 30)).save(png)
    window.open_files([str(png)])
    panel = window.panels["image"]
    assert current(window) == "image"
    assert panel.canvas.source is not None  # type: ignore[attr-defined]
    assert panel.canvas.source.size == (80, 48)  # type: ignore[attr-defined]
    assert panel.canvas.source_name == "plain.png"  # type: ignore[attr-defined]
    assert panel.tabs.currentIndex() == 1  # type: ignore[attr-defined]


def test_a_midi_file_opens_in_music(window: MainWindow, tmp_path: Path) -> None:
    mid = write_midi(tmp_path / "tune.mid")
    window.open_files([str(mid)])
    panel = window.panels["music"]
    assert current(window) == "music"
    assert panel.state.melody_a is not None  # type: ignore[attr-defined]
    assert "Loaded tune.mid into melody A" in panel.status.text()  # type: ignore[attr-defined]
    assert status(window) == "Opened tune.mid in Music."


@pytest.mark.parametrize("suffix", ["wav", "flac"])
def test_audio_opens_in_speechs_player(window: MainWindow, tmp_path: Path, suffix: str) -> None:
    rate = 22050
    t = np.arange(rate // 2) / rate
    stereo = np.stack([np.sin(2 * np.pi * 440 * t), np.sin(2 * np.pi * 660 * t)], axis=1) * 0.5
    path = tmp_path / f"clip.{suffix}"
    sf.write(str(path), stereo, rate)
    window.open_files([str(path)])
    panel = window.panels["speech"]
    assert current(window) == "speech"
    clip = panel.state.clip  # type: ignore[attr-defined]
    assert clip is not None
    assert clip.spool.sample_rate == rate and clip.spool.frames == rate // 2
    expected = stereo.mean(axis=1)
    assert np.allclose(clip.spool.read(0, 100), expected[:100], atol=1e-3)  # mono mix
    assert panel.position_label.text() == "0.0 / 0.5 s"  # type: ignore[attr-defined]
    assert status(window) == f"Opened clip.{suffix} in Speech."


def test_bad_and_unknown_files_give_one_status_line(window: MainWindow, tmp_path: Path) -> None:
    window.show_panel("text")
    unknown = tmp_path / "notes.txt"
    unknown.write_text("hello")
    assert "notes.txt: not a file the studio opens" in window.open_files([str(unknown)])
    missing = tmp_path / "gone.png"
    assert window.open_files([str(missing)]) == "gone.png does not exist."
    broken_png = tmp_path / "broken.png"
    broken_png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
    line = window.open_files([str(broken_png)])
    assert line.startswith("broken.png") and line == status(window)
    broken_wav = tmp_path / "broken.wav"
    broken_wav.write_bytes(b"RIFF\x10\0\0\0WAVEjunkjunk")
    line = window.open_files([str(broken_wav)])
    assert line.startswith("broken.wav cannot be read as audio")
    broken_mid = tmp_path / "broken.mid"
    broken_mid.write_bytes(b"MThd\0\0\0\x06garbage")
    line = window.open_files([str(broken_mid)])
    assert "broken.mid" in line and "\n" not in line
    assert current(window) == "text"  # nothing opened, so nothing moved
    assert window.panels["speech"].state.clip is None  # type: ignore[attr-defined]
    good = tmp_path / "good.png"
    Image.new("RGB", (8, 8)).save(good)
    line = window.open_files([str(unknown), str(good)])
    assert (
        line
        == "notes.txt: not a file the studio opens (a picture, a MIDI file, or WAV/FLAC audio). Opened 1 other file(s)."
    )
    assert current(window) == "image"


def test_a_second_launchs_files_arrive_in_the_first(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    name = str(tmp_path / "studio.sock")
    server = InstanceServer(name)
    assert server.listen()
    server.files_received.connect(window.take_handed_files)
    png = tmp_path / "shared.png"
    Image.new("RGB", (32, 32), (0, 0, 255)).save(png)
    # A second process, as a second `sozo-studio shared.png` launch would be, from another
    # working folder (the path is sent absolute).
    code = (
        "import sys; from PySide6.QtCore import QCoreApplication; app = QCoreApplication([]);"
        "from studio.single_instance import hand_over;"
        f"sys.exit(0 if hand_over(['shared.png'], {name!r}) else 3)"
    )
    with qtbot.waitSignal(server.files_received, timeout=20_000) as received:
        launch = subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=tmp_path,
            env={**__import__("os").environ, "PYTHONPATH": str(ROOT)},
        )
        qtbot.waitUntil(lambda: launch.poll() is not None, timeout=20_000)
    assert launch.returncode == 0
    assert received.args == [[str(png)]]
    assert current(window) == "image"
    assert window.panels["image"].canvas.source_name == "shared.png"  # type: ignore[attr-defined]
    server.close()
    assert not hand_over([], name)  # nobody listens now


def test_a_stale_socket_is_removed_and_a_new_studio_listens(qtbot: QtBot, tmp_path: Path) -> None:
    name = str(tmp_path / "studio.sock")
    crashed = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    crashed.bind(name)  # a crashed studio leaves its socket file behind
    crashed.close()
    assert Path(name).exists()
    assert not hand_over(["x.png"], name)  # nobody answers on it
    server = InstanceServer(name)
    assert server.listen()
    with qtbot.waitSignal(server.files_received, timeout=5000) as received:
        assert hand_over([str(tmp_path / "x.png")], name)  # in-process client
    assert received.args == [[str(tmp_path / "x.png")]]
    # A live one is not taken over: a third launch cannot listen while the second runs.
    assert not InstanceServer(name).listen()
    server.close()


def test_two_launches_of_the_studio_share_one_window(tmp_path: Path) -> None:
    """The real entry point, twice: the second `sozo-studio FILE` exits at once and its
    file opens in the first studio's window (seen in the first one's log)."""
    import os
    import time

    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_RUNTIME_DIR": str(runtime),
        "SOZO_LOG_FILE": str(tmp_path / "first.log"),
    }
    env.pop("SOZO_BENCH_FIRST_PAINT", None)
    first_png, second_png = tmp_path / "first.png", tmp_path / "second.png"
    Image.new("RGB", (16, 16), (255, 0, 0)).save(first_png)
    Image.new("RGB", (16, 16), (0, 255, 0)).save(second_png)
    first = subprocess.Popen([sys.executable, "-m", "studio.app", str(first_png)], env=env)
    try:
        log = tmp_path / "first.log"
        deadline = time.monotonic() + 120
        while "Opened first.png in Image." not in (log.read_text() if log.exists() else ""):
            assert first.poll() is None, "the first studio exited"
            assert time.monotonic() < deadline, "the first studio did not open its file"
            time.sleep(0.2)
        assert (runtime / "sozo-studio.sock").exists()
        second = subprocess.run(
            [sys.executable, "-m", "studio.app", "second.png"],
            env={**env, "SOZO_LOG_FILE": str(tmp_path / "second.log")},
            cwd=tmp_path,
            timeout=120,
            check=False,
        )
        assert second.returncode == 0
        while "Opened second.png in Image." not in log.read_text():
            assert time.monotonic() < deadline, "the handed-over file did not open"
            time.sleep(0.2)
        assert "handed 1 file(s) to the running studio" in (tmp_path / "second.log").read_text()
        assert first.poll() is None  # still the one window
    finally:
        first.terminate()
        first.wait(30)


class _Drop:
    """A drop event as the panels read it: local files, and whether it was taken."""

    def __init__(self, *paths: Path) -> None:
        from PySide6.QtCore import QMimeData, QUrl

        self.mime = QMimeData()
        self.mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
        self.accepted = False

    def mimeData(self) -> object:
        return self.mime

    def acceptProposedAction(self) -> None:
        self.accepted = True


def _melody_recipe(seed: int = 777) -> str:
    from engines.recipes import MusicRecipe
    from studio.panels.music_state import MODELS

    return MusicRecipe(MODELS, seed, 1.3, "piano", 133, 4, True).to_json()


@pytest.mark.parametrize("suffix", ["ogg", "mp3", "wav"])
def test_an_exported_melody_restores_the_music_settings(
    window: MainWindow, tmp_path: Path, suffix: str
) -> None:
    from engines import audio

    path = tmp_path / f"melody.{suffix}"
    audio.write(path, np.zeros(4000, np.float32), 16000, {"recipe": _melody_recipe()})
    window.show_panel("text")
    line = window.open_files([str(path)])
    state = window.panels["music"].state  # type: ignore[attr-defined]
    assert current(window) == "music" and line == f"Opened melody.{suffix} in Music."
    assert (state.seed, state.tempo, state.bars, state.accompaniment) == (777, 133, 4, True)
    assert state.temperature == pytest.approx(1.3)
    assert "Settings restored from melody." in window.panels["music"].status.text()  # type: ignore[attr-defined]
    # Dropped on the Music panel, a MIDI file's recipe does the same.
    from engines.music.arrangement import export_midi

    mid = export_midi(tmp_path / "m.mid", state.arrangement(), recipe=_melody_recipe(31))
    drop = _Drop(mid)
    window.panels["music"].dropEvent(drop)  # type: ignore[attr-defined]
    assert drop.accepted and state.seed == 31


def test_an_exported_clip_restores_the_speech_settings(window: MainWindow, tmp_path: Path) -> None:
    from engines import audio
    from engines.speech.audio import ClipTags
    from engines.speech.types import SpeechRequest

    voice = "piper:en_US-joe-medium"  # packaged with the studio
    request = SpeechRequest(text="Read me again.", voice_id=voice, speed=0.8, noise_w=0.6)
    path = tmp_path / "clip.mp3"
    tags = ClipTags(request.text, "x", {}, request=request).as_tags()
    audio.write(path, 0.1 * np.ones(8000, np.float32), 16000, tags)
    line = window.open_files([str(path)])
    panel = window.panels["speech"]
    assert current(window) == "speech" and line == "Opened clip.mp3 in Speech."
    state = panel.state  # type: ignore[attr-defined]
    assert (state.text, state.voice_id, state.speed, state.noise_w) == (
        "Read me again.",
        voice,
        0.8,
        0.6,
    )
    assert state.clip is not None and state.clip.spool.frames == 8000
    assert "script, voice and settings are restored" in panel.status_label.text()  # type: ignore[attr-defined]
    # Dropped on the panel, a clip made with other words brings those back.
    other = tmp_path / "other.flac"
    request = SpeechRequest(text="Other words.", voice_id="piper:not-here")
    audio.write(
        other, np.zeros(800, np.float32), 16000, ClipTags("", "", {}, request=request).as_tags()
    )
    drop = _Drop(other)
    panel.dropEvent(drop)  # type: ignore[attr-defined]
    assert drop.accepted and state.text == "Other words." and state.speed == 1.0
    assert "its voice piper:not-here is not installed here" in panel.status_label.text()  # type: ignore[attr-defined]
