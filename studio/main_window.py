"""The main window: panel navigation, the four panels, the job queue and the device."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QGuiApplication,
    QKeySequence,
    QResizeEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from engines import APP_NAME, __version__
from engines.device import DeviceChoice
from studio.context import StudioContext
from studio.dialogs import ModelsDialog, SettingsDialog, show_about
from studio.history.view import install_history
from studio.i18n.engine_text import render, render_all
from studio.panels import PANEL_CLASSES
from studio.panels.base import PanelBase
from studio.qt_server import ServerBarWidget
from studio.queue_view import JobQueueWidget
from studio.theme import apply_theme

NAV_ICONS = {"text": "✎", "image": "◧", "music": "♫", "speech": "❝"}


if TYPE_CHECKING:
    from studio.batch_dialog import BatchDialog


class DeviceStatusWidget(QLabel):
    """The status bar's device: GPU name and free VRAM, or CPU and threads."""

    def __init__(self, context: StudioContext) -> None:
        super().__init__(self.tr("Device: detecting…"))
        self.setObjectName("deviceStatus")
        context.device.choice_changed.connect(self.show_choice)
        context.device.probe_failed.connect(self.show_failure)
        if context.device.choice is not None:
            self.show_choice(context.device.choice)

    def show_choice(self, choice: DeviceChoice) -> None:
        self.setText(render(choice.summary()))
        tips = [choice.reason, choice.threads_reason, choice.onnx_reason, *choice.warnings]
        self.setToolTip("\n".join(render_all(tips)))

    def show_failure(self, message: str) -> None:
        self.setText(self.tr("Device: CPU (detection failed)"))
        self.setToolTip(message)


class StatusNoticeWidget(QLabel):
    """The status bar's notice: the latest one a panel posted and has not cleared, on one
    line (elided to fit; the whole text is the tooltip)."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("statusNotice")
        self.setWordWrap(False)
        self.setMinimumWidth(0)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._by_panel: dict[str, str] = {}  # in posting order: the last is shown
        self.notice = ""
        self.hide()

    def post(self, panel: str, text: str) -> None:
        self._by_panel.pop(panel, None)
        line = " ".join(text.split())
        if line:
            self._by_panel[panel] = line
        self.notice = next(reversed(self._by_panel.values()), "")
        self.setToolTip(self.notice)
        self.setVisible(bool(self.notice))
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        metrics = self.fontMetrics()
        self.setText(metrics.elidedText(self.notice, Qt.TextElideMode.ElideRight, self.width()))


class MainWindow(QMainWindow):
    def __init__(self, context: StudioContext) -> None:
        super().__init__()
        self.context = context
        self.restart_requested = False  # Settings chose a new language: main() restarts
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(QSize(760, 520))

        self.nav = QListWidget()
        self.nav.setObjectName("panelNav")
        self.nav.setFixedWidth(150)
        self.stack = QStackedWidget()
        self.panels: dict[str, PanelBase] = {}
        for panel_class in PANEL_CLASSES:
            panel = panel_class(context)
            name = panel.task.value
            self.panels[name] = panel
            self.stack.addWidget(panel)
            item = QListWidgetItem(f"{NAV_ICONS[name]}  {panel.title}")
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._on_nav)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.queue = JobQueueWidget(context.runner)
        self.queue_dock = QDockWidget(self.tr("Jobs"), self)
        self.queue_dock.setObjectName("jobsDock")
        self.server_bar = ServerBarWidget(context.runner, settings=context.settings)
        dock_body = QWidget()
        dock_layout = QVBoxLayout(dock_body)
        dock_layout.setContentsMargins(0, 0, 0, 0)
        dock_layout.addWidget(self.server_bar)
        dock_layout.addWidget(self.queue, 1)
        self.queue_dock.setWidget(dock_body)
        self.queue_dock.setMinimumWidth(280)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.queue_dock)
        self.history_dock = install_history(self)  # records every job from here on

        self.device_status = DeviceStatusWidget(context)
        self.statusBar().addWidget(self.device_status)
        self.notice = StatusNoticeWidget()
        self.statusBar().addWidget(self.notice, 1)
        for name, each in self.panels.items():
            each.notice_changed.connect(lambda text, name=name: self.notice.post(name, text))
        # Bad values in the settings file (set to defaults), a damaged list of models.
        if notices := [*context.settings.notices, *context.catalogue.notices]:
            self.notice.post("settings", " ".join(render_all(notices)))
        self.statusBar().addPermanentWidget(QLabel(f"{APP_NAME} {__version__}"))

        self._build_menus()
        self._build_shortcuts()
        context.settings.theme_changed.connect(self._apply_theme)
        # "Follow the system": re-apply when the desktop switches between light and dark.
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_system_scheme)
        self._restore_window()

    # -- building ----------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        open_out = QAction(self.tr("Open output folder"), self)
        open_out.triggered.connect(self._open_output_folder)
        file_menu.addAction(open_out)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        tools = bar.addMenu(self.tr("&Tools"))
        models = QAction(self.tr("&Models…"), self)
        models.triggered.connect(self.show_models)
        tools.addAction(models)
        settings = QAction(self.tr("&Settings…"), self)
        settings.setShortcut(QKeySequence.StandardKey.Preferences)
        settings.triggered.connect(self.show_settings)
        tools.addAction(settings)
        batch = QAction(self.tr("&Batch…"), self)
        batch.triggered.connect(self.show_batch)
        tools.addAction(batch)
        tools.addSeparator()
        tools.addAction(self.server_bar.action)

        view = bar.addMenu(self.tr("&View"))
        view.addAction(self.queue_dock.toggleViewAction())
        view.addAction(self.history_dock.toggle_action)

        help_menu = bar.addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About %1").replace("%1", APP_NAME), self)
        about.triggered.connect(lambda: show_about(self, self.context.catalogue))
        help_menu.addAction(about)

    def _build_shortcuts(self) -> None:
        generate = QShortcut(QKeySequence("Ctrl+Return"), self)
        generate.setContext(Qt.ShortcutContext.ApplicationShortcut)
        generate.activated.connect(lambda: self.current_panel().generate())
        generate_enter = QShortcut(QKeySequence("Ctrl+Enter"), self)
        generate_enter.setContext(Qt.ShortcutContext.ApplicationShortcut)
        generate_enter.activated.connect(lambda: self.current_panel().generate())
        cancel = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        cancel.setContext(Qt.ShortcutContext.WindowShortcut)
        cancel.activated.connect(lambda: self.current_panel().cancel())

    def _restore_window(self) -> None:
        settings = self.context.settings
        geometry = settings.window_geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 800)
        state = settings.window_state()
        if state is not None:
            self.restoreState(state)
        self.show_panel(settings.last_panel())

    # -- panels ------------------------------------------------------------------------
    def _on_nav(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        name = self.nav.item(row).data(Qt.ItemDataRole.UserRole)
        self.context.settings.set_last_panel(str(name))

    def show_panel(self, name: str) -> None:
        names = list(self.panels)
        self.nav.setCurrentRow(names.index(name) if name in names else 0)

    def current_panel(self) -> PanelBase:
        widget = self.stack.currentWidget()
        assert isinstance(widget, PanelBase)
        return widget

    # -- dialogs -----------------------------------------------------------------------
    def open_files(self, files: list[str]) -> str:
        """Files from the command line or the desktop, each in its panel (studio.open_files).
        Returns the status bar's line about them."""
        from studio.open_files import open_files

        return open_files(self, files)

    def take_handed_files(self, files: list[str]) -> str:
        """A later launch's files (studio.single_instance): the window comes forward first."""
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()
        return self.open_files(files)

    def show_settings(self) -> None:
        dialog = SettingsDialog(self.context.settings, self.context.device, self)
        if dialog.exec() and dialog.restart_wanted:
            self.request_restart()

    def request_restart(self) -> None:
        """Close the window (as a user's close does) and have main() start it again."""
        self.restart_requested = True
        self.close()

    def show_batch(self) -> BatchDialog:
        from studio.batch_dialog import BatchDialog

        dialog = self.findChild(BatchDialog) or BatchDialog(self.context, self)
        dialog.show()
        dialog.raise_()
        return dialog

    def show_models(self) -> None:
        ModelsDialog(self.context.catalogue, self, self.context.runner).exec()

    def _open_output_folder(self) -> None:
        from pathlib import Path

        from PySide6.QtCore import QUrl

        folder = Path(self.context.settings.output_dir)
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def _on_system_scheme(self, *_: object) -> None:
        if self.context.settings.theme == "system":
            self._apply_theme("system")

    def _apply_theme(self, theme: str) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)

    # -- closing -----------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        geometry: QByteArray = self.saveGeometry()
        self.context.settings.save_window(geometry, self.saveState())
        self.server_bar.stop()  # no new requests while the jobs are cancelled
        self.context.runner.shutdown(3000)
        for panel in self.panels.values():
            panel.shutdown()
        self.history_dock.shutdown()
        super().closeEvent(event)
