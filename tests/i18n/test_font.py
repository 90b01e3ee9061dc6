"""Japanese renders on a machine with no CJK font: the studio ships a subset of Noto Sans
CJK JP and registers it at start-up. The Text and Speech panels, in Japanese and
offscreen, are laid out as Qt draws them, and every glyph of their text must come from
a font that has it (no missing-glyph box); kanji and kana must come from the shipped
font, so the check does not lean on fonts this machine happens to have."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtGui import QFont, QRawFont, QTextLayout
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from studio.i18n import font_path, register_fonts
from studio.i18n.areas import ts_file
from studio.i18n.defaults import JAPANESE_TEXTS
from studio.main_window import MainWindow

pytestmark = pytest.mark.gui

SHIPPED_FAMILY = "Noto Sans CJK JP"
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
MIB = 2**20


def glyph_runs(text: str, font: QFont) -> list[tuple[str, list[int]]]:
    """(family of the font used, glyph indexes) for each run of ``text`` as Qt lays it out
    in ``font``: what painting it would draw. Glyph index 0 is the missing-glyph box."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    while layout.createLine().isValid():
        pass
    layout.endLayout()
    return [(run.rawFont().familyName(), list(run.glyphIndexes())) for run in layout.glyphRuns()]


def panel_texts(panel: object) -> list[tuple[str, QFont]]:
    """The Japanese strings a panel shows, each with the font its widget draws it in."""
    out = []
    kinds = (QLabel, QAbstractButton, QGroupBox, QLineEdit, QPlainTextEdit)
    for w in [w for kind in kinds for w in panel.findChildren(kind)]:  # type: ignore[attr-defined]
        if isinstance(w, QLabel | QAbstractButton):
            texts = [w.text()]
        elif isinstance(w, QGroupBox):
            texts = [w.title()]
        else:
            texts = [w.placeholderText()]
            if isinstance(w, QPlainTextEdit):
                texts.append(w.toPlainText())
        out += [(t, w.font()) for t in [*texts, w.toolTip()] if JAPANESE.search(t)]
    return out


def test_the_font_is_shipped_small_and_registers(qtbot: QtBot) -> None:
    path = font_path()
    assert path.exists() and path.suffix == ".otf"
    size = path.stat().st_size
    assert size < 3 * MIB, f"{size / MIB:.2f} MiB"
    assert (
        path.with_name("NotoSansCJKjp-Subset.LICENSE.txt")
        .read_text(encoding="utf-8")
        .count("SIL OPEN FONT LICENSE Version 1.1")
    )
    assert SHIPPED_FAMILY in register_fonts()


def test_the_shipped_font_has_every_character_of_the_japanese_text(qtbot: QtBot) -> None:
    font = QRawFont(str(font_path()), 12)
    assert font.isValid()
    chars = set("".join(JAPANESE_TEXTS))
    for ts in ts_file("core", "ja").parent.glob("*_ja.ts"):  # every area's, as they land
        chars |= set(ts.read_text(encoding="utf-8"))
    # JIS level 1 kanji and the kana, which the subset keeps for text users type.
    # (亜, the first level 1 kanji, and 腕, the last; EUC-JP rows 16 and 47.)
    chars |= {bytes([0xB0, 0xA1]).decode("euc_jp"), bytes([0xCF, 0xD3]).decode("euc_jp")}
    chars |= {chr(c) for c in range(0x3041, 0x3097)} | {chr(c) for c in range(0x30A1, 0x30FB)}
    missing = sorted(
        c for c in chars if c.isprintable() and c != " " and not font.supportsCharacter(ord(c))
    )
    assert not missing, f"the font lacks {''.join(missing)!r}: run packaging/subset_font.py"


@pytest.mark.parametrize("panel_name", ["text", "speech"])
def test_japanese_in_the_panels_has_a_glyph_for_every_character(
    japanese_window: Callable[[], MainWindow], panel_name: str, tmp_path: Path
) -> None:
    window = japanese_window()
    window.show_panel(panel_name)
    panel = window.panels[panel_name]
    panel.grab().save(str(tmp_path / f"{panel_name}.png"))  # painted offscreen, too
    texts = panel_texts(panel)
    assert len(texts) >= 10, texts  # the panel is in Japanese
    checked = 0
    for text, font in texts:
        for family, glyphs in glyph_runs(text, font):
            assert 0 not in glyphs, f"a missing glyph in {text!r} ({family})"
        # The Japanese characters alone: drawn from the shipped font.
        families = {family for family, _ in glyph_runs("".join(JAPANESE.findall(text)), font)}
        assert families == {SHIPPED_FAMILY}, (text, families)
        checked += 1
    assert checked == len(texts)
