"""The studio in English and Japanese: the language setting, Qt translators, the font.

Strings are translated through Qt (``self.tr`` in QObjects, ``QCoreApplication.translate``
elsewhere). Each area of the studio (studio.i18n.areas) has a ``.ts`` source and a
compiled ``.qm`` here, shipped with the package; ``python -m studio.i18n.update`` remakes
them. The language is chosen at start-up (the ``language`` setting: "system" follows the
system locale); the Settings dialog offers a restart to change it.

Japanese renders on machines without a CJK font: the studio ships a subset of Noto Sans
CJK JP (assets/fonts, SIL OFL 1.1) and registers it after the application font's own
families, so characters they lack come from it.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

from engines import paths
from studio.i18n.areas import AREAS, TRANSLATED_LANGUAGES, qm_file

LANGUAGES = ("system", "en", "ja")
FONT_FILE = "fonts/NotoSansCJKjp-Subset.otf"

_log = logging.getLogger(__name__)
_installed: list[QTranslator] = []
_current = "en"
_font_families: list[str] = []


def system_language() -> str:
    """ "ja" when the system's locale (or its first UI language) is Japanese, else "en"."""
    locale = QLocale.system()
    if locale.language() == QLocale.Language.Japanese:
        return "ja"
    first = next(iter(locale.uiLanguages()), "")
    return "ja" if first.lower().startswith("ja") else "en"


def resolve_language(setting: str) -> str:
    """The language to show for a ``language`` setting ("system", "en" or "ja")."""
    if setting == "system":
        return system_language()
    return setting if setting in TRANSLATED_LANGUAGES else "en"


def current_language() -> str:
    """The language the installed translators show ("en" before any are installed)."""
    return _current


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Replace the studio's translators with those for ``language`` ("en" or "ja"; a
    setting such as "system" is resolved first): one per area, and Qt's own for its
    standard buttons and dialogs. An area without a compiled file is left in English."""
    global _current
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    language = resolve_language(language)
    _current = language
    if language == "en":
        return []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    files = [Path(qt_dir) / f"qtbase_{language}.qm"]
    files += [qm_file(area, language) for area in AREAS]
    for file in files:
        translator = QTranslator(app)
        if file.exists() and translator.load(str(file)):
            app.installTranslator(translator)
            _installed.append(translator)
        else:
            _log.info("no translation %s", file)
    return list(_installed)


def font_path() -> Path:
    return paths.assets_dir() / FONT_FILE


def register_fonts() -> list[str]:
    """Register the shipped Japanese font once and put it after the application font's
    own families, so that characters the system's fonts lack (kanji and kana on a
    machine with no CJK font) come from it. Returns its families ([] when the file is
    missing or unreadable, or there is no QGuiApplication)."""
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        return []  # Qt's font database needs the application (and crashes without it)
    if not _font_families:
        path = font_path()
        font_id = QFontDatabase.addApplicationFont(str(path)) if path.exists() else -1
        if font_id < 0:
            _log.warning("the Japanese font %s could not be registered", path)
            return []
        _font_families.extend(QFontDatabase.applicationFontFamilies(font_id))
    # QFont falls back along its families in order, glyph by glyph (QFont.setFamilies);
    # PySide6 does not bind QFontDatabase.addApplicationFallbackFontFamily.
    font = QGuiApplication.font()
    families = list(font.families()) or [font.family()]
    missing = [f for f in _font_families if f not in families]
    if missing:
        font.setFamilies([*families, *missing])
        QGuiApplication.setFont(font)
    for family in families:
        QFont.insertSubstitutions(family, list(_font_families))
    return list(_font_families)


def fill(template: str, *values: object) -> str:
    """``template`` (a translation) with %1, %2... replaced by ``values`` in one pass, as
    QString.arg does: a value holding "%2" itself is left as it is."""
    return re.sub(
        r"%(\d)",
        lambda m: str(values[int(m[1]) - 1]) if 0 < int(m[1]) <= len(values) else m[0],
        template,
    )


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Mark ``source`` for translation in ``context`` without translating it (lupdate
    finds it by this name); translate it where it is shown. Typed, unlike Qt's."""
    del context
    return source


__all__ = [
    "LANGUAGES",
    "QT_TRANSLATE_NOOP",
    "current_language",
    "font_path",
    "install_translators",
    "register_fonts",
    "resolve_language",
    "system_language",
]
