"""Decodes latents for live sliders on a thread of its own, newest request first.

While a slider is dragged, requests arrive faster than frames can be made. Each request
has a tag ("interpolate", "pad", "direction"); a newer request with the same tag replaces
the one still waiting, so the decoder always works on where the slider is now, and the
GUI thread never waits for torch.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QThread, Signal
from PySide6.QtGui import QImage

from studio.i18n.engine_text import render
from studio.imageconv import pil_to_qimage

if TYPE_CHECKING:
    from PIL import Image


class LiveDecoder(QThread):
    frame_ready = Signal(str, QImage)  # tag, frame
    failed = Signal(str, str)  # tag, readable error

    def __init__(self) -> None:
        super().__init__()
        self._cond = threading.Condition()
        self._pending: dict[str, Callable[[], Image.Image]] = {}
        self._stopping = False
        self.frames_made = 0

    def submit(self, tag: str, make_frame: Callable[[], Image.Image]) -> None:
        """Queue work that returns a PIL image; replaces waiting work with the same tag."""
        with self._cond:
            self._pending[tag] = make_frame
            self._cond.notify()
        if not self.isRunning():
            self.start()

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._pending.clear()
            self._cond.notify()
        self.wait(5000)

    @property
    def busy(self) -> bool:
        with self._cond:
            return bool(self._pending)

    def run(self) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._stopping:
                    self._cond.wait()
                if self._stopping:
                    return
                tag, make_frame = next(iter(self._pending.items()))
                del self._pending[tag]
            try:
                frame = pil_to_qimage(make_frame())
            except Exception as exc:
                self.failed.emit(tag, render(exc))
                continue
            self.frames_made += 1
            self.frame_ready.emit(tag, frame)
