"""Errors that carry a message a person can act on.

Anything raised as a :class:`SozoError` is shown to the user as it is (one line in the
CLI, a message in the job queue). Anything else is an internal fault: it is logged with
its traceback and shown as a short readable line.
"""

from __future__ import annotations

from typing import Any

from engines.messages import Message, message


class SozoError(Exception):
    """Base class for errors whose text is written for the user.

    Raised with a :class:`~engines.messages.Message` (``BadInput(message("id", ...))``),
    ``str(exc)`` is still the English text, and ``message_id``/``message_args`` let the
    studio show it translated; raised with a plain string, it is shown as it is."""

    @property
    def message(self) -> Message | None:
        first = self.args[0] if self.args else None
        return first if isinstance(first, Message) else None

    @property
    def message_id(self) -> str | None:
        return self.message.id if self.message is not None else None

    @property
    def message_args(self) -> dict[str, Any]:
        return dict(self.message.args) if self.message is not None else {}


class BadInput(SozoError):
    """The request cannot be carried out as given (empty prompt, unreadable file...)."""


class ModelUnavailable(SozoError):
    """A model's files are missing; the message names what is missing and how to get it."""


def describe_error(exc: BaseException) -> str:
    """One readable line for any exception, for the job queue and the CLI: a
    :class:`~engines.messages.Message` (a str) where the text has a message id, so the
    studio can translate it."""
    if isinstance(exc, SozoError):
        if exc.message is not None and len(exc.args) == 1:
            return exc.message
        return str(exc) or type(exc).__name__
    if isinstance(exc, MemoryError):
        return message("error.out_of_memory")
    if isinstance(exc, FileNotFoundError):
        return message("error.file_not_found", name=exc.filename or str(exc))
    if isinstance(exc, PermissionError):
        return message("error.permission_denied", name=exc.filename or str(exc))
    text = str(exc).strip().splitlines()
    first = text[0] if text else ""
    label = type(exc).__name__
    if first:
        return message("error.internal", label=label, first=first)
    return message("error.internal_bare", label=label)
