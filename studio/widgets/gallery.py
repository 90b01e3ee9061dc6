"""The gallery: generated images with their recipes, a history that survives restarts, and
dragging results out of the app as PNG files."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMimeData, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDrag, QIcon, QImage, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from engines import paths, safe_write
from engines.imagefile import Recipe

THUMB = 96
STRIP_THUMB = 64
HISTORY_LIMIT = 500


@dataclass(frozen=True)
class GalleryEntry:
    """One saved result: its PNG file and the recipe that made it."""

    path: Path
    recipe: Recipe
    created: float

    def to_json(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "parameters": self.recipe.to_parameters(),
            "created": self.created,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> GalleryEntry:
        return cls(
            path=Path(str(data["path"])),
            recipe=Recipe.from_parameters(str(data["parameters"])),
            created=float(str(data.get("created", 0.0))),
        )


def file_drag_mime(files: list[Path]) -> QMimeData:
    """Mime data that file managers, browsers and DAWs accept as dropped files."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f.resolve())) for f in files])
    return mime


class GalleryWidget(QListWidget):
    """Thumbnails of results, newest first. Click: ``entry_activated``; drag: the PNG file."""

    entry_activated = Signal(object)  # GalleryEntry

    def __init__(
        self,
        history_file: Path | None = None,
        parent: QWidget | None = None,
        *,
        keep_history: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("gallery")
        self.history_file = history_file or paths.config_dir() / "image_history.json"
        self.keep_history = keep_history  # False: this session's entries only, none saved
        self.setViewMode(QListWidget.ViewMode.IconMode)
        self.setIconSize(QSize(THUMB, THUMB))
        self.setGridSize(QSize(THUMB + 16, THUMB + 22))
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setMovement(QListWidget.Movement.Static)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setWordWrap(True)
        self.itemClicked.connect(self._activated)
        self.entries: list[GalleryEntry] = []
        if keep_history:
            self._load_history()

    def add(self, entry: GalleryEntry, *, save: bool = True) -> QListWidgetItem:
        self.entries.insert(0, entry)
        image = QImage(str(entry.path))
        pixmap = QPixmap.fromImage(image).scaled(
            THUMB,
            THUMB,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.FastTransformation,
        )
        item = QListWidgetItem(QIcon(pixmap), _short(entry.recipe.prompt))
        item.setData(Qt.ItemDataRole.UserRole, entry)
        item.setToolTip(entry.recipe.to_parameters())
        self.insertItem(0, item)
        if save and self.keep_history:
            self._save_history()
        return item

    def selected_entries(self) -> list[GalleryEntry]:
        rows = sorted(self.row(i) for i in self.selectedItems())
        return [self.item(r).data(Qt.ItemDataRole.UserRole) for r in rows]

    def _activated(self, item: QListWidgetItem) -> None:
        self.entry_activated.emit(item.data(Qt.ItemDataRole.UserRole))

    # -- dragging out ------------------------------------------------------------------
    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:
        files = [i.data(Qt.ItemDataRole.UserRole).path for i in items]
        return file_drag_mime([f for f in files if f.exists()])

    def startDrag(self, supported: Qt.DropAction) -> None:
        items = self.selectedItems()
        if not items:
            return
        drag = QDrag(self)
        drag.setMimeData(self.mimeData(items))
        drag.setPixmap(items[0].icon().pixmap(THUMB, THUMB))
        drag.exec(Qt.DropAction.CopyAction)

    # -- history -----------------------------------------------------------------------
    def _load_history(self) -> None:
        try:
            raw = json.loads(self.history_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return  # no history yet, or a damaged one: start empty, rewrite on next save
        entries = []
        for data in raw if isinstance(raw, list) else []:
            try:
                entry = GalleryEntry.from_json(data)
            except (KeyError, TypeError, ValueError):
                continue
            if entry.path.exists():  # files the user deleted drop out of the history
                entries.append(entry)
        for entry in reversed(entries):
            self.add(entry, save=False)

    def _save_history(self) -> None:
        data = [e.to_json() for e in self.entries[:HISTORY_LIMIT]]
        self.history_file.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(data, ensure_ascii=False, indent=1)
        safe_write.write_text(self.history_file, text, overwrite=True)


class EditResultsStrip(GalleryWidget):
    """A column of the results made from the Edit tab's picture (img2img, inpainting),
    newest first: drag one out as its PNG file, or click it to edit it next."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(None, parent, keep_history=False)
        self.setObjectName("editResults")
        self.setFlow(QListWidget.Flow.TopToBottom)
        self.setWrapping(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setIconSize(QSize(STRIP_THUMB, STRIP_THUMB))
        self.setGridSize(QSize(STRIP_THUMB + 8, STRIP_THUMB + 8))
        # Room for the thumbnails and a vertical scroll bar.
        self.setFixedWidth(STRIP_THUMB + 8 + 2 * self.frameWidth() + 16)
        self.setToolTip(
            self.tr("Results of editing this picture: drag one out, or click it to edit it")
        )
        self.hide()  # until there is a result

    def add(self, entry: GalleryEntry, *, save: bool = False) -> QListWidgetItem:
        item = super().add(entry, save=False)
        item.setText("")  # the thumbnail alone: the recipe is in the tooltip
        self.setCurrentItem(item)
        self.show()
        return item


def new_entry(path: Path, recipe: Recipe) -> GalleryEntry:
    return GalleryEntry(path=path, recipe=recipe, created=time.time())


def _short(prompt: str, limit: int = 28) -> str:
    text = " ".join(prompt.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
