"""The subcommands' own help (descriptions, option help, epilogs) in the locale's language.

The texts stay plain English in the code where each option is added. The CLI's help
formatter (:class:`TranslatedHelpFormatter`, every parser's) looks each one up in the
``CliHelp`` translation context when help is shown; a text with no translation is shown
as it is. ``python -m studio.i18n.update`` writes ``studio/cli/help_texts.py`` from the
parser (:func:`help_texts_source`) so that lupdate extracts every text (it reads neither
concatenated literals nor names); a test checks that the two agree.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import unicodedata
from collections.abc import Iterator

from studio.cli.argparse_words import CONTEXT as ARGPARSE
from studio.cli.argparse_words import WORDS
from studio.cli.i18n import translate

CONTEXT = "CliHelp"


def _said(text: str | None) -> str | None:
    if not text or text == argparse.SUPPRESS:
        return text
    said = translate(CONTEXT, text)
    # argparse's own help ("show program's version number and exit"), where a Python
    # fills it in without gettext
    return translate(ARGPARSE, text) if said == text else said


# A run of printable ASCII (a word, an option, a path) with the spaces after it, or one
# other character: Japanese has no spaces, so a line may break between any two of them.
_UNIT = re.compile(r"[\x21-\x7e]+ *| +|.")
_NO_LINE_START = set("、。，．）」』：；！？・ー")  # closing marks stay on the line before
_NO_LINE_END = set("（「『")  # opening marks go with what they open


def _width(text: str) -> int:
    """Terminal columns: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns, broken between words or between
    Japanese characters, never inside a Latin word (textwrap breaks Japanese only
    where it finds a space, and then cuts a long run, a word included, anywhere)."""
    lines: list[str] = []
    line = ""
    for unit in _UNIT.findall(" ".join(text.split())):
        if line and unit[0] not in _NO_LINE_START and _width(line + unit.rstrip()) > width:
            carried = ""
            while len(line) > 1 and line[-1] in _NO_LINE_END:
                carried, line = line[-1] + carried, line[:-1]
            lines.append(line.rstrip())
            line = carried + unit.lstrip()
        else:
            line += unit
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _is_wide(text: str) -> bool:
    return any(unicodedata.east_asian_width(c) in "WF" for c in text)


class TranslatedHelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, with each help text, description and epilog translated
    before it is filled in (``%(default)s`` and the like still work), and Japanese
    wrapped by its width (:func:`wrap`)."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width) if _is_wide(text) else super()._split_lines(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if not _is_wide(text):
            return super()._fill_text(text, width, indent)
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))

    def _expand_help(self, action: argparse.Action) -> str:
        if action.help and action.help != argparse.SUPPRESS:
            action = copy.copy(action)
            action.help = _said(action.help)
        return super()._expand_help(action)

    def add_text(self, text: str | None) -> None:
        super().add_text(_said(text))


def _texts(parser: argparse.ArgumentParser) -> Iterator[str]:
    for text in (parser.description, parser.epilog):
        if text:
            yield text
    for action in parser._actions:
        if action.help and action.help != argparse.SUPPRESS:
            yield action.help
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                if choice.help:
                    yield choice.help
            for each in action.choices.values():
                yield from _texts(each)


def help_texts() -> list[str]:
    """Every help text of ``sozo`` and its subcommands, in English, once each, in the
    order ``sozo --help`` and the subcommands show them (argparse's own words, which
    are in the ``Argparse`` context, left out)."""
    from studio.cli import build_parser

    saved = {name: os.environ.get(name) for name in ("LC_ALL", "LC_MESSAGES", "LANG")}
    os.environ["LC_ALL"] = "C"  # the parser's English texts, whatever the locale
    try:
        parser = build_parser()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    own = set(WORDS)
    found: dict[str, None] = {}
    for text in _texts(parser):
        if text not in own:
            found.setdefault(text)
    return list(found)


def help_texts_source(texts: list[str] | None = None) -> str:
    """The text of ``studio/cli/help_texts.py``: each help text marked for lupdate."""
    lines = [
        '"""Every help text of the ``sozo`` command, marked for lupdate (context CliHelp).',
        'Written by ``python -m studio.i18n.update`` (studio.cli.help_words): do not edit."""',
        "",
        "from __future__ import annotations",
        "",
        "from studio.cli.argparse_words import QT_TRANSLATE_NOOP",
        "",
        "# fmt: off",
        "TEXTS = (",
    ]
    for text in help_texts() if texts is None else texts:
        literal = json.dumps(text, ensure_ascii=False)
        lines.append(f'    QT_TRANSLATE_NOOP("CliHelp", {literal}),')
    lines += [")", "# fmt: on", ""]
    return "\n".join(lines)


__all__ = ["CONTEXT", "TranslatedHelpFormatter", "help_texts", "help_texts_source"]
