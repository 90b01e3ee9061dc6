"""Writing user files so that a failure never leaves half a file or destroys an old one.

Every file is written to a hidden temporary file in the same folder (the same file
system, so the final rename is atomic), created with ``O_EXCL``, flushed and fsynced,
and only then renamed into place. If anything goes wrong before that (a full disk, an
encoder error, Ctrl+C, a killed process), the final path still holds what it held
before, byte for byte; the temporary file is removed (after ``kill -9`` a hidden
``.NAME.*.sozo-partial`` file stays behind, never the final name).

- ``overwrite=False``: the file is linked into place with ``os.link``, which fails if
  the name exists, so a file that appeared while we were writing is never replaced.
- ``overwrite=True``: ``os.replace`` swaps the new file in whole.
- Two writers on one path: an advisory lock (``flock`` on a hidden lock file, released
  by the kernel when a process dies, so it is never stale) lets one write; the other
  is told at once with a :class:`BadInput`.

File system errors become one-line :class:`BadInput` messages that name the path
(:func:`os_error_message`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from engines.errors import BadInput
from engines.messages import message

PARTIAL_MARK = ".sozo-partial"
LOCK_MARK = ".sozo-lock"


class OutputExists(BadInput, FileExistsError):
    """The output path holds a file and overwriting was not asked for: a one-line
    :class:`BadInput` that code choosing names itself can catch as ``FileExistsError``."""


def _exists(path: Path) -> OutputExists:
    return OutputExists(f"{path} exists already: add --overwrite to replace it.")


def os_error_message(exc: OSError, path: str | os.PathLike[str]) -> str:
    """One line a person can act on for an ``OSError`` met while writing ``path``."""
    p = Path(path)
    folder = p.parent
    code = exc.errno
    if code == errno.ENOSPC:
        return f"Cannot write {p}: the disk is full (no space left on {folder})."
    if code == getattr(errno, "EDQUOT", -1):
        return f"Cannot write {p}: your disk quota is used up."
    if code == errno.EROFS:
        return f"Cannot write {p}: {folder} is on a read-only file system."
    if code in (errno.EACCES, errno.EPERM):
        return f"Cannot write {p}: permission denied (the folder {folder} is not writable)."
    if code == errno.EISDIR:
        return f"Cannot write {p}: it is a folder; give a file name."
    if code == errno.ENAMETOOLONG:
        return f"Cannot write {p.name[:60]}...: the name is too long for the file system."
    if code == errno.ENOENT:
        if folder.is_dir():  # /proc, some FUSE mounts: no new files at all
            return f"Cannot write {p}: the file system of {folder} does not take new files."
        return f"Cannot write {p}: the folder {folder} does not exist."
    if code == errno.ENOTDIR:
        return f"Cannot write {p}: part of {folder} is a file, not a folder."
    if code in (errno.EINVAL, getattr(errno, "EILSEQ", -1)):
        return f"Cannot write {p}: the file system refuses the name {p.name!r}."
    if code == errno.EEXIST:
        return f"Cannot write {p}: it exists already (add --overwrite to replace it)."
    if code == errno.EIO:
        return f"Cannot write {p}: the disk reported an input/output error."
    reason = exc.strerror or type(exc).__name__
    return f"Cannot write {p}: {reason}."


def check_output(path: str | os.PathLike[str], *, overwrite: bool) -> Path:
    """Refuse an output path that cannot work, before any long job starts.

    A missing folder is not created (a typo would make folders); the message says so.
    An existing file is refused unless ``overwrite``.
    """
    p = Path(path)
    if len(os.fsencode(p.name)) > 255:
        raise BadInput(os_error_message(OSError(errno.ENAMETOOLONG, "name too long"), p))
    try:
        _check_output(p, overwrite)
    except OutputExists:
        raise
    except OSError as exc:  # a name the file system refuses even to look up
        raise BadInput(os_error_message(exc, p)) from None
    return p


def _check_output(p: Path, overwrite: bool) -> None:
    if p.is_dir():
        raise BadInput(message("write.folder", path=str(p)))
    folder = p.parent
    if not folder.exists():
        raise BadInput(message("write.no_folder", path=str(p), folder=str(folder)))
    if not folder.is_dir():
        raise BadInput(message("write.parent_is_file", path=str(p), folder=str(folder)))
    if p.exists() or p.is_symlink():
        if not overwrite:
            raise _exists(p)
        if not p.is_file():
            raise BadInput(message("write.not_regular", path=str(p)))
    if not os.access(folder, os.W_OK):
        # os.access sees permissions and read-only mounts; the write itself is the real test.
        try:
            readonly = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
        except (AttributeError, OSError):
            readonly = False
        code = errno.EROFS if readonly else errno.EACCES
        raise BadInput(os_error_message(OSError(code, os.strerror(code)), p))


class _Lock:
    """An exclusive, non-blocking advisory lock on ``.NAME.sozo-lock`` beside ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path.with_name(f".{path.name}{LOCK_MARK}")
        self.fd: int | None = None

    def acquire(self, target: Path) -> None:
        try:
            import fcntl
        except ImportError:  # Windows: os.link/os.rename already refuse a second writer
            return
        for _ in range(10):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                os.close(fd)
                if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise BadInput(message("write.busy", path=str(target))) from None
                raise
            # The holder before us may have removed the lock file after we opened it:
            # hold the lock only on the file that is still there.
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                self.fd = fd
                return
            os.close(fd)
        raise BadInput(message("write.busy", path=str(target)))

    def release(self) -> None:
        if self.fd is None:
            return
        with contextlib.suppress(OSError):
            os.unlink(self.path)
        os.close(self.fd)
        self.fd = None


def _temporary_name(final: Path) -> Path:
    # The final suffix is kept last, so tools that pick a format by extension (ffmpeg) agree.
    stem = final.stem[:100]  # room for the marks under the usual 255-byte name limit
    return final.with_name(f".{stem}.{secrets.token_hex(4)}{PARTIAL_MARK}{final.suffix}")


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError, AttributeError):  # not on Windows, nor every FS
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _commit(tmp: Path, final: Path, overwrite: bool) -> None:
    if overwrite:
        os.replace(tmp, final)
        return
    try:
        os.link(tmp, final)  # fails with EEXIST rather than replace
    except FileExistsError:
        raise _exists(final) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        # No hard links here (FAT, some network shares): check, then rename.
        if final.exists():
            raise _exists(final) from None
        os.replace(tmp, final)
        return
    os.unlink(tmp)


@contextlib.contextmanager
def safe_path(path: str | os.PathLike[str], *, overwrite: bool = False) -> Iterator[Path]:
    """Yield a fresh temporary path beside ``path`` for a writer that wants a file name
    (libsndfile, mido, ffmpeg); it is renamed to ``path`` when the block ends without an
    exception, and removed otherwise. The temporary file exists (empty) on entry."""
    final = Path(path)
    lock = _Lock(final)
    tmp: Path | None = None
    try:
        try:
            if final.is_dir():
                raise BadInput(message("write.folder", path=str(final)))
            if not overwrite and final.exists():
                raise _exists(final)
            lock.acquire(final)
            for _ in range(10):
                tmp = _temporary_name(final)
                try:
                    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
                    break
                except FileExistsError:
                    tmp = None
            if tmp is None:
                raise BadInput(message("write.no_temp_name", path=str(final)))
        except OutputExists:
            raise
        except OSError as exc:
            raise BadInput(os_error_message(exc, final)) from None
        yield tmp
        try:
            _fsync_path(tmp)
            _commit(tmp, final, overwrite)
            tmp = None
            _fsync_folder(final.parent)
        except OutputExists:
            raise
        except OSError as exc:
            raise BadInput(os_error_message(exc, final)) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        lock.release()


@contextlib.contextmanager
def safe_open(
    path: str | os.PathLike[str],
    mode: str = "wb",
    *,
    overwrite: bool = False,
    encoding: str | None = None,
) -> Iterator[IO[Any]]:
    """Like ``open(path, mode)`` for writing ("wb" or "w"), but safe (see the module):
    the file appears under ``path`` whole, when the block ends, or not at all.
    OSErrors inside the block (a full disk) become a one-line :class:`BadInput`."""
    if mode not in ("wb", "w"):
        raise ValueError(f"safe_open writes new files only ('wb' or 'w'), not {mode!r}")
    if mode == "w" and encoding is None:
        encoding = "utf-8"
    with safe_path(path, overwrite=overwrite) as tmp:
        try:
            with open(tmp, mode, encoding=encoding) as f:
                yield f
                f.flush()
                os.fsync(f.fileno())
        except OutputExists:
            raise
        except OSError as exc:
            raise BadInput(os_error_message(exc, path)) from None


def write_bytes(path: str | os.PathLike[str], data: bytes, *, overwrite: bool = False) -> Path:
    """Write ``data`` to ``path`` safely; returns the path."""
    with safe_open(path, "wb", overwrite=overwrite) as f:
        f.write(data)
    return Path(path)


def write_text(path: str | os.PathLike[str], text: str, *, overwrite: bool = False) -> Path:
    """Write UTF-8 ``text`` to ``path`` safely; returns the path."""
    with safe_open(path, "w", overwrite=overwrite, encoding="utf-8") as f:
        f.write(text)
    return Path(path)


__all__ = [
    "OutputExists",
    "check_output",
    "os_error_message",
    "safe_open",
    "safe_path",
    "write_bytes",
    "write_text",
]
