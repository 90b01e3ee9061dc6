"""Errors that carry a message a person can act on.

Anything raised as a :class:`SozoError` is shown to the user as it is (one line in the
CLI, a message in the job queue). Anything else is an internal fault: it is logged with
its traceback and shown as a short readable line.
"""

from __future__ import annotations


class SozoError(Exception):
    """Base class for errors whose text is written for the user."""


class BadInput(SozoError):
    """The request cannot be carried out as given (empty prompt, unreadable file...)."""


class ModelUnavailable(SozoError):
    """A model's files are missing; the message names what is missing and how to get it."""


def describe_error(exc: BaseException) -> str:
    """One readable line for any exception, for the job queue and the CLI."""
    if isinstance(exc, SozoError):
        return str(exc) or type(exc).__name__
    if isinstance(exc, MemoryError):
        return "Out of memory: try a smaller model, fewer steps, or the CPU device."
    if isinstance(exc, FileNotFoundError):
        name = exc.filename or str(exc)
        return f"File not found: {name}"
    if isinstance(exc, PermissionError):
        name = exc.filename or str(exc)
        return f"Permission denied: {name}"
    text = str(exc).strip().splitlines()
    first = text[0] if text else ""
    label = type(exc).__name__
    return f"Internal error ({label}): {first}" if first else f"Internal error ({label})"
