"""The Image and Music panels in Japanese: with their areas' translations loaded, every
label, button, tooltip, placeholder, tab and combo item they show is Japanese, apart from
names (models, samplers, file formats, units) on a short allow-list. The translators are
removed afterwards, so every other test sees the English default.

Texts that other areas' files make (the core area's playback notice and file-drag
tooltip) are checked too when the core area's compiled translation is there."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from engines.catalogue import Task
from engines.image.captions_ja import read_japanese
from engines.image.types import ImageRequest
from engines.imagefile import SAMPLER_NAMES
from engines.music.instruments import INSTRUMENT_NAMES
from studio.main_window import MainWindow
from studio.panels.image import ImagePanel
from studio.panels.music import MusicPanel
from studio.panels.music_controls import INSTRUMENT_LABELS
from studio.panels.music_state import EXPORT_FORMATS

pytestmark = pytest.mark.gui

I18N = Path(__file__).resolve().parents[2] / "studio" / "i18n"
ARTIFACTS = Path(__file__).resolve().parent.parent / "_artifacts"
AREAS = ("image", "music")
CORE_QM = I18N / "sozo_core_ja.qm"

# Names and units kept in Latin in the Japanese interface.
ALLOWED = {
    "MIDI",
    "LoRA",
    "CFG",
    "VAE",
    "GANSpace",
    "img2img",
    "BPM",
    "Ctrl",
    "Enter",
    "Esc",
    "Lanczos",
    "GIF",
    "MP4",
    "PNG",
    *EXPORT_FORMATS,
    "mid",
    "safetensors",
    # In the core area's texts these panels show (the playback notice, the drag handles).
    *("DAW", "Qt", "Multimedia", "PulseAudio", "PipeWire", "libpulse", "libpulse0", "Debian"),
}
# What a panel shows that comes from another area's files.
CORE_OWNED = {("playbackNotice", "text"), ("FileDragLabel", "toolTip")}


def latin_words(text: str) -> list[str]:
    """The Latin words of three letters or more in ``text`` (HTML tags left out) that
    are not allowed names."""
    text = re.sub(r"<[^>]+>", " ", text)
    words = re.findall(r"[A-Za-z][A-Za-z0-9]*", text)
    return [w for w in words if sum(c.isalpha() for c in w) >= 3 and w not in ALLOWED]


def shown_texts(root: QWidget) -> Iterator[tuple[QWidget, str, str]]:
    """(widget, kind, text) for everything a person can read on ``root`` and under it,
    hidden widgets included (they show when a model or a state asks for them)."""
    for widget in [root, *root.findChildren(QWidget)]:
        yield widget, "toolTip", widget.toolTip()
        if isinstance(widget, QLabel | QAbstractButton):
            yield widget, "text", widget.text()
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            yield widget, "placeholderText", widget.placeholderText()
        if isinstance(widget, QComboBox):
            for i in range(widget.count()):
                yield widget, "item", widget.itemText(i)
        if isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                yield widget, "tab", widget.tabText(i)
        if isinstance(widget, QSpinBox | QDoubleSpinBox):
            yield widget, "prefix", widget.prefix()
            yield widget, "suffix", widget.suffix()
        if isinstance(widget, QAbstractSpinBox):
            yield widget, "specialValueText", widget.specialValueText()


def english_left(panel: QWidget, names: set[str]) -> list[str]:
    """What is still English on the panel: 'objectName/class kind: text' lines."""
    core = CORE_QM.exists()
    left = []
    for widget, kind, text in shown_texts(panel):
        owner = (widget.objectName(), kind) in CORE_OWNED or (
            type(widget).__name__,
            kind,
        ) in CORE_OWNED
        if not text or (owner and not core):
            continue
        stripped = text
        for name in sorted(names, key=len, reverse=True):  # model and sampler names
            stripped = stripped.replace(name, " ")
        if latin_words(stripped):
            left.append(f"{widget.objectName() or type(widget).__name__} {kind}: {text!r}")
    return left


@pytest.fixture
def japanese() -> Iterator[None]:
    """The image and music areas' translations (and the core area's, where it is built)
    installed on the application, and removed again."""
    app = QApplication.instance()
    assert app is not None
    translators = []
    for qm in [*(I18N / f"sozo_{area}_ja.qm" for area in AREAS), CORE_QM]:
        if qm == CORE_QM and not qm.exists():
            continue
        translator = QTranslator()
        assert translator.load(str(qm)), qm
        app.installTranslator(translator)
        translators.append(translator)
    try:
        yield
    finally:
        for translator in translators:
            app.removeTranslator(translator)
    assert QCoreApplication.translate("ImagePromptControls", "Generate") == "Generate"


def _names(window: MainWindow) -> set[str]:
    catalogue = window.context.catalogue
    models = {m.name for task in (Task.image, Task.music) for m in catalogue.for_task(task)}
    return models | set(SAMPLER_NAMES.values())


def test_the_image_panel_speaks_japanese(
    japanese: None, make_window: Callable[..., MainWindow], qtbot: QtBot
) -> None:
    window = make_window()
    window.resize(1280, 860)
    window.show_panel("image")
    panel = window.panels["image"]
    assert isinstance(panel, ImagePanel)
    controls = panel.controls
    assert controls.generate_button.text() == "生成"
    assert panel.tabs.tabText(0) == "結果"
    # Each tab in turn, so that what only a shown tab lays out is seen too.
    for index in range(panel.tabs.count()):
        panel.tabs.setCurrentIndex(index)
        qtbot.wait(20)
        ARTIFACTS.mkdir(exist_ok=True)
        panel.grab().save(str(ARTIFACTS / f"image-panel-ja-{index}.png"))
    # The LoRA row and the model's note show only for some models: shown here, checked too.
    controls.set_takes_loras(True)
    assert english_left(panel, _names(window)) == []
    assert controls.mode_note.text() == "テキストから画像"


def test_the_image_panels_example_prompts_are_japanese_the_model_reads(japanese: None) -> None:
    from studio.panels.image_controls import ImagePromptControls

    controls = ImagePromptControls()
    examples = re.findall(r"「([^」]+)」", controls.prompt.placeholderText())
    assert len(examples) >= 2
    for example in examples:
        reading = read_japanese(example)
        assert reading is not None and reading.english and reading.unknown == (), example
    controls.deleteLater()


def test_the_reading_of_a_japanese_prompt_is_said_in_japanese(
    japanese: None, make_window: Callable[..., MainWindow]
) -> None:
    """The engine says what it read a Japanese prompt as in English (engines speak
    English); the panel says it in the interface's language, and keeps other notices."""
    panel = make_window().panels["image"]
    assert isinstance(panel, ImagePanel)
    panel._request_running = ImageRequest(prompt="赤いポンデケージョ")
    reading = read_japanese("赤いポンデケージョ")
    assert reading is not None
    said = panel.translated_notices([*reading.notices(), "Kept as it is."])
    assert said[0] == "日本語のプロンプトを「red」と読みました。"
    assert said[1].startswith("絵文字モデルが知らない語は除きました: ポンデケージョ")
    assert said[2:] == ["Kept as it is."]
    panel._request_running = ImageRequest(prompt="ポンデケージョ")
    refused = read_japanese("ポンデケージョ")
    assert refused is not None and not refused.english
    assert panel._translated_error(refused.refusal()).startswith("絵文字モデルは「ポンデケージョ」")
    assert panel._translated_error("Out of memory.") == "Out of memory."  # another failure
    assert panel._translated_error("") == "生成に失敗しました。"


def test_the_music_panel_speaks_japanese(
    japanese: None, make_window: Callable[..., MainWindow], qtbot: QtBot
) -> None:
    window = make_window()
    window.resize(1280, 860)
    window.show_panel("music")
    panel = window.panels["music"]
    assert isinstance(panel, MusicPanel)
    assert panel.play_button.text() == "再生"
    # Instruments are shown in Japanese; the state keeps the engine's names.
    box = panel.instrument
    box.setCurrentIndex(INSTRUMENT_NAMES.index("cello"))
    assert box.currentText() == "チェロ" and panel.state.instrument == "cello"
    panel.state.instrument = "violin"
    assert box.currentText() == "バイオリン"
    qtbot.wait(20)
    ARTIFACTS.mkdir(exist_ok=True)
    panel.grab().save(str(ARTIFACTS / "music-panel-ja.png"))
    assert english_left(panel, _names(window)) == []


def test_every_instrument_has_a_shown_name() -> None:
    assert set(INSTRUMENT_LABELS) == set(INSTRUMENT_NAMES)


def test_english_stays_the_default(make_window: Callable[..., MainWindow]) -> None:
    """Without the translators (removed after the Japanese tests) the panels are English."""
    window = make_window()
    panel = window.panels["image"]
    assert isinstance(panel, ImagePanel)
    assert panel.controls.generate_button.text() == "Generate"
    panel._request_running = ImageRequest(prompt="赤いハート")
    assert panel.translated_notices(["Japanese prompt read as: red heart.", "Other."]) == [
        "Japanese prompt read as: red heart.",
        "Other.",
    ]
    music = window.panels["music"]
    assert isinstance(music, MusicPanel)
    assert music.instrument.currentText() == music.state.instrument  # the engine's name
