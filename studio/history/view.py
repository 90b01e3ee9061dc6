"""The History dock: everything made, searchable, reopened in its panel with a double click.

A list over :class:`engines.history.History`: each row shows a thumbnail (a picture), a
waveform (an audio file) or the kind's sign (a reply, a melody with no audio), the first
line of its prompt or text, and its kind, model and time. Thumbnails are made when the
list first shows a row and kept. Filters: words (full-text search), kind, model, and how
far back. A row whose file is gone says so and can be relinked or removed.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSize,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from engines.errors import SozoError
from engines.history import KINDS, History, HistoryItem, HistoryQuery
from studio.history.recorder import HistoryRecorder
from studio.history.thumbnails import THUMB, Thumbnails
from studio.i18n.engine_text import render

if TYPE_CHECKING:
    from studio.main_window import MainWindow

log = logging.getLogger(__name__)

DAY = 86400.0
ItemRole = Qt.ItemDataRole.UserRole + 1


class HistoryListModel(QAbstractListModel):
    """The rows the dock lists: the items of the last query, newest or best first."""

    def __init__(self, thumbnails: Thumbnails, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.items: list[HistoryItem] = []
        self._thumbnails = thumbnails

    def set_items(self, items: list[HistoryItem]) -> None:
        self.beginResetModel()
        self.items = items
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.items)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{_short(item.first_line) or self._untitled()}\n{self._details(item)}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._thumbnails.for_item(item)  # made on first show, then cached
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item)
        if role == Qt.ItemDataRole.SizeHintRole:
            # Narrow on purpose: a row then spans the list's width and its text is
            # elided there, instead of growing a horizontal scroll bar.
            return QSize(1, THUMB + 8)
        if role == Qt.ItemDataRole.ForegroundRole and item.missing:
            return QColor("#b03a2e")
        if role == ItemRole:
            return item
        return None

    def _untitled(self) -> str:
        return self.tr("(untitled)")

    def _details(self, item: HistoryItem) -> str:
        made = time.localtime(item.created)
        today = time.localtime()[:3] == made[:3]
        when = time.strftime("%H:%M" if today else "%Y-%m-%d", made)
        parts = [kind_label(item.kind), when, item.model_id]
        if item.missing:
            parts.append(self.tr("file missing"))
        return " · ".join(p for p in parts if p)

    def _tooltip(self, item: HistoryItem) -> str:
        lines = [item.first_line]
        lines += [
            self.tr("%1 (missing)").replace("%1", str(f)) if f in item.missing else str(f)
            for f in item.files
        ]
        if item.licence:
            lines.append(self.tr("Licence: %1").replace("%1", item.licence))
        if item.seed is not None:
            lines.append(self.tr("Seed: %1").replace("%1", str(item.seed)))
        return "\n".join(x for x in lines if x)


def kind_label(kind: str) -> str:
    from PySide6.QtCore import QCoreApplication

    labels = {
        "image": QCoreApplication.translate("HistoryView", "Image"),
        "text": QCoreApplication.translate("HistoryView", "Text"),
        "melody": QCoreApplication.translate("HistoryView", "Melody"),
        "speech": QCoreApplication.translate("HistoryView", "Speech"),
        "walk": QCoreApplication.translate("HistoryView", "Walk"),
    }
    return labels.get(kind, kind)


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class HistoryView(QWidget):
    """Search box, filters and the list. ``open_requested(item)``: reopen it in its panel."""

    open_requested = Signal(object)  # HistoryItem

    RANGES = (("any", 0.0), ("today", 1.0), ("week", 7.0), ("month", 30.0), ("year", 365.0))

    def __init__(
        self, store: History | None, recorder: HistoryRecorder | None, notice: str = ""
    ) -> None:
        super().__init__()
        self.setObjectName("historyView")
        self.store = store
        self.thumbnails = Thumbnails()
        self.model = HistoryListModel(self.thumbnails, self)

        self.search = QLineEdit()
        self.search.setObjectName("historySearch")
        self.search.setPlaceholderText(self.tr("Search prompts, replies and scripts"))
        self.search.setClearButtonEnabled(True)
        self.kind = QComboBox()
        self.kind.setObjectName("historyKind")
        self.kind.addItem(self.tr("All kinds"), "")
        for kind in KINDS:
            self.kind.addItem(kind_label(kind), kind)
        self.model_filter = QComboBox()
        self.model_filter.setObjectName("historyModel")
        self.when = QComboBox()
        self.when.setObjectName("historyWhen")
        range_labels = {
            "any": self.tr("Any time"),
            "today": self.tr("Past day"),
            "week": self.tr("Past 7 days"),
            "month": self.tr("Past 30 days"),
            "year": self.tr("Past year"),
        }
        for key, days in self.RANGES:
            self.when.addItem(range_labels[key], days)
        self.notice = QLabel(notice)
        self.notice.setObjectName("historyNotice")
        self.notice.setWordWrap(True)
        self.notice.setVisible(bool(notice))
        self.count_label = QLabel()
        self.count_label.setObjectName("historyCount")

        self.list = QListView()
        self.list.setObjectName("historyList")
        self.list.setModel(self.model)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setUniformItemSizes(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setWordWrap(False)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setSpacing(2)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        # Double-click or Enter (``activated``) reopens the item in its panel.
        self.list.activated.connect(lambda index: self._open(self._item_at(index)))

        filters = QHBoxLayout()
        filters.addWidget(self.kind)
        filters.addWidget(self.model_filter, 1)
        filters.addWidget(self.when)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.notice)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.count_label)

        # Searching as the user types, once a pause shows the word is there.
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(200)
        self._refresh_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _: self._refresh_timer.start())
        for combo in (self.kind, self.model_filter, self.when):
            combo.currentIndexChanged.connect(lambda _: self.refresh())
        if recorder is not None:
            recorder.recorded.connect(lambda _: self.refresh())
            recorder.failed.connect(self.show_notice)
        self.refresh()

    # -- listing -----------------------------------------------------------------------
    def query(self) -> HistoryQuery:
        days = float(self.when.currentData() or 0.0)
        return HistoryQuery(
            text=self.search.text(),
            kind=self.kind.currentData() or None,
            model_id=self.model_filter.currentData() or None,
            since=time.time() - days * DAY if days else None,
        )

    def refresh(self) -> None:
        """List the items that match the filters now."""
        self._refresh_timer.stop()
        if self.store is None:
            self.model.set_items([])
            return
        self._update_models()
        query = self.query()
        try:
            items = self.store.search(query)
        except (SozoError, sqlite3.Error) as exc:
            self.show_notice(str(exc))
            items = []
        chosen = self.selected_item()
        self.model.set_items(items)
        if chosen is not None:  # the same item stays selected across a refresh
            row = next((r for r, i in enumerate(items) if i.id == chosen.id), None)
            if row is not None:
                self.list.setCurrentIndex(self.model.index(row))
        missing = sum(1 for i in items if i.missing)
        if len(items) >= query.limit:
            text = self.tr("The first %n items: search or filter to see others", "", len(items))
        else:
            text = self.tr("%n item(s)", "", len(items))
        if missing:
            text += " · " + self.tr("%n with a missing file", "", missing)
        self.count_label.setText(text)

    def _update_models(self) -> None:
        assert self.store is not None
        wanted = ["", *self.store.models()]
        have = [self.model_filter.itemData(i) for i in range(self.model_filter.count())]
        if have == wanted:
            return
        chosen = self.model_filter.currentData() or ""
        self.model_filter.blockSignals(True)  # a refresh must not start another
        self.model_filter.clear()
        self.model_filter.addItem(self.tr("All models"), "")
        for model_id in wanted[1:]:
            self.model_filter.addItem(model_id, model_id)
        self.model_filter.setCurrentIndex(max(0, self.model_filter.findData(chosen)))
        self.model_filter.blockSignals(False)

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def selected_item(self) -> HistoryItem | None:
        return self._item_at(self.list.currentIndex())

    def _item_at(self, index: QModelIndex) -> HistoryItem | None:
        item = index.data(ItemRole) if index.isValid() else None
        return item if isinstance(item, HistoryItem) else None

    # -- actions -----------------------------------------------------------------------
    def _open(self, item: HistoryItem | None) -> None:
        if item is not None:
            self.open_requested.emit(item)

    def _context_menu(self, pos: QPoint) -> None:
        item = self._item_at(self.list.indexAt(pos))
        if item is None:
            return
        menu = self.menu_for(item)
        menu.exec(self.list.viewport().mapToGlobal(pos))

    def menu_for(self, item: HistoryItem) -> QMenu:
        """The row's context menu (built apart from showing it, for tests)."""
        menu = QMenu(self)
        menu.addAction(self.tr("Open in panel"), lambda: self._open(item))
        show = menu.addAction(self.tr("Show file"), lambda: self.show_file(item))
        show.setEnabled(any(f not in item.missing for f in item.files))
        relink = menu.addAction(self.tr("Relink…"), lambda: self._ask_relink(item))
        relink.setEnabled(bool(item.missing))
        menu.addSeparator()
        menu.addAction(self.tr("Remove from history"), lambda: self.remove(item))
        delete = menu.addAction(
            self.tr("Remove and delete the file…"), lambda: self._ask_delete(item)
        )
        delete.setEnabled(any(f not in item.missing for f in item.files))
        return menu

    def show_file(self, item: HistoryItem) -> None:
        present = [f for f in item.files if f not in item.missing]
        if present:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(present[0].parent)))

    def _ask_relink(self, item: HistoryItem) -> None:
        old = item.missing[0]
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Where is %1 now?").replace("%1", old.name), str(old.parent)
        )
        if path:
            self.relink(item, old, Path(path))

    def relink(self, item: HistoryItem, old: Path, new: Path) -> None:
        if self.store is None:
            return
        try:
            self.store.relink(item.id, old, new)
        except (SozoError, sqlite3.Error) as exc:
            self.show_notice(str(exc))
            return
        self.thumbnails.forget(old)
        self.refresh()

    def remove(self, item: HistoryItem, *, delete_files: bool = False) -> None:
        """Take the item out of the history; its files stay unless ``delete_files``."""
        if self.store is None:
            return
        try:
            self.store.remove(item.id, delete_files=delete_files)
        except (SozoError, sqlite3.Error, OSError) as exc:
            self.show_notice(str(exc))
        self.refresh()

    def _ask_delete(self, item: HistoryItem) -> None:
        names = "\n".join(str(f) for f in item.files if f not in item.missing)
        answer = QMessageBox.question(
            self,
            self.tr("Delete the file?"),
            self.tr("Remove this item from the history and delete from the disk:\n%1").replace(
                "%1", names
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.remove(item, delete_files=True)


class HistoryDock(QDockWidget):
    """The dock the main window shows (View → History, Ctrl+H)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("historyDock")
        self.setWindowTitle(self.tr("History"))
        self.store: History | None = None
        self.recorder: HistoryRecorder | None = None
        notice = ""
        try:
            self.store = History()
            notice = render(self.store.notice)
        except SozoError as exc:
            log.exception("opening the history")
            notice = self.tr("The history cannot be opened, nothing will be recorded: %1").replace(
                "%1", render(exc)
            )
        context = window.context
        if self.store is not None:

            def device() -> str:
                choice = context.device.choice
                if choice is None:
                    return ""
                return f"{choice.kind} ({choice.name})" if choice.name else choice.kind

            self.recorder = HistoryRecorder(
                self.store, catalogue=context.catalogue, device=device, parent=self
            )
            self.recorder.attach(context.runner)
            context.history = self.recorder
        self.view = HistoryView(self.store, self.recorder, notice)
        self.view.open_requested.connect(self._reopen)
        self.setWidget(self.view)
        self.setMinimumWidth(280)
        self.toggle_action: QAction = self.toggleViewAction()
        self.toggle_action.setText(self.tr("&History"))
        self.toggle_action.setShortcut(QKeySequence("Ctrl+H"))
        self._window = window

    def _reopen(self, item: HistoryItem) -> None:
        from studio.history.reopen import reopen

        try:
            line = reopen(self._window, item)
        except SozoError as exc:
            line = str(exc)
        except Exception as exc:  # a strange item must never take the window down
            log.exception("reopening history item %s", item.id)
            line = render(exc)
        self.view.show_notice("")
        self._window.statusBar().showMessage(line, 15_000)

    def shutdown(self) -> None:
        """The window is closing: the database is closed (its WAL folded back in)."""
        if self.store is not None:
            self.store.close()
            self.store = None
            self.view.store = None


def install_history(window: MainWindow) -> HistoryDock:
    """Open the history, record the window's jobs into it, and dock its view (beside the
    Jobs dock, which stays in front)."""
    dock = HistoryDock(window)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    queue_dock = getattr(window, "queue_dock", None)
    if queue_dock is not None:
        window.tabifyDockWidget(queue_dock, dock)
        queue_dock.raise_()
    return dock
