"""The command line in the user's language: English, or Japanese when the locale says so.

The locale is read as the C library does: the first set of ``LC_ALL``, ``LC_MESSAGES``
and ``LANG``; one starting with "ja" (``ja_JP.UTF-8``) is Japanese. Lines are marked with
``translate("Cli", "...")`` (lupdate extracts them into ``sozo_cli_ja.ts``) and the
engines' messages are rendered from their ids (studio.i18n.engine_text) as the studio
does.

Qt is imported only when a line is printed in Japanese, and then only QtCore: a
QTranslator translates by itself, without a QCoreApplication (which would stand in the
way of the QApplication that ``sozo`` with no command opens). ``sozo --version`` and
every English run never import Qt.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from engines.errors import describe_error
from studio.cli.language import locale_language


@cache
def _translators(language: str) -> tuple[Any, ...]:
    """The compiled translations the CLI reads: its own and the engines' messages."""
    from PySide6.QtCore import QTranslator

    from studio.i18n.areas import qm_file

    loaded = []
    for area in ("cli", "core"):  # the engines' messages are in the core area
        translator = QTranslator()
        if translator.load(str(qm_file(area, language))):
            loaded.append(translator)
    return tuple(loaded)


def _lookup(context: str, source: str) -> str:
    language = locale_language()
    if language == "en":
        return source
    for translator in _translators(language):
        found = str(translator.translate(context, source))
        if found:
            return found
    return source


def translate(context: str, source: str) -> str:
    """``source`` (marked for lupdate by this call) in the locale's language."""
    return _lookup(context, source)


def say(item: object) -> str:
    """An engine's message, an exception or a plain line in the locale's language."""
    if locale_language() == "en":
        return str(describe_error(item) if isinstance(item, BaseException) else item or "")
    from studio.i18n.engine_text import render

    return render(item, _lookup)


__all__ = ["locale_language", "say", "translate"]
