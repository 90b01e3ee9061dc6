"""Every panel's finished jobs reach the history: a sampled melody and its export, a
spoken clip and its exports (one item, its files added), reopened in their panels with
their settings. Also the recorder's rules: failed jobs and jobs that made nothing are
not recorded, a stopped reply is, and a database that cannot be written says so."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from engines.catalogue import Catalogue
from engines.errors import SozoError
from engines.history import History, HistoryItem
from engines.jobs import Job, JobContext
from engines.music.types import MusicResult
from engines.text.types import TextResult
from studio.history.recorder import HistoryRecorder
from studio.history.view import ItemRole
from studio.jobs import JobRunner
from studio.main_window import MainWindow
from studio.panels.music import MusicPanel
from studio.panels.speech import SpeechPanel

pytestmark = pytest.mark.gui

SPEECH_DATA = Path(__file__).resolve().parent.parent / "speech" / "data"


def _rows(window: MainWindow) -> list[HistoryItem]:
    model = window.history_dock.view.model
    return [model.index(r).data(ItemRole) for r in range(model.rowCount())]


def test_a_spoken_clip_is_one_item_and_its_exports_join_it(
    qtbot: QtBot, make_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    for suffix in (".onnx", ".onnx.json"):
        shutil.copy(SPEECH_DATA / f"tiny{suffix}", tmp_path / f"tiny{suffix}")
    window = make_window()
    panel = window.panels["speech"]
    assert isinstance(panel, SpeechPanel)
    assert panel.add_piper_voice(tmp_path / "tiny.onnx")
    panel.text_edit.setPlainText("The history keeps this sentence.")
    panel.generate()
    qtbot.waitUntil(lambda: len(_rows(window)) == 1, timeout=30_000)
    item = _rows(window)[0]
    assert item.kind == "speech" and item.body == "The history keeps this sentence."
    assert item.files == () and item.recipe["voice_id"] == "piper:tiny"
    assert item.duration is not None and item.duration > 0

    wav = panel.export("wav", tmp_path / "clip.wav")
    flac = panel.export("flac", tmp_path / "clip.flac")
    assert wav is not None and flac is not None
    rows = _rows(window)
    assert len(rows) == 1 and rows[0].files == (wav, flac)  # the same item, its files added
    icon = window.history_dock.view.model.index(0).data(Qt.ItemDataRole.DecorationRole)
    assert not icon.isNull() and window.history_dock.view.thumbnails.made == 1  # its waveform

    # Reopen after the script and voice changed: both come back, the audio is opened.
    panel.text_edit.setPlainText("Something else entirely.")
    panel.state.speed = 1.7
    window.show_panel("text")
    window.history_dock.view.open_requested.emit(rows[0])
    assert window.current_panel() is panel
    assert panel.state.text == "The history keeps this sentence."
    assert panel.state.speed == 1.0
    assert panel.spool is not None and panel.spool.frames > 0

    # An opened audio file is nothing the studio made: exporting it adds no item.
    panel.open_audio(wav)
    panel.export("wav", tmp_path / "again.wav")
    assert len(_rows(window)) == 1


def test_a_sampled_melody_and_its_export_are_recorded_and_reopen(
    qtbot: QtBot, make_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    window = make_window()
    panel = window.panels["music"]
    assert isinstance(panel, MusicPanel)
    window.show_panel("music")
    panel.state.bars = 2
    panel.generate()
    qtbot.waitUntil(lambda: not panel._jobs and len(_rows(window)) == 1, timeout=60_000)
    sampled = _rows(window)[0]
    assert sampled.kind == "melody" and sampled.files == ()
    assert sampled.model_id and sampled.licence  # a catalogue model, with its licence
    assert sampled.seed is not None
    tokens = np.asarray(sampled.recipe["tokens"])
    assert np.array_equal(tokens, panel.state.melody)

    job = panel.export_to(tmp_path / "tune.wav", tmp_path / "tune.mid")
    qtbot.waitUntil(lambda: job.state.is_final and len(_rows(window)) == 2, timeout=60_000)
    exported = _rows(window)[0]
    assert exported.files == (tmp_path / "tune.wav", tmp_path / "tune.mid")
    assert exported.kind == "melody" and exported.missing == ()

    # The MIDI file is gone: the notes come back from the history itself.
    (tmp_path / "tune.mid").unlink()
    panel.set_melody(np.zeros_like(panel.state.melody), "cleared")
    window.history_dock.view.refresh()
    window.history_dock.view.open_requested.emit(_rows(window)[0])
    assert np.array_equal(panel.state.melody, tokens)


# -- the recorder's rules, on a real runner with scripted jobs ----------------------------
@pytest.fixture
def recorder(qtbot: QtBot, tmp_path: Path) -> Any:
    runner = JobRunner()
    store = History(tmp_path / "h.db")
    rec = HistoryRecorder(store, catalogue=Catalogue(), device=lambda: "cpu")
    rec.attach(runner)
    yield rec, runner, store
    runner.shutdown(5000)
    store.close()


def _run(
    qtbot: QtBot,
    runner: JobRunner,
    work: Any,
    rec: HistoryRecorder | None = None,
    describe: tuple[HistoryItem, ...] = (),
) -> Job[Any]:
    job: Job[Any] = Job("scripted", work, task="music")
    if rec is not None and describe:
        rec.describe(job, *describe)
    with qtbot.waitSignal(runner.job_finished, timeout=10_000):
        runner.submit(job)
    return job


def test_results_that_hold_their_output_are_recorded_by_type(qtbot: QtBot, recorder: Any) -> None:
    _, runner, store = recorder

    def melody(ctx: JobContext) -> MusicResult:
        return MusicResult(
            tokens=(60, 1, 62, 0), model_id="melody-transformer", seed=9, tempo_bpm=96
        )

    _run(qtbot, runner, melody)
    _run(qtbot, runner, lambda ctx: "a model was loaded")  # nothing made: nothing recorded
    items = store.search()
    assert len(items) == 1
    item = items[0]
    assert item.kind == "melody" and item.recipe["tokens"] == [60, 1, 62, 0]
    assert item.model_id == "melody-transformer" and item.seed == 9
    assert item.licence == Catalogue().get("melody-transformer").licence
    assert item.device == "cpu" and item.duration is not None


def test_failed_jobs_are_not_recorded_and_stopped_replies_are(qtbot: QtBot, recorder: Any) -> None:
    rec, runner, store = recorder

    def fails(ctx: JobContext) -> None:
        raise SozoError("no luck")

    _run(qtbot, runner, fails, rec, (HistoryItem(kind="image", prompt="never made"),))

    def stopped(ctx: JobContext) -> TextResult:
        ctx.keep_partial(TextResult(text="Half a sen", model_id="m", tokens=3, seconds=0.1))
        ctx.cancel()
        ctx.check()
        raise AssertionError("unreachable")

    _run(qtbot, runner, stopped, rec, (HistoryItem(kind="text", prompt="Say a sentence"),))

    def stopped_at_once(ctx: JobContext) -> TextResult:
        ctx.cancel()
        ctx.check()
        raise AssertionError("unreachable")

    _run(qtbot, runner, stopped_at_once, rec, (HistoryItem(kind="text", prompt="Say nothing"),))
    items = store.search()
    assert [(i.kind, i.prompt, i.body) for i in items] == [("text", "Say a sentence", "Half a sen")]


def test_a_database_that_cannot_be_written_says_so(qtbot: QtBot, recorder: Any) -> None:
    rec, _, store = recorder
    store.close()
    with qtbot.waitSignal(rec.failed) as said:
        assert rec.record(HistoryItem(kind="text", prompt="lost")) is None
    assert said.args[0].startswith("The history could not be written")
