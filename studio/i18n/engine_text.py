"""The engines' messages (engines.messages) in the interface's language.

Engines make user-facing text as :class:`~engines.messages.Message` values: English
strings that keep their message id and arguments. :func:`render` looks the template up in
the ``EngineMessages`` translation context (``studio/i18n/engine_messages.py`` lists every
template for lupdate) and fills in the arguments, rendering those that are messages too.
Anything else (a plain string, a name) is shown as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QCoreApplication

from engines.errors import SozoError, describe_error
from engines.messages import MESSAGES, Message, fill

CONTEXT = "EngineMessages"


Translate = Callable[[str, str], str]  # (context, source) -> its translation


def render(item: object, translate: Translate = QCoreApplication.translate) -> str:
    """``item`` for the user in the current language: a Message translated, an exception
    by its message (or describe_error's line), anything else as ``str()`` ("" for None).
    ``translate``: the application's translators, or (the CLI) a QTranslator's own."""
    if item is None:
        return ""
    if isinstance(item, BaseException):
        item = item.message if isinstance(item, SozoError) and item.message else item
        if isinstance(item, BaseException):
            item = describe_error(item)
    if isinstance(item, Message):
        template = translate(CONTEXT, MESSAGES[item.id]) or MESSAGES[item.id]
        args = {
            k: render(v, translate) if isinstance(v, Message) else v for k, v in item.args.items()
        }
        return fill(template, args)
    return str(item)


def render_all(items: Iterable[object]) -> list[str]:
    """Each of ``items`` (messages or strings) rendered."""
    return [render(each) for each in items]
