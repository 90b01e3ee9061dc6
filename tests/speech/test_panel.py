"""The Speech panel, offscreen, on the tiny voice: waveform, export, drag, playback notice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import soundfile as sf
from pytestqt.qtbot import QtBot

from engines.jobs import JobState
from studio import playback
from studio.app import create_main_window
from studio.main_window import MainWindow
from studio.panels import speech as speech_panel
from studio.panels.speech import SpeechPanel
from tests import fakes

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    w = create_main_window(probe_device=False)
    qtbot.addWidget(w)
    w.show()
    yield w
    w.context.runner.shutdown(5000)


@pytest.fixture
def panel(window: MainWindow, tiny_voice: Path) -> SpeechPanel:
    p = window.panels["speech"]
    assert isinstance(p, SpeechPanel)
    assert p.add_piper_voice(tiny_voice)
    assert p.current_voice_id() == "piper:tiny"
    return p


def _speak(qtbot: QtBot, panel: SpeechPanel, text: str) -> None:
    panel.text_edit.setPlainText(text)
    panel.generate()
    job = panel.job
    assert job is not None
    qtbot.waitUntil(lambda: job.state.is_final and panel.speak_button.isEnabled(), timeout=30_000)


def test_speaking_fills_the_waveform(qtbot: QtBot, panel: SpeechPanel) -> None:
    assert panel.waveform.bins == 0
    _speak(qtbot, panel, "Hello there. A second sentence. [pause 200ms] And a third.")
    assert panel.job is not None and panel.job.state is JobState.finished
    assert panel.spool is not None and panel.spool.frames > 0
    assert panel.waveform.bins == panel.spool.frames // 256
    cols = panel.waveform.column_peaks(200)
    assert cols.shape == (200, 2) and cols[:, 1].max() > 0.1
    assert "CPU" in panel.status_label.text()
    assert [t for _, t in panel.spool.sentences] == [
        "Hello there.",
        "A second sentence.",
        "And a third.",
    ]


@pytest.mark.parametrize("fmt", ["wav", "flac", "ogg", "mp3"])
def test_export_writes_each_format(
    qtbot: QtBot, panel: SpeechPanel, tmp_path: Path, fmt: str, audio_writes: list[Path]
) -> None:
    _speak(qtbot, panel, "Export me, please.")
    assert panel.export_buttons[fmt].isEnabled()
    path = panel.export(fmt, tmp_path / f"clip.{fmt}")
    assert path is not None
    data, rate = sf.read(str(path))
    assert rate == 16_000 and len(data) > 0.8 * panel.spool.frames  # type: ignore[union-attr]
    # The button writes into the output folder.
    panel.export_buttons[fmt].click()
    assert panel.last_export is not None and panel.last_export.suffix == f".{fmt}"
    assert panel.last_export.exists()
    assert audio_writes[-2:] == [path, panel.last_export]  # through the one writer


def test_drag_carries_a_file_url(qtbot: QtBot, panel: SpeechPanel) -> None:
    _speak(qtbot, panel, "Drag me out.")
    mime = panel.drag_mime()
    assert mime is not None and mime.hasUrls()
    url = mime.urls()[0]
    assert url.isLocalFile() and Path(url.toLocalFile()).suffix == ".wav"
    assert sf.info(url.toLocalFile()).frames > 0


def test_bad_input_shows_a_message_and_keeps_working(qtbot: QtBot, panel: SpeechPanel) -> None:
    _speak(qtbot, panel, "?!…")
    assert panel.job is not None and panel.job.state is JobState.failed
    assert "nothing to say" in panel.status_label.text()
    _speak(qtbot, panel, "Now it works.")
    assert panel.job.state is JobState.finished


def test_stop_keeps_the_audio_made_so_far(qtbot: QtBot, panel: SpeechPanel) -> None:
    panel.text_edit.setPlainText("A sentence to read. " * 3000)
    panel.generate()
    qtbot.waitUntil(lambda: panel.spool is not None and panel.spool.frames > 0, timeout=30_000)
    panel.stop_button.click()
    job = panel.job
    assert job is not None
    qtbot.waitUntil(lambda: job.state.is_final and panel.speak_button.isEnabled(), timeout=30_000)
    assert job.state is JobState.cancelled
    assert panel.spool is not None and panel.spool.frames > 0
    assert "kept" in panel.status_label.text()


def test_no_audio_library_disables_playback_with_a_message(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(playback.sys, "platform", "linux")
    monkeypatch.setattr(playback, "pulse_library_loads", lambda: False)
    ok, message = speech_panel.playback_support()
    assert not ok and "libpulse.so.0" in message
    p = SpeechPanel(window.context)
    qtbot.addWidget(p)
    assert not p.play_button.isEnabled()
    assert "libpulse.so.0" in p.playback_label.text()
    p.toggle_play()  # does nothing harmful
    assert "Playback is off" in p.status_label.text()


def test_blend_controls_describe_the_blend(panel: SpeechPanel) -> None:
    panel.voice_box.setCurrentIndex(panel.voice_box.findData("kokoro:jf_alpha"))
    assert panel.blend_slider.isEnabled() and not panel.noise_slider.isEnabled()
    panel.blend_box.setCurrentIndex(panel.blend_box.findData("jm_kumo"))
    panel.blend_slider.setValue(30)
    assert panel.blend_weights() == pytest.approx({"jf_alpha": 0.7, "jm_kumo": 0.3})
    request = panel.build_request("テスト")
    assert request.blend == panel.blend_weights() and request.noise_scale is None
    assert panel.save_blend("Soft", panel.blend_weights())
    assert panel.current_voice_id() == "blend:Soft"


def test_dropping_a_piper_voice_adds_it(
    qtbot: QtBot, window: MainWindow, tiny_multi_voice: Path
) -> None:
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    p = window.panels["speech"]
    assert isinstance(p, SpeechPanel)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tiny_multi_voice))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    p.dropEvent(event)
    ids = [p.voice_box.itemData(i) for i in range(p.voice_box.count())]
    assert "piper:tiny_multi#bob" in ids
    assert p.current_voice_id().startswith("piper:tiny_multi#")


def test_the_selected_voice_is_loaded_when_the_panel_shows(
    qtbot: QtBot, window: MainWindow, tiny_voice: Path
) -> None:
    from engines.speech import synthesis

    p = window.panels["speech"]
    assert isinstance(p, SpeechPanel)
    assert p.add_piper_voice(tiny_voice)
    synthesis.unload_all()
    assert p.preload_job is None  # hidden panels load nothing
    window.show_panel("speech")
    # The job's end reaches the panel through a queued signal: wait for the panel's word.
    qtbot.waitUntil(lambda: "ready" in p.status_label.text(), timeout=20_000)
    assert p.preload_job is not None and p.preload_job.state is JobState.finished
    assert synthesis.is_loaded("piper:tiny", window.context.catalogue)
    assert p.status_label.text() == "The voice tiny is ready."
    assert p.preload_voice() is None  # loaded already: nothing to do


def test_playback_starts_on_the_first_chunk_while_later_ones_are_made(
    qtbot: QtBot, panel: SpeechPanel, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Needs an audio output (PulseAudio, even the null sink .ci/run starts); skipped,
    saying why, where there is none."""
    import time

    from engines.speech import synthesis

    if not panel.playback_ok or panel.player is None:
        pytest.skip(panel.playback_message)
    player = panel.player
    made = synthesis.SpeechStream.__iter__

    def slowly(self: synthesis.SpeechStream) -> Any:
        for chunk in made(self):
            yield chunk
            time.sleep(0.4)  # a voice far slower than the tiny one: 0.4 s a sentence

    monkeypatch.setattr(synthesis.SpeechStream, "__iter__", slowly)
    panel.text_edit.setPlainText("One. Two. Three. Four. Five. Six.")
    panel.generate()
    job = panel.job
    assert job is not None and panel.spool is None
    qtbot.waitUntil(lambda: player.playing, timeout=10_000)
    assert not job.state.is_final  # playing while the rest is still being made
    assert panel.spool is not None
    made_then = panel.spool.frames
    qtbot.waitUntil(lambda: player.position() > 0, timeout=5_000)
    assert not job.state.is_final  # and the sound card is taking it
    qtbot.waitUntil(lambda: job.state.is_final, timeout=30_000)
    assert job.state is JobState.finished and panel.spool.frames > made_then
    qtbot.waitUntil(lambda: not player.playing, timeout=20_000)  # stops at the clip's end
    qtbot.waitUntil(lambda: panel.play_button.text() == "Play", timeout=1_000)  # next tick


class _FakePlayer:
    """Stands in for the AudioPlayer where there is no audio output: records what it is told."""

    def __init__(self) -> None:
        self.played: list[int] = []
        self.playing = False

    def play(self, spool: Any, start_frame: int) -> None:
        self.played.append(start_frame)
        self.playing = True

    def stop(self) -> None:
        self.playing = False

    def position(self) -> int:
        return 0


def test_speaking_again_while_speaking_plays_the_new_clip_from_its_start(
    qtbot: QtBot, panel: SpeechPanel, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from engines.speech import synthesis

    made = synthesis.SpeechStream.__iter__

    def slowly(self: synthesis.SpeechStream) -> Any:
        for chunk in made(self):
            yield chunk
            time.sleep(0.3)  # the first job is still running when Speak is pressed again

    monkeypatch.setattr(synthesis.SpeechStream, "__iter__", slowly)
    player = _FakePlayer()
    monkeypatch.setattr(panel, "player", player)
    monkeypatch.setattr(panel, "playback_ok", True)
    panel.text_edit.setPlainText("One. Two. Three. Four.")
    panel.generate()
    first = panel.job
    qtbot.waitUntil(lambda: player.played == [0], timeout=10_000)
    panel.generate()  # cancels the first job, whose end reaches the panel after this
    second = panel.job
    assert second is not first and first is not None and second is not None
    qtbot.waitUntil(lambda: len(player.played) == 2, timeout=10_000)
    assert not second.state.is_final  # the new clip plays while it is being made
    panel.cancel()
    qtbot.waitUntil(
        lambda: second.state.is_final and panel.speak_button.isEnabled(), timeout=10_000
    )


def test_closing_the_window_deletes_the_clip_spool(
    qtbot: QtBot, window: MainWindow, panel: SpeechPanel
) -> None:
    _speak(qtbot, panel, "Hello there.")
    assert panel.spool is not None
    spool_file = panel.spool.path
    assert spool_file.is_file()
    window.close()
    assert not spool_file.exists() and panel.spool is None


def test_speech_plays_through_the_one_player(
    qtbot: QtBot, tiny_voice: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sinks = fakes.instant_playback(monkeypatch)
    w = create_main_window(probe_device=False)  # made with playback "available"
    qtbot.addWidget(w)
    w.show()
    try:
        panel = w.panels["speech"]
        assert isinstance(panel, SpeechPanel) and panel.add_piper_voice(tiny_voice)
        assert isinstance(panel.player, playback.AudioPlayer) and panel.playback_ok
        _speak(qtbot, panel, "Hello there. Bye.")  # plays from the first sentence
        qtbot.waitUntil(lambda: not panel.player.playing, timeout=10_000)  # type: ignore[union-attr]
        assert panel.spool is not None and len(sinks) == 1
        assert (sinks[0].sample_rate, sinks[0].channels) == (16_000, 1)
        assert bytes(sinks[0].data) == panel.spool.read_bytes(0, panel.spool.frames * 2)
    finally:
        w.context.runner.shutdown(5000)


def test_the_panel_is_a_view_of_its_state(panel: SpeechPanel) -> None:
    """Widgets and state agree both ways, and what is spoken is built from the state."""
    state = panel.state
    state.text = "Hello from the state."
    state.speed = 1.25
    assert panel.text_edit.toPlainText() == "Hello from the state."
    assert panel.controls.speed_slider.value() == 125
    assert panel.controls.speed_label.text() == "1.25×"
    state.noise_scale = 0.667  # a slider of hundredths shows 0.67: the state says so too
    assert panel.noise_slider.value() == 67 and state.noise_scale == pytest.approx(0.67)
    panel.controls.noise_w_slider.setValue(40)
    assert state.noise_w == pytest.approx(0.4)
    request = panel.build_request()
    assert request.text == "Hello from the state." and request.voice_id == "piper:tiny"
    assert request.speed == 1.25 and request.noise_scale == pytest.approx(0.67)
    assert request.noise_w == pytest.approx(0.4) and request.blend == {}
    state.voice_id = "kokoro:jf_alpha"  # a Kokoro voice: the blend applies, noise does not
    assert panel.voice_box.currentData() == "kokoro:jf_alpha"
    assert panel.blend_slider.isEnabled() and not panel.noise_slider.isEnabled()
    state.blend_with, state.blend_weight = "jm_kumo", 0.25
    assert panel.blend_box.currentData() == "jm_kumo" and panel.blend_slider.value() == 25
    assert state.request("テスト").blend == pytest.approx({"jf_alpha": 0.75, "jm_kumo": 0.25})
    assert state.request("テスト").noise_scale is None
    state.voice_id = "piper:no-such-voice"  # not listed: the state keeps the picker's voice
    assert state.voice_id == panel.voice_box.currentData() == "kokoro:jf_alpha"


def test_the_waveform_play_and_export_are_views_of_the_state_clip(
    panel: SpeechPanel, tmp_path: Path
) -> None:
    """A clip put into the state is drawn and exported; a widget edit reaches the state."""
    import numpy as np

    from engines.speech.audio import ClipTags
    from studio.widgets.clip_spool import ClipSpool

    assert panel.state.clip is None and not panel.export_buttons["wav"].isEnabled()
    spool = ClipSpool(16_000, tmp_path)
    spool.append((0.5 * np.sin(np.arange(3200) / 7.0)).astype(np.float32), "Hi.")
    panel.state.show_clip(spool, ClipTags("Hi.", "piper:tiny", {"sample_rate": 16_000}))
    assert panel.spool is spool and panel.waveform.bins == 3200 // 256
    assert all(b.isEnabled() for b in panel.export_buttons.values())
    assert panel.play_button.isEnabled() == panel.playback_ok
    assert panel.position_label.text() == "0.0 / 0.2 s"
    written = panel.export("wav", tmp_path / "hi.wav")
    assert written is not None and sf.info(str(written)).frames == 3200
    panel.state.clear_clip()
    assert panel.spool is None and panel.waveform.bins == 0 and not spool.path.exists()
    assert not any(b.isEnabled() for b in panel.export_buttons.values())
    assert panel.export("wav") is None and "Nothing to export" in panel.status_label.text()
    panel.voice_box.setCurrentIndex(panel.voice_box.findData("kokoro:jf_alpha"))
    assert panel.state.voice_id == "kokoro:jf_alpha"  # the widget's edit is the state's
