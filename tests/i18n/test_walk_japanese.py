"""The studio in Japanese has no English left: every window, panel, dialog, menu, tooltip,
placeholder and status message is walked and any Latin word that is not a name is an
error.

Names stay in Latin letters: model names, file formats, units and the like, in the short
``ALLOWED`` list, plus what the catalogue and the engines name (models, licences, voices).
Two kinds of text are left out, each for a stated reason:

* ``PENDING`` areas: panels not translated yet (empty now that the Image and Music
  panels are);
* the names the engines show as they are (models, licences, voices) and what their
  messages quote (an install command); ``engine_texts`` lists them, and they are cut out
  of what is checked, not the widgets that show them. What the engines say (model
  descriptions, voice labels, errors) is translated (engines.messages) and checked.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QTableWidget,
    QTextBrowser,
    QWidget,
)
from pytestqt.qtbot import QtBot

from engines.jobs import Job, JobState
from engines.licences import COMPONENTS
from engines.messages import Message
from engines.speech import list_voices
from engines.speech.blends import VOICES as KOKORO_VOICES
from engines.text import conversation as conv
from studio.main_window import MainWindow

pytestmark = pytest.mark.gui

# Areas whose panels are not translated yet (none: part 2 of issue #14 has landed).
PENDING: set[str] = set()

# Names kept in Latin letters in Japanese: products, formats, units, tokens of markup.
ALLOWED = {
    *("Sōzō", "Studio", "AI", "API", "OpenAI", "GPU", "CPU", "CUDA", "ONNX", "Runtime"),
    *("Hugging", "Face", "GGUF", "gguf", "JSON", "json", "Markdown", "Stable", "Diffusion"),
    *("safetensors", "diffusers", "onnx", "Piper", "Kokoro", "Apache", "Qt", "Multimedia"),
    *("PulseAudio", "PipeWire", "libpulse", "so", "Debian", "libpulse0", "WAV", "FLAC", "OGG"),
    *("MP3", "MIDI", "DAW", "Hz", "s", "ms", "Ctrl", "Enter", "Esc", "Top", "p", "k"),
    *("KB", "MB", "GB", "GiB", "MiB"),
    *("llama", "cpp"),  # llama.cpp, the text backend named where it cannot steer
    # The Image and Music panels: samplers, model families, methods and file formats.
    *("A", "B", "DDIM", "DPM", "M", "Lanczos", "LoRA", "VAE", "GANSpace", "img2img", "BPM"),
    *("wav", "flac", "ogg", "mp3", "mid", "GIF", "MP4", "PNG", "gif", "mp4", "png"),
    # Data sets, corpora and products the models' texts name (engines.messages).
    *("Noto", "Color", "Emoji", "emoji", "Unicode", "BSD", "OFL", "DigiFace", "SmolLM2"),
    *("music21", "O", "Neill", "Music", "Ireland", "Ryan", "Mammoth", "Collection", "Aird"),
    *("Airs", "miscFolk", "essenFolksong", "Fluid", "R3", "GM", "General", "Transformer"),
    *("GAN", "N", "I", "kHz"),  # a model family; N(0, I), a normal distribution; kilohertz
    "OK",  # Qt's own button, which Japanese applications keep as it is
    "English",  # the language picker names each language in itself
    # The Speech panel's markup, which is typed as it is: [pause 500ms], [voice ...].
    *("pause", "break", "time", "voice", "kokoro", "noise", "w"),
    # The API server's settings: the HTTP header clients send, typed as it is.
    *("Authorization", "Bearer"),
    # Steering: the example name typed in the name field must be Latin letters.
    *("pirate", "python", "engines", "text", "calibrate_steering", "vector"),
}
WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ž][A-Za-zÀ-ÖØ-öø-ž0-9_]*")
PATH = re.compile(r"(?:/[^\s<>\"'　-〿＀-￯]+)+")  # file paths are data


def engine_texts(window: MainWindow) -> list[str]:
    """The names the catalogue and engines show as they are in every language (models,
    ids, licences, components, voices), and the commands and names their messages quote
    (an install command, a model's name), longest first so a longer one is cut out
    before a part of it. What they *say* is translated (engines.messages) and checked."""
    texts: set[str] = set()
    for entry in window.context.catalogue.all():
        texts |= {entry.name, entry.id, entry.family, entry.licence}
        for said in (entry.description, entry.data_provenance, entry.availability().message):
            texts |= set(quoted(said))
    for component in COMPONENTS:
        texts |= {component.name, component.licence}
    for voice in list_voices(window.context.catalogue):
        texts |= {voice.id, voice.language}
        if not isinstance(voice.name, Message):
            texts.add(voice.name)  # a Piper voice's own name ("en_US joe")
    texts |= set(KOKORO_VOICES)
    return sorted((t for t in texts if t), key=len, reverse=True)


def quoted(text: str) -> list[str]:
    """The data a message quotes: its arguments that are not messages themselves."""
    if not isinstance(text, Message):
        return []
    return [
        q for v in text.args.values() for q in (quoted(v) if isinstance(v, Message) else [str(v)])
    ]


def english_words(texts: Iterable[str], engine: list[str]) -> dict[str, str]:
    """Latin words left in ``texts`` (not allowed names) -> the text they were in."""
    found: dict[str, str] = {}
    for raw in texts:
        text = html.unescape(re.sub(r"<[^>]+>", " ", raw))
        text = re.sub(r"\(&?[A-Z]\)|&(?=\w)", " ", text)  # mnemonics: ファイル(&F)
        text = PATH.sub(" ", text)
        for each in engine:
            text = text.replace(each, " ")
        for word in WORD.findall(text):
            if word not in ALLOWED and not re.fullmatch(r"[a-z]{1,2}\d*|x?\d+\w*", word):
                found.setdefault(word, raw)
    return found


def widget_texts(root: QWidget, skip: Callable[[QWidget], bool] = lambda w: False) -> list[str]:
    """Every user-visible string of ``root`` and its children (their data left out: the
    text a user typed or a file's path in an edit box)."""
    out: list[str] = []
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        if skip(w):
            continue
        out += [w.toolTip(), w.whatsThis(), w.statusTip()]
        if w.isWindow():
            out.append(w.windowTitle())
        if isinstance(w, QLabel | QAbstractButton):
            out.append(w.text())
        elif isinstance(w, QGroupBox):
            out.append(w.title())
        elif isinstance(w, QDockWidget):
            out.append(w.windowTitle())
        elif isinstance(w, QLineEdit | QPlainTextEdit):
            out.append(w.placeholderText())
        elif isinstance(w, QTextBrowser):
            out.append(w.toPlainText())
        elif isinstance(w, QAbstractSpinBox):
            out.append(w.specialValueText())
        if isinstance(w, QComboBox):
            for i in range(w.count()):
                out += [w.itemText(i), str(w.itemData(i, 3) or "")]  # 3: ToolTipRole
        if isinstance(w, QTableWidget):
            for c in range(w.columnCount()):
                header = w.horizontalHeaderItem(c)
                out.append(header.text() if header else "")
            for r in range(w.rowCount()):
                for c in range(w.columnCount()):
                    item = w.item(r, c)
                    if item is not None:
                        out += [item.text(), item.toolTip()]
        if isinstance(w, QMenu):
            out += menu_texts(w)
        for action in w.actions():
            out += [action.text(), action.toolTip()]
    return out


def menu_texts(menu: QMenu) -> list[str]:
    out = [menu.title()]
    for action in menu.actions():
        out += [action.text(), action.toolTip()]
        if action.menu() is not None:
            out += menu_texts(action.menu())
    return out


def in_pending_panel(window: MainWindow) -> Callable[[QWidget], bool]:
    pending = [window.panels[name] for name in PENDING if name in window.panels]

    def skip(w: QWidget) -> bool:
        return any(w is p or p.isAncestorOf(w) for p in pending)

    return skip


def test_the_japanese_studio_shows_no_english_but_names(
    qtbot: QtBot, japanese_window: Callable[[], MainWindow], tmp_path: Path
) -> None:
    window = japanese_window()
    engine = engine_texts(window)
    skip = in_pending_panel(window)
    texts: list[str] = []

    # Every panel in view, one after another (lazy parts build when shown).
    for name in window.panels:
        window.show_panel(name)
        qtbot.wait(20)
    nav = window.nav
    assert isinstance(nav, QListWidget)
    texts += [
        nav.item(i).text() for i in range(nav.count()) if nav.item(i).data(256) not in PENDING
    ]
    # The menus, the button menus and the status bar with its messages.
    for action in window.menuBar().actions():
        texts += [action.text(), *(menu_texts(action.menu()) if action.menu() else [])]

    text_panel = window.panels["text"]
    text_panel.generate()  # an empty prompt: its status line
    texts.append(text_panel.status_label.text())
    text_panel.chat.add_turn(conv.Turn("user", "こんにちは"))
    reply = conv.Turn("assistant", "はい。", tokens=12, tokens_per_second=3.4, stopped=True)
    text_panel.chat.add_turn(reply)
    qtbot.wait(20)
    # (The Open… menu is built and run modally on click; its one fixed item, "From a
    # file…", is checked by the .ts tests.)

    speech = window.panels["speech"]
    assert speech.export("wav") is None  # nothing spoken yet: its status line
    texts.append(speech.status_label.text())
    speech._ask_save_blend()  # no blend chosen: its status line
    texts.append(speech.status_label.text())
    with pytest.raises(Exception) as raised:
        speech.open_audio(tmp_path / "missing.wav")
    texts.append(str(raised.value))

    # Jobs in the queue: states, elapsed time, summary.
    done = Job("テスト", lambda ctx: 1, task="text")
    window.context.runner.submit(done)
    qtbot.waitUntil(lambda: done.state is JobState.finished, timeout=5000)
    qtbot.wait(50)

    # Files opened from the desktop: their status-bar lines.
    folder = tmp_path / "a folder"
    folder.mkdir()
    texts.append(window.open_files([str(tmp_path / "none.png"), str(folder)]))
    window.device_status.show_failure("")
    texts += widget_texts(window, skip)

    # Every dialog, built as the menus build it, and looked at open.
    from studio.dialogs import ModelsDialog, SettingsDialog, about_html
    from studio.hub_dialog import HubDialog, hub_address
    from studio.panels.steering_dialog import SteeringDialog

    dialogs: list[QDialog] = [
        SettingsDialog(window.context.settings, window.context.device, window),
        ModelsDialog(window.context.catalogue, window, window.context.runner),
        SteeringDialog(window),
        HubDialog(window.context.catalogue, window.context.runner, window),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        texts += widget_texts(dialog)
        dialog.reject()
    models = dialogs[1]
    assert isinstance(models, ModelsDialog)
    for row in range(models.table.rowCount()):  # each model's details
        models.table.selectRow(row)
        texts.append(models.details.toPlainText())
    texts.append(about_html(window.context.catalogue))  # the About box's text

    # The files this test named are data, shown as they are; so is the hub's address.
    named = [*engine, "missing.wav", "none.png", "a folder", hub_address(), "HF_ENDPOINT"]
    left = english_words(texts, named)
    assert not left, "English left in the Japanese studio:\n" + "\n".join(
        f"  {word!r} in {text!r}" for word, text in sorted(left.items())
    )
    # The walk saw the studio in Japanese (it did not pass by finding nothing).
    joined = "\n".join(texts)
    for expected in ("ファイル(&F)", "送信", "話す", "設定", "モデル", "完了", "入力欄が空です"):
        assert expected in joined, expected
    assert QApplication.instance() is not None


def test_the_check_finds_english_it_is_meant_to_find() -> None:
    left = english_words(["<b>Ready</b> 準備完了", "GGUF ファイル", "/home/me/outputs/a.wav"], [])
    assert list(left) == ["Ready"]
    assert english_words(["Kokoro · jf_alpha (female)"], ["Kokoro · jf_alpha (female)"]) == {}
