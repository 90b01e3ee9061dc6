"""The window's side of the API server: a toggle in the Jobs dock (and the Tools menu)
that starts and stops :class:`studio.server.ApiServer`, shows its address, and hands each
request's job to the window's :class:`~studio.jobs.JobRunner`, so requests show in the
Jobs dock and queue behind the panels' own jobs."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from engines.errors import SozoError
from engines.jobs import Job
from studio.jobs import JobRunner
from studio.server import ApiServer, ServerConfig


class RunnerJobQueue(QObject):
    """The server's :class:`~studio.server.JobQueue` on the window's runner. ``submit``
    is called on the server's threads; the job reaches the runner on the GUI thread."""

    _submitted = Signal(object)  # Job

    def __init__(self, runner: JobRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._submitted.connect(lambda job: self._runner.submit(job))

    def submit(self, job: Job[Any]) -> None:
        self._submitted.emit(job)  # queued across threads: the runner is the GUI's


class ServerBarWidget(QWidget):
    """ "Serve API" and the address it serves at, or why it could not start."""

    serving_changed = Signal(bool)

    def __init__(
        self, runner: JobRunner, config: ServerConfig | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("serverBar")
        self._config = config or ServerConfig()
        self._jobs = RunnerJobQueue(runner, self)
        self.server: ApiServer | None = None
        self.action = QAction(self.tr("Serve the OpenAI-compatible API"), self)
        self.action.setCheckable(True)
        self.action.setToolTip(
            self.tr(
                "Let other programs use the local models through an OpenAI-compatible API on "
                "this machine only; their requests show here as jobs."
            )
        )
        self.action.toggled.connect(self._toggle)
        self.button = QToolButton()
        self.button.setDefaultAction(self.action)
        self.button.setText(self.tr("Serve API"))
        self.address = QLabel(self.tr("API server off"))
        self.address.setObjectName("serverAddress")
        self.address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.button)
        layout.addWidget(self.address, 1)

    def _toggle(self, on: bool) -> None:
        if on and self.server is None:
            try:
                self.server = ApiServer(self._config, self._jobs)
            except SozoError as exc:
                self.address.setText(str(exc))
                self.action.setChecked(False)
                return
            self.server.start()
            self.address.setText(self.tr("Serving at %1").replace("%1", str(self.server.address)))
            self.button.setText(self.tr("Stop API"))
            self.serving_changed.emit(True)
        elif not on and self.server is not None:
            self.stop()

    def stop(self) -> None:
        """Stop listening (running request jobs finish or are cancelled in the dock)."""
        if self.server is None:
            return
        self.server.stop()
        self.server = None
        self.address.setText(self.tr("API server off"))
        self.button.setText(self.tr("Serve API"))
        self.action.setChecked(False)
        self.serving_changed.emit(False)
