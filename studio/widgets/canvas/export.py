"""Writing the canvas's flattened picture to a file: the layers list's Save… and every
drag out of the Edit tab (#15 layers of results, #16 content credentials).

What is written is taken on the GUI thread as a :class:`Export` (the flattening to do,
the recipe text, whether to sign and from which photo) holding no widget, only pictures
that are never written to; the work (flattening, PNG encoding, signing) runs on a worker
thread while the GUI thread waits in an event loop that keeps painting the window but
holds back the person's input until the file is there (:func:`off_the_gui_thread`). The
file appears under its name whole (written beside it and renamed: engines.safe_write)
before a drag starts.

With signing on (Settings), the picture carries content credentials with the action
``c2pa.edited`` and the user's photo as its ``parentOf`` ingredient: the file the photo
was opened from while it is unchanged on disk, or else (a pasted picture, a kept result,
a file changed since) a copy of the picture the canvas holds, written once as TIFF. An
edit is never watermarked: the mark would change pixels outside the mask (#15).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QApplication

from engines.credentials import sniff_mime
from engines.errors import BadInput
from engines.imagefile import readable_stem, unique_path, write_png
from engines.messages import message

if TYPE_CHECKING:
    from PIL import Image

T = TypeVar("T")

# What the c2pa library reads as an ingredient among the files a photo is opened from.
INGREDIENT_MIMES = frozenset({"image/png", "image/jpeg", "image/gif", "image/tiff"})


class SourcePhoto:
    """The photo an edit on the canvas was made from, as its credentials name it."""

    def __init__(self) -> None:
        self.path: Path | None = None  # the file the picture was opened from
        self._stamp: tuple[int, int] | None = None  # its size and time then
        self._copy: tuple[str, Path] | None = None  # (picture tag, TIFF written of it)

    def opened(self, path: Path | None) -> None:
        """A new picture on the canvas: from ``path``, or from no file (None)."""
        self.path, self._stamp, self._copy = None, None, None
        if path is None:
            return
        try:
            with path.open("rb") as f:
                head = f.read(16)
            stat = path.stat()
        except OSError:
            return
        if sniff_mime(path, head) in INGREDIENT_MIMES:
            self.path, self._stamp = path, (stat.st_size, stat.st_mtime_ns)

    def _unchanged(self) -> bool:
        if self.path is None or self._stamp is None:
            return False
        try:
            stat = self.path.stat()
        except OSError:
            return False
        return (stat.st_size, stat.st_mtime_ns) == self._stamp

    def file(self, picture: Image.Image, name: str, folder: Path) -> Path:
        """The ingredient's file: the opened file, or a TIFF copy of ``picture`` (the
        canvas's photo, named ``name``) in ``folder``, written once per picture. Runs on
        the worker thread; the picture is only read."""
        if self._unchanged():
            assert self.path is not None
            return self.path
        tag = str(picture.info.get("canvas picture", id(picture)))
        if self._copy is not None and self._copy[0] == tag and self._copy[1].exists():
            return self._copy[1]
        path = unique_path(folder, Path(name).stem or "picture", ".tiff")
        scratch = path.with_name(path.name + ".writing")
        # Uncompressed: a 6000x4000 photo in a fraction of a second (PNG: seconds).
        picture.convert("RGB").save(scratch, format="TIFF", compression="raw")
        os.replace(scratch, path)
        self._copy = (tag, path)
        return path


@dataclass(frozen=True)
class Export:
    """A flattened picture to write, as taken on the GUI thread (no widget in it)."""

    flatten: Callable[[], Image.Image]  # the picture, made on the worker thread
    stem: str  # the file name a drag out gets, without ".png"
    parameters: str | None  # the recipe text
    model: str | None  # signed naming this model ("" none), or None: not signed
    ingredient: Callable[[], Path] | None = None  # the photo it edits, when signed

    def write(self, path: Path, *, overwrite: bool = False) -> Path:
        """Write it at ``path`` (replacing a file only with ``overwrite``). Raises
        OSError or BadInput (also when the signing library refuses)."""
        picture = self.flatten()
        edited_from = (
            self.ingredient() if self.model is not None and self.ingredient is not None else None
        )
        try:
            return write_png(
                picture,
                path,
                self.parameters,
                overwrite=overwrite,
                sign_model=self.model,
                edited_from=edited_from,
            )
        except _signing_errors() as exc:
            raise BadInput(f"content credentials: {exc}") from exc

    def write_new(self, folder: Path) -> Path:
        """Write it under a new name in ``folder`` (a drag out)."""
        for _ in range(100):  # another writer may take the name between check and write
            try:
                return self.write(unique_path(folder, self.stem or readable_stem("")))
            except FileExistsError:
                continue
        raise BadInput(message("imagefile.no_free_name", folder=str(folder)))


def _signing_errors() -> tuple[type[Exception], ...]:
    """The signing library's own errors (none when it is not installed)."""
    try:
        import c2pa
    except ImportError:
        return ()
    return (c2pa.C2paError,)


class _Finished(QObject):
    done = Signal()


def off_the_gui_thread(work: Callable[[], T]) -> T:
    """``work()`` run on a worker thread while this (GUI) thread waits in an event loop
    that paints but holds back user input (so nothing the person does can change what
    is being written, or start a second write); its value, or its exception raised here.
    Called off the GUI thread (or without an application), it simply runs ``work()``."""
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        return work()
    outcome: dict[str, Any] = {}
    loop = QEventLoop()
    finished = _Finished()
    finished.done.connect(loop.quit, Qt.ConnectionType.QueuedConnection)

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # handed to the GUI thread, raised there
            outcome["error"] = exc
        finally:
            finished.done.emit()

    thread = threading.Thread(target=run, name="canvas export", daemon=True)
    busy = isinstance(app, QApplication)
    if busy:
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
    try:
        thread.start()
        loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        thread.join()
    finally:
        if busy:
            with contextlib.suppress(RuntimeError):
                QApplication.restoreOverrideCursor()
    if "error" in outcome:
        raise outcome["error"]
    value: T = outcome["value"]
    return value


__all__ = ["INGREDIENT_MIMES", "Export", "SourcePhoto", "off_the_gui_thread"]
