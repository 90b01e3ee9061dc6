"""The Music panel with tiny random models: piano roll editing, the morph slider, jobs,
export, bad files and the no-audio-output case."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from engines.music.data import Note, notes_to_tokens
from studio.main_window import MainWindow
from studio.panels.music import MusicPanel, PianoRollWidget
from tests import fakes
from tests.music.conftest import midi_notes, write_band_midi

pytestmark = pytest.mark.gui


def _panel(window: MainWindow) -> MusicPanel:
    panel = window.panels["music"]
    assert isinstance(panel, MusicPanel)
    window.show_panel("music")
    return panel


def _center(roll: PianoRollWidget, step: int, pitch: int) -> QPoint:
    w = roll.width() / roll.steps
    h = roll.height() / (roll.high - roll.low + 1)
    return QPoint(int((step + 0.5) * w), int((roll.high - pitch + 0.5) * h))


def _wait_idle(qtbot: QtBot, panel: MusicPanel) -> None:
    qtbot.waitUntil(lambda: not panel._jobs, timeout=60_000)


def test_piano_roll_click_adds_drag_moves_right_click_deletes(qtbot: QtBot) -> None:
    roll = PianoRollWidget()
    qtbot.addWidget(roll)
    roll.resize(640, 300)
    roll.set_tokens(np.zeros(32, dtype=np.int64))
    roll.show()
    with qtbot.waitSignal(roll.notes_changed):
        qtbot.mouseClick(roll, Qt.MouseButton.LeftButton, pos=_center(roll, 4, 64))
    assert roll.notes() == [Note(64, 4, 2)]
    qtbot.mousePress(roll, Qt.MouseButton.LeftButton, pos=_center(roll, 4, 64))
    qtbot.mouseMove(roll, _center(roll, 8, 67))
    with qtbot.waitSignal(roll.notes_changed):
        qtbot.mouseRelease(roll, Qt.MouseButton.LeftButton, pos=_center(roll, 8, 67))
    assert roll.notes() == [Note(67, 8, 2)]
    with qtbot.waitSignal(roll.notes_changed):
        qtbot.mouseClick(roll, Qt.MouseButton.RightButton, pos=_center(roll, 8, 67))
    assert roll.notes() == []


def test_moving_a_note_onto_another_keeps_the_melody_monophonic(qtbot: QtBot) -> None:
    roll = PianoRollWidget()
    qtbot.addWidget(roll)
    roll.resize(640, 300)
    roll.set_tokens(notes_to_tokens([Note(60, 0, 4), Note(62, 8, 4)], 32))
    roll.show()
    qtbot.mousePress(roll, Qt.MouseButton.LeftButton, pos=_center(roll, 0, 60))
    qtbot.mouseMove(roll, _center(roll, 8, 60))
    qtbot.mouseRelease(roll, Qt.MouseButton.LeftButton, pos=_center(roll, 8, 60))
    assert roll.notes() == [Note(60, 8, 4)]


def test_sample_a_and_b_then_the_slider_morphs(
    qtbot: QtBot, window: MainWindow, tiny_models: None
) -> None:
    panel = _panel(window)
    panel.state.seed = 10  # sampling seeds follow the clock otherwise
    assert not panel.morph_slider.isEnabled()
    panel.slot_a.sample_button.click()
    _wait_idle(qtbot, panel)
    panel.slot_b.sample_button.click()
    _wait_idle(qtbot, panel)
    assert panel.state.latent_a is not None and panel.state.latent_b is not None
    assert panel.morph_slider.isEnabled()
    strip = [r.tokens() for r in panel.strip_rolls]
    assert all((s >= 0).all() and len(s) == 32 for s in strip)
    # Far-apart latents, so that even the tiny random decoder tells them apart.
    panel.state.latent_a = np.full((1, 4), 3.0, dtype=np.float32)
    panel.state.latent_b = np.full((1, 4), -3.0, dtype=np.float32)
    panel._update_morph()
    seen = set()
    for value in (0, 50, 100):
        panel.morph_slider.setValue(value)
        seen.add(panel.melody().tobytes())
    a_decoded = panel.strip_rolls[0].tokens()
    panel.morph_slider.setValue(0)
    assert np.array_equal(panel.melody(), a_decoded)  # the slider's end is A's decode
    assert len(seen) >= 2  # moving the slider gives new melodies


def test_continue_keeps_the_melody_and_adds_bars(
    qtbot: QtBot, window: MainWindow, tiny_models: None
) -> None:
    panel = _panel(window)
    prompt = notes_to_tokens([Note(60 + i, i * 4, 4) for i in range(8)], 32)
    panel.set_melody(prompt)
    panel.bars.setValue(2)
    panel.continue_button.click()
    _wait_idle(qtbot, panel)
    assert len(panel.melody()) == 64 and np.array_equal(panel.melody()[:32], prompt)
    panel.variations_button.click()
    _wait_idle(qtbot, panel)
    assert "Variations" in panel.status.text()


def test_attribute_slider_re_decodes(qtbot: QtBot, window: MainWindow, tiny_models: None) -> None:
    panel = _panel(window)
    panel.set_melody(notes_to_tokens([Note(60 + i, i * 4, 4) for i in range(8)], 32))
    before = panel.melody()
    panel.attribute_sliders["density"].setValue(100)
    assert panel.state.base_latent is not None
    assert "Attributes applied" in panel.status.text()
    assert len(panel.melody()) == len(before)


def test_export_writes_audio_and_midi(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, audio_writes: list[Path]
) -> None:
    import soundfile

    from engines.music.data import read_midi

    panel = _panel(window)
    melody = notes_to_tokens([Note(60 + i, i * 4, 4) for i in range(8)], 32)
    panel.set_melody(melody)
    panel.tempo.setValue(120)
    panel.export_to(tmp_path / "m.flac", tmp_path / "m.mid")
    _wait_idle(qtbot, panel)
    assert "Wrote" in panel.status.text(), panel.status.text()
    info = soundfile.info(str(tmp_path / "m.flac"))
    assert info.duration == pytest.approx(4.0 + 1.0, abs=0.05)  # 2 bars at 120 BPM + release
    assert np.array_equal(read_midi(tmp_path / "m.mid").tokens[:32], melody)
    assert audio_writes == [tmp_path / "m.flac"]  # through the one writer


def test_a_dropped_band_file_keeps_its_tracks_under_the_continuation(
    qtbot: QtBot, window: MainWindow, tiny_models: None, tmp_path: Path
) -> None:
    panel = _panel(window)
    band = write_band_midi(tmp_path / "band.mid")
    panel.load_midi_into(panel.slot_a, band.path)
    assert (
        "Loaded band.mid into melody A: the melody of track 'Piano' (4/4, G major); its 12 "
        "lower notes and 3 other tracks ('Bass', 'Strings', 'Drums') kept as accompaniment."
    ) in panel.status.text()
    _wait_idle(qtbot, panel)
    assert panel.tempo.value() == 100  # the file's tempo, which its tracks play at
    panel.bars.setValue(2)
    panel.continue_button.click()
    _wait_idle(qtbot, panel)
    assert len(panel.melody()) == 6 * 16
    panel.export_to(tmp_path / "m.wav", tmp_path / "m.mid")
    _wait_idle(qtbot, panel)
    # The drums' clicks make the -1 dBTP ceiling bind before -16 LUFS: the message says so.
    said = re.search(
        r"; loudness (-[\d.]+) LUFS, true peak (-[\d.]+) dBTP \(target -16 LUFS",
        panel.status.text(),
    )
    assert said, panel.status.text()
    assert -17.0 < float(said[1]) <= -15.9 and float(said[2]) <= -1.0
    written = midi_notes(tmp_path / "m.mid")
    assert len(written["Bass"]) == len(band.tracks["Bass"])
    assert len(written["Drums"]) == len(band.tracks["Drums"])
    panel.generate()  # a new melody is not the file's: its tracks go
    _wait_idle(qtbot, panel)
    panel.export_to(tmp_path / "n.wav", tmp_path / "n.mid")
    _wait_idle(qtbot, panel)
    assert "Bass" not in midi_notes(tmp_path / "n.mid")


def test_bad_midi_drop_says_why_and_keeps_the_melody(window: MainWindow, tmp_path: Path) -> None:
    panel = _panel(window)
    before = panel.melody()
    bad = tmp_path / "bad.mid"
    bad.write_bytes(b"not midi at all")
    panel.load_midi_into(panel.slot_a, bad)
    assert "not a readable MIDI file" in panel.status.text()
    assert np.array_equal(panel.melody(), before) and panel.state.melody_a is None


def test_playback_degrades_to_export_only_without_audio_output(
    make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runs everywhere: the sound server's answer is made "none" (CI has a null sink)."""
    from studio import playback

    monkeypatch.setattr(
        playback,
        "playback_support",
        lambda: playback.PlaybackSupport(False, "no PulseAudio (or PipeWire) sound server"),
    )
    panel = _panel(make_window())
    assert not panel.can_play
    assert not panel.play_button.isEnabled()
    assert panel.playback_note.isVisibleTo(panel) and "Export" in panel.playback_note.text()
    panel.toggle_play()  # does nothing harmful
    assert panel.export_button.isEnabled()


def test_instrument_lists_match_the_renderer() -> None:
    from engines.music.render import INSTRUMENTS
    from studio.cli.music import INSTRUMENT_NAMES as CLI_NAMES
    from studio.panels.music import INSTRUMENT_NAMES

    assert tuple(INSTRUMENTS) == INSTRUMENT_NAMES == CLI_NAMES
    assert INSTRUMENT_NAMES is CLI_NAMES  # one list, not copies kept equal


def _dragged_file(mime: object) -> Path:
    from PySide6.QtCore import QMimeData

    assert isinstance(mime, QMimeData) and mime.hasUrls()
    urls = mime.urls()
    assert len(urls) == 1 and urls[0].isLocalFile()
    path = Path(urls[0].toLocalFile())
    assert path.is_file() and path.stat().st_size > 0
    return path


def test_dragging_midi_out_carries_a_real_midi_file(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The mouse gesture itself: press, move past the drag distance, a QDrag with a file."""
    from engines.music.data import read_midi
    from studio.widgets import file_drag

    started: list[tuple[object, object]] = []

    class RecordingDrag:  # QDrag.exec would wait for a drop that never comes offscreen
        def __init__(self, source: object) -> None:
            self.source: object = source
            self.mime: object = None

        def setMimeData(self, mime: object) -> None:
            self.mime = mime

        def exec(self, action: object) -> object:
            started.append((self.mime, action))
            return action

    monkeypatch.setattr(file_drag, "QDrag", RecordingDrag)
    panel = _panel(window)
    melody = notes_to_tokens([Note(60 + 2 * i, i * 4, 3) for i in range(8)], 32)
    panel.set_melody(melody)
    panel.tempo.setValue(96)
    handle = panel.drag_midi
    qtbot.mousePress(handle, Qt.MouseButton.LeftButton, pos=QPoint(4, 4))
    qtbot.mouseMove(handle, QPoint(30, 20))
    qtbot.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=QPoint(30, 20))
    assert len(started) == 1 and started[0][1] == Qt.DropAction.CopyAction
    path = _dragged_file(started[0][0])
    assert path.suffix == ".mid"
    read = read_midi(path)
    assert np.array_equal(read.tokens[:32], melody)
    assert read.tempo_bpm == pytest.approx(96, abs=0.5)


@pytest.mark.parametrize("fmt", ["wav", "flac"])
def test_dragging_audio_out_carries_a_real_audio_file(window: MainWindow, fmt: str) -> None:
    import soundfile

    panel = _panel(window)
    panel.set_melody(notes_to_tokens([Note(67 - i, i * 4, 4) for i in range(8)], 32))
    panel.tempo.setValue(120)
    panel.format.setCurrentText(fmt)
    path = _dragged_file(panel.drag_audio.mime_data())
    assert path.suffix == f".{fmt}"
    info = soundfile.info(str(path))
    assert info.format == fmt.upper() and info.channels == 2
    assert info.duration == pytest.approx(4.0 + 1.0, abs=0.05)  # 2 bars at 120 BPM + release
    audio, _ = soundfile.read(str(path))
    assert np.abs(audio).max() > 0.01  # the notes sound


def test_dragging_an_empty_melody_writes_a_silent_but_valid_file(window: MainWindow) -> None:
    import soundfile

    panel = _panel(window)
    panel.set_melody(np.zeros(32, dtype=np.int64))
    path = _dragged_file(panel.drag_audio.mime_data())
    assert soundfile.info(str(path)).frames > 0


def test_keyboard_names_the_rows_of_the_roll(qtbot: QtBot, window: MainWindow) -> None:
    panel = _panel(window)
    window.resize(1280, 860)
    window.show()
    qtbot.waitExposed(window)
    panel.set_melody(notes_to_tokens([Note(60, 0, 4), Note(72, 4, 4), Note(67, 8, 4)], 32))
    labels = panel.keyboard.labels()
    names = [name for name, _, _ in labels]
    assert {"C4", "G4", "C5"} <= set(names)
    assert "C♯4" not in names  # black keys go unnamed
    roll = panel.roll
    for name, pitch, box in labels:
        # A label sits on its pitch's row: the roll's cell at that height is that pitch.
        at = roll.mapFromGlobal(panel.keyboard.mapToGlobal(box.center()))
        assert roll.cell_at(QPoint(roll.width() // 2, at.y()))[1] == pitch, name


def test_play_moves_the_playhead_and_stop_ends_it(qtbot: QtBot, window: MainWindow) -> None:
    """Needs an audio output (PulseAudio, even the null sink .ci/run starts); skipped,
    saying why, where there is none (the export-only path is what the other tests
    cover)."""
    panel = _panel(window)
    if not panel.can_play:
        pytest.skip(panel.play_message)
    panel.set_melody(notes_to_tokens([Note(60 + i, i * 4, 4) for i in range(8)], 32))
    panel.toggle_play()
    qtbot.waitUntil(lambda: panel.player is not None and panel.player.playing, timeout=60_000)
    assert panel.play_button.text() == "Stop"
    qtbot.waitUntil(lambda: (panel.roll.playhead or 0) > 1, timeout=10_000)
    first = panel.roll.playhead or 0
    qtbot.waitUntil(lambda: (panel.roll.playhead or 0) > first + 1, timeout=10_000)
    panel.toggle_play()
    assert panel.player is not None and not panel.player.playing
    assert panel.roll.playhead is None
    assert panel.play_button.text() == "Play"


def test_play_goes_through_the_one_player_to_the_end(
    qtbot: QtBot, make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    sinks = fakes.instant_playback(monkeypatch)
    panel = _panel(make_window())
    assert panel.can_play
    panel.set_melody(notes_to_tokens([Note(60 + i, i * 4, 4) for i in range(8)], 32))
    panel.toggle_play()
    qtbot.waitUntil(lambda: bool(sinks), timeout=60_000)  # rendered, started
    assert panel.player is not None and (sinks[0].sample_rate, sinks[0].channels) == (44_100, 2)
    qtbot.waitUntil(lambda: panel.play_button.text() == "Play", timeout=10_000)  # the end
    assert not panel.player.playing and panel.roll.playhead is None and sinks[0].stopped
    assert panel._audio is not None
    pcm = (np.clip(panel._audio, -1, 1) * 32767).astype("<i2").tobytes()
    assert bytes(sinks[0].data) == pcm  # all of the render, once, in order


def test_the_panel_is_a_view_of_its_state(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """Controls and roll follow the state, the state follows them, and exports are
    built from the state."""
    import soundfile

    from engines.music.data import read_midi

    panel = _panel(window)
    state = panel.state
    state.tempo = 120
    state.export_format = "flac"
    assert panel.tempo.value() == 120 and panel.format.currentText() == "flac"
    panel.bars.setValue(3)
    panel.instrument.setCurrentText("cello")
    assert state.bars == 3 and state.instrument == "cello"
    melody = notes_to_tokens([Note(62 + i, i * 4, 4) for i in range(8)], 32)
    state.melody = melody
    assert np.array_equal(panel.roll.tokens(), melody)
    qtbot.mouseClick(panel.roll, Qt.MouseButton.RightButton, pos=_center(panel.roll, 0, 62))
    assert state.melody[0] == 0 and np.array_equal(state.melody[4:], melody[4:])  # edited
    assert "instrument=cello" in state.settings_comment()
    panel.export_to(tmp_path / "m.flac", tmp_path / "m.mid")
    _wait_idle(qtbot, panel)
    assert soundfile.info(str(tmp_path / "m.flac")).duration == pytest.approx(5.0, abs=0.05)
    assert np.array_equal(read_midi(tmp_path / "m.mid").tokens[:32], state.melody)


def test_the_attribute_amounts_live_in_the_state(
    qtbot: QtBot, window: MainWindow, tiny_models: None
) -> None:
    """A state change moves the slider and re-decodes; a new melody sets the amounts
    back to 0 without decoding again."""
    panel = _panel(window)
    panel.set_melody(notes_to_tokens([Note(60 + i, i * 4, 4) for i in range(8)], 32))
    panel.state.density_amount = 2.0
    assert panel.attribute_sliders["density"].value() == 100
    assert panel.state.base_latent is not None and "Attributes applied" in panel.status.text()
    panel.set_melody(notes_to_tokens([Note(65, 0, 8)], 32), "New.")
    assert panel.state.density_amount == 0.0 and panel.attribute_sliders["density"].value() == 0
    assert panel.state.base_latent is None and panel.status.text() == "New."


def test_the_panel_loads_every_model_through_the_registry(
    qtbot: QtBot, window: MainWindow, tiny_models: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from engines import registry

    loaded: list[str | None] = []
    real_load = registry.load

    def recording_load(model_id: str | None, *args: object, **kwargs: object) -> object:
        loaded.append(model_id)
        return real_load(model_id, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(registry, "load", recording_load)
    panel = _panel(window)
    panel.bars.setValue(2)
    panel.generate()
    _wait_idle(qtbot, panel)
    assert "Sampled 2 bars" in panel.status.text()
    panel._export_for_drag("audio")
    assert loaded == [None, "fluidr3mono-gm"]  # each loaded once, then kept
