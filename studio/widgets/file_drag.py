"""A handle that drags a file made on demand (audio, MIDI) out of the studio."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDrag, QMouseEvent
from PySide6.QtWidgets import QFrame, QLabel, QWidget


class FileDragLabel(QLabel):
    """A handle that drags a freshly written file (audio or MIDI) out of the studio."""

    def __init__(self, text: str, make_file: Any, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.make_file = make_file
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setToolTip(self.tr("Drag this into a file manager, a DAW or a video editor"))
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self._press: QPoint | None = None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None or (event.position().toPoint() - self._press).manhattanLength() < 8:
            return
        self._press = None
        mime = self.mime_data()
        if mime is None:
            return
        drag = QDrag(self)
        drag.setMimeData(mime)
        drag.exec(Qt.DropAction.CopyAction)

    def mime_data(self) -> QMimeData | None:
        """What a drag carries: the URL of the file just written (None if it failed)."""
        path = self.make_file()
        if path is None:
            return None
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(path))])
        return mime
