"""argparse's own words ("usage:", "options:", "error:"...) in the locale's language.

argparse looks its texts up with gettext (``argparse._`` and ``argparse.ngettext``);
:func:`install` points those at the CLI's translator (context ``Argparse``), which hands
English back untouched (and never loads Qt) when the locale is not Japanese.
:data:`WORDS` marks the texts for lupdate.
"""

from __future__ import annotations

import argparse

from studio.cli.i18n import translate

CONTEXT = "Argparse"


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Marks ``source`` for lupdate (studio.i18n's own would load Qt, which an English
    run of the CLI never does)."""
    del context
    return source


# The texts of Python 3.11-3.13's argparse that a person can see (help and refusals).
WORDS = (
    QT_TRANSLATE_NOOP("Argparse", "usage: "),
    QT_TRANSLATE_NOOP("Argparse", "options"),
    QT_TRANSLATE_NOOP("Argparse", "positional arguments"),
    QT_TRANSLATE_NOOP("Argparse", "show this help message and exit"),
    QT_TRANSLATE_NOOP("Argparse", "show program's version number and exit"),
    QT_TRANSLATE_NOOP("Argparse", "%(prog)s: error: %(message)s\n"),
    QT_TRANSLATE_NOOP("Argparse", "argument %(argument_name)s: %(message)s"),
    QT_TRANSLATE_NOOP("Argparse", "the following arguments are required: %s"),
    QT_TRANSLATE_NOOP("Argparse", "unrecognized arguments: %s"),
    QT_TRANSLATE_NOOP("Argparse", "invalid choice: %(value)r (choose from %(choices)s)"),
    QT_TRANSLATE_NOOP("Argparse", "invalid %(type)s value: %(value)r"),
    QT_TRANSLATE_NOOP("Argparse", "expected one argument"),
    QT_TRANSLATE_NOOP("Argparse", "expected at most one argument"),
    QT_TRANSLATE_NOOP("Argparse", "expected at least one argument"),
    QT_TRANSLATE_NOOP("Argparse", "expected %s argument"),
    QT_TRANSLATE_NOOP("Argparse", "expected %s arguments"),
    QT_TRANSLATE_NOOP("Argparse", "ambiguous option: %(option)s could match %(matches)s"),
    QT_TRANSLATE_NOOP("Argparse", "not allowed with argument %s"),
    QT_TRANSLATE_NOOP("Argparse", "one of the arguments %s is required"),
    QT_TRANSLATE_NOOP("Argparse", "ignored explicit argument %r"),
    QT_TRANSLATE_NOOP("Argparse", "can't open '%(filename)s': %(error)s"),
)


def _gettext(text: str) -> str:
    return translate(CONTEXT, text)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return translate(CONTEXT, singular if n == 1 else plural)


def install() -> None:
    """argparse speaks the locale's language from now on (English stays English)."""
    argparse._ = _gettext  # type: ignore[attr-defined]
    argparse.ngettext = _ngettext  # type: ignore[attr-defined]


__all__ = ["WORDS", "install"]
