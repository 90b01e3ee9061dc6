"""The History dock in the main window: finished image jobs and text replies appear with
their recipes, filters and search narrow the list, reopening restores the panel's
settings, and a missing file can be relinked or removed. Screenshots go to
tests/_artifacts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from engines.catalogue import Catalogue
from engines.history import History, HistoryItem
from engines.jobs import JobState
from studio.history.view import HistoryDock, ItemRole
from studio.main_window import MainWindow
from studio.panels.image import ImagePanel
from studio.panels.speech import SpeechPanel
from studio.panels.text import TextPanel

pytestmark = pytest.mark.gui

torch = pytest.importorskip("torch")
ARTIFACTS = Path(__file__).resolve().parent.parent / "_artifacts"


@pytest.fixture(scope="module")
def tiny_vae_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from engines.image import vae as V

    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("vae") / "tiny-vae.safetensors"
    V.save(V.EmojiVAE(V.VAEConfig(channels=(4, 8, 8))), path)
    return path


@pytest.fixture(scope="module")
def tiny_llama(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.text.conftest import build_tiny_llama

    return build_tiny_llama(tmp_path_factory.mktemp("tiny-llama"))


@pytest.fixture
def window(make_window: Callable[..., MainWindow], tiny_vae_file: Path) -> MainWindow:
    Catalogue().import_model(
        tiny_vae_file, "image", "vae", name="Tiny VAE", engine_module="engines.image.emoji"
    )
    w = make_window()
    w.history_dock.show()
    w.history_dock.raise_()
    return w


def _rows(dock: HistoryDock) -> list[HistoryItem]:
    model = dock.view.model
    return [model.index(r).data(ItemRole) for r in range(model.rowCount())]


def _image_panel(window: MainWindow) -> ImagePanel:
    panel = window.panels["image"]
    assert isinstance(panel, ImagePanel)
    return panel


def _generate_image(qtbot: QtBot, window: MainWindow, prompt: str, batch: int = 1) -> None:
    panel = _image_panel(window)
    box = panel.controls.model
    box.setCurrentIndex(box.findText("Tiny VAE", Qt.MatchFlag.MatchContains))
    assert box.currentIndex() >= 0
    panel.controls.prompt.setPlainText(prompt)
    panel.controls.batch.setValue(batch)
    panel.controls.seed.spin.setValue(4321)
    panel.controls.seed.lock.setChecked(True)
    count = window.history_dock.store.count() if window.history_dock.store else 0
    panel.generate()
    qtbot.waitUntil(
        lambda: (
            panel.job is not None
            and panel.job.state.is_final
            and len(_rows(window.history_dock)) >= count + batch
        ),
        timeout=60_000,
    )
    assert panel.job is not None and panel.job.state is JobState.finished


def test_a_finished_image_job_is_listed_and_reopens_with_its_settings(
    qtbot: QtBot, window: MainWindow
) -> None:
    dock = window.history_dock
    assert dock.toggle_action.shortcut().toString() == "Ctrl+H"
    _generate_image(qtbot, window, "a lighthouse at dusk", batch=2)
    rows = _rows(dock)
    assert len(rows) == 2
    panel = _image_panel(window)
    saved = {e.path for e in panel.gallery.entries}
    assert {r.files[0] for r in rows} == saved  # the files the gallery shows
    first = rows[0]
    assert first.kind == "image" and first.prompt == "a lighthouse at dusk"
    assert first.model_id == panel.controls.model.currentData()
    assert first.licence == "unknown (imported by you)"
    assert {r.seed for r in rows} == {4321, 4322}
    assert first.duration is not None and first.duration > 0
    assert f"Seed: {first.seed}," in first.recipe["parameters"]
    assert f"Model: {first.model_id}," in first.recipe["parameters"]
    # A thumbnail from the picture itself, not the kind's sign.
    icon = dock.view.model.index(0).data(Qt.ItemDataRole.DecorationRole)
    assert icon.width() == 48 or icon.height() == 48
    assert dock.view.thumbnails.made >= 1
    made = dock.view.thumbnails.made
    dock.view.model.index(0).data(Qt.ItemDataRole.DecorationRole)
    assert dock.view.thumbnails.made == made  # cached

    ARTIFACTS.mkdir(exist_ok=True)
    dock.grab().save(str(ARTIFACTS / "history-dock.png"))

    # Change the settings, then reopen: the item's come back.
    panel.controls.prompt.setPlainText("something else")
    panel.controls.seed.spin.setValue(1)
    window.show_panel("text")
    item = next(r for r in rows if r.seed == 4321)
    row = dock.view.model.index(rows.index(item))
    rect = dock.view.list.visualRect(row)
    qtbot.mouseClick(dock.view.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(dock.view.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_panel() is panel
    assert panel.controls.prompt.toPlainText() == "a lighthouse at dusk"
    assert panel.controls.seed.spin.value() == 4321

    # The picture is gone: the row says so, the recipe still restores the settings.
    item.files[0].unlink()
    dock.view.refresh()
    missing = next(r for r in _rows(dock) if r.id == item.id)
    assert missing.missing == item.files
    assert "file missing" in dock.view.model.index(_rows(dock).index(missing)).data()
    panel.controls.prompt.setPlainText("again something else")
    dock.view.open_requested.emit(missing)
    assert panel.controls.prompt.toPlainText() == "a lighthouse at dusk"
    assert "missing" in window.statusBar().currentMessage()


def test_filters_search_relink_and_remove(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    dock = window.history_dock
    _generate_image(qtbot, window, "a red fox")
    assert dock.store is not None
    dock.store.record(HistoryItem(kind="text", prompt="why is the sky blue", body="Rayleigh."))
    dock.view.refresh()
    assert len(_rows(dock)) == 2

    view = dock.view
    # A selection survives the refresh a new item brings.
    text_row = next(r for r, i in enumerate(_rows(dock)) if i.kind == "text")
    view.list.setCurrentIndex(view.model.index(text_row))
    extra = dock.store.record(HistoryItem(kind="melody", prompt="a short tune"))
    view.refresh()
    selected = view.selected_item()
    assert selected is not None and selected.kind == "text"
    view.remove(dock.store.get(extra.id))
    view.kind.setCurrentIndex(view.kind.findData("text"))
    assert [r.kind for r in _rows(dock)] == ["text"]
    view.kind.setCurrentIndex(0)
    image_model = _image_panel(window).controls.model.currentData()
    view.model_filter.setCurrentIndex(view.model_filter.findData(image_model))
    assert [r.kind for r in _rows(dock)] == ["image"]
    view.model_filter.setCurrentIndex(0)
    view.search.setText("rayl")  # a prefix of the reply's word
    qtbot.waitUntil(lambda: [r.kind for r in _rows(dock)] == ["text"], timeout=3000)
    view.search.setText("")
    view.when.setCurrentIndex(view.when.findData(1.0))  # the past day: both
    qtbot.waitUntil(lambda: len(_rows(dock)) == 2, timeout=3000)

    image = next(r for r in _rows(dock) if r.kind == "image")
    moved = tmp_path / "moved.png"
    image.files[0].rename(moved)
    view.refresh()
    image = next(r for r in _rows(dock) if r.kind == "image")
    menu = view.menu_for(image)
    enabled = {a.text(): a.isEnabled() for a in menu.actions() if a.text()}
    assert enabled["Relink…"] and not enabled["Show file"]
    view.relink(image, image.files[0], moved)
    image = next(r for r in _rows(dock) if r.kind == "image")
    assert image.files == (moved,) and image.missing == ()
    view.remove(image)
    assert [r.kind for r in _rows(dock)] == ["text"]
    assert moved.exists()  # the user's file stays


def test_a_text_reply_is_listed_with_its_text_and_reopens_its_conversation(
    qtbot: QtBot, window: MainWindow, tiny_llama: Path
) -> None:
    from engines.text import llm

    panel = window.panels["text"]
    assert isinstance(panel, TextPanel)
    window.show_panel("text")
    model_id = panel.import_model(tiny_llama)
    assert model_id
    panel.max_tokens.setValue(12)
    panel.seed.setValue(3)
    panel.prompt.setPlainText("Tell me about herons")
    panel.generate()
    dock = window.history_dock
    try:
        qtbot.waitUntil(lambda: len(_rows(dock)) == 1, timeout=60_000)
    finally:
        window.context.runner.wait_for_done(10_000)
        llm.unload()
    item = _rows(dock)[0]
    reply = panel.conversation.turns[-1]
    assert item.kind == "text" and item.model_id == model_id
    assert item.prompt == "Tell me about herons"  # the user's message, through the preset
    assert item.body == reply.content and item.body
    assert item.seed == 3
    assert item.recipe["max_new_tokens"] == 12
    assert [f.name for f in item.files] == [f"{panel.conversation.id}.json"]
    assert item.files[0].exists()  # the conversation was saved where the item says
    # Full-text search finds the reply by its prompt.
    dock.view.search.setText("herons")
    dock.view.refresh()
    assert [r.id for r in _rows(dock)] == [item.id]

    conversation_id = panel.conversation.id
    panel.new_conversation()
    assert panel.conversation.id != conversation_id
    dock.view.open_requested.emit(item)
    assert window.current_panel() is panel
    assert panel.conversation.id == item.files[0].stem
    assert panel.conversation.turns[-1].content == item.body


def test_a_history_that_cannot_be_used_is_set_aside_and_said(
    make_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    db = tmp_path / "data" / "history.sqlite3"
    db.parent.mkdir(parents=True)
    db.write_bytes(b"garbage" * 100)
    window = make_window()
    view = window.history_dock.view
    assert view.notice.isVisibleTo(view) and "could not be used" in view.notice.text()
    assert any(".set-aside-" in p.name for p in db.parent.iterdir())
    assert History(db).count() == 0


def test_a_walk_export_is_recorded(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    panel = _image_panel(window)
    _generate_image(qtbot, window, "two faces", batch=2)
    panel.tabs.setCurrentIndex(2)
    panel.gallery.item(0).setSelected(True)
    panel.gallery.item(1).setSelected(True)
    panel.start_interpolation()  # the first call loads the model as a job
    qtbot.waitUntil(lambda: panel.engine is not None, timeout=30_000)
    panel.start_interpolation()
    panel.walk_frames.setValue(3)
    job = panel.export_walk(tmp_path / "walk.gif")
    assert job is not None
    dock = window.history_dock
    qtbot.waitUntil(lambda: job.state.is_final and len(_rows(dock)) == 3, timeout=30_000)
    walk = _rows(dock)[0]
    assert walk.kind == "walk" and walk.files == (tmp_path / "walk.gif",)
    assert walk.model_id == panel.engine_id and walk.duration is not None
    # Its thumbnail is the walk's first frame, not the kind's sign.
    thumbnail = dock.view.model.index(0).data(Qt.ItemDataRole.DecorationRole)
    assert not thumbnail.isNull()
    assert thumbnail.cacheKey() != dock.view.thumbnails.sign("walk").cacheKey()


def test_a_history_that_cannot_be_opened_leaves_the_window_working(
    make_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    (tmp_path / "data").write_text("a file where the data folder should be")
    window = make_window()
    view = window.history_dock.view
    assert "cannot be opened" in view.notice.text() and view.notice.isVisibleTo(view)
    assert window.context.history is None  # the panels' hooks then record nothing
    assert view.model.rowCount() == 0


def test_items_whose_files_are_gone_restore_their_settings(
    make_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    window = make_window()
    dock = window.history_dock
    assert dock.store is not None
    reply = dock.store.record(
        HistoryItem(
            kind="text",
            files=(tmp_path / "gone.json",),
            prompt="Ask me again",
            body="An old answer.",
            recipe={"temperature": 0.7, "top_k": 20, "max_new_tokens": 64},
            seed=11,
        )
    )
    clip = dock.store.record(
        HistoryItem(kind="speech", body="Say it once more.", recipe={"speed": 1.3})
    )
    dock.view.refresh()
    text_panel = window.panels["text"]
    assert isinstance(text_panel, TextPanel)
    dock.view.open_requested.emit(dock.store.get(reply.id))
    assert window.current_panel() is text_panel
    state = text_panel.state
    assert state.prompt == "Ask me again" and text_panel.prompt.toPlainText() == "Ask me again"
    assert (state.temperature, state.top_k, state.max_new_tokens, state.seed) == (0.7, 20, 64, 11)
    assert "missing" in window.statusBar().currentMessage()

    dock.view.open_requested.emit(dock.store.get(clip.id))
    speech = window.panels["speech"]
    assert isinstance(speech, SpeechPanel) and window.current_panel() is speech
    assert speech.state.text == "Say it once more." and speech.state.speed == 1.3
