"""The log file: where tracebacks go, so that stderr and the window get one line each.

An error a person can fix (a :class:`engines.errors.SozoError`) is shown as its message
and nothing else. An unexpected one is shown as one line too, plus the path of this file,
which holds its traceback. The file is ``engines.paths.log_file()`` (``SOZO_LOG_FILE``
moves it), rotated at 1 MB with three old copies kept
(:class:`logging.handlers.RotatingFileHandler`), so it never grows without end.

Both the CLI and the studio call :func:`install` at start; :func:`write_traceback` also
installs it on first use, so a job that fails in a program that never called it still
puts its traceback in the file and not on stderr (Python's last-resort handler).
"""

from __future__ import annotations

import logging
import logging.handlers
import threading
from pathlib import Path

from engines import paths

MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_lock = threading.Lock()
_log = logging.getLogger("engines.errorlog")


class _SozoLogFile(logging.handlers.RotatingFileHandler):
    """Marks the handler this module installed, to find and replace it."""


def _current_handler() -> _SozoLogFile | None:
    for handler in logging.getLogger().handlers:
        if isinstance(handler, _SozoLogFile):
            return handler
    return None


def install(level: int = logging.INFO) -> Path | None:
    """Send the root logger's records to the rotating log file (once per file: the
    tests move the file with ``SOZO_LOG_FILE`` between runs in one process). Returns the
    file, or None when it cannot be opened (a read-only home): the records then go
    nowhere rather than onto stderr."""
    target = paths.log_file()
    root = logging.getLogger()
    with _lock:
        handler = _current_handler()
        if handler is not None:
            if Path(handler.baseFilename) == target.absolute():
                return target
            root.removeHandler(handler)
            handler.close()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            new = _SozoLogFile(target, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
        except OSError:
            if not any(type(h) is logging.NullHandler for h in root.handlers):
                root.addHandler(logging.NullHandler())  # not Python's last resort: stderr
            return None
        new.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(new)
        if root.level == logging.NOTSET or root.level > level:
            root.setLevel(level)
    return target


def write_traceback(what: str, details: str) -> Path | None:
    """Put one unexpected error's traceback in the log file; returns the file (None if
    it could not be written)."""
    where = install()
    _log.error("%s\n%s", what, details.rstrip())
    handler = _current_handler()
    if handler is not None:
        handler.flush()
    return where


def with_log_note(message: str, log_file: Path | None) -> str:
    """``message`` plus where its traceback is, for the one line a person sees."""
    if log_file is None:
        return message
    return f"{message} (details in {log_file})"
