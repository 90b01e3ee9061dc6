"""The window's side of the API server: a toggle in the Jobs dock (and the Tools menu)
that starts and stops :class:`studio.server.ApiServer`, shows its address, and hands each
request's job to the window's :class:`~studio.jobs.JobRunner`, so requests show in the
Jobs dock and queue behind the panels' own jobs."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from engines.errors import SozoError
from engines.jobs import Job
from studio.jobs import JobRunner
from studio.server import ApiServer, ServerConfig, is_loopback

if TYPE_CHECKING:
    from studio.settings import StudioSettings


def new_api_key() -> str:
    """A fresh bearer token for the server's clients (32 random bytes, URL-safe text)."""
    return "sozo-" + secrets.token_urlsafe(32)


def server_problem(host: str, api_key: str) -> str | None:
    """Why the server may not listen on ``host`` with ``api_key`` (one line, in the
    interface's language), or None when it may."""
    host = host.strip()
    if not host or any(c.isspace() for c in host):
        return QCoreApplication.translate(
            "ServerBarWidget", "The API server's host must be an address such as 127.0.0.1."
        )
    if not is_loopback(host) and not api_key.strip():
        return QCoreApplication.translate(
            "ServerBarWidget",
            "Listening on %1 opens the studio to other machines: set an API key in "
            "Settings (Generate makes one), or listen on 127.0.0.1.",
        ).replace("%1", host)
    return None


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
        self,
        runner: JobRunner,
        config: ServerConfig | None = None,
        parent: QWidget | None = None,
        *,
        settings: StudioSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("serverBar")
        self._config = config  # None: from the settings when the server starts
        self._settings = settings
        self._jobs = RunnerJobQueue(runner, self)
        self.server: ApiServer | None = None
        self.action = QAction(self.tr("Serve the OpenAI-compatible API"), self)
        self.action.setCheckable(True)
        self.action.setToolTip(
            self.tr(
                "Let other programs use the local models through an OpenAI-compatible API "
                "(on this machine only unless Settings give another host and an API key); "
                "their requests show here as jobs."
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

    def config(self) -> ServerConfig:
        """Where to listen and the key to ask for: the settings' (host, port, API key)
        unless the bar was made with a config of its own (tests)."""
        if self._config is not None:
            return self._config
        if self._settings is None:
            return ServerConfig()
        key = self._settings.server_api_key
        return ServerConfig(
            host=self._settings.server_host,
            port=self._settings.server_port,
            api_key=key or None,
        )

    def _refuse(self, text: str) -> None:
        self.address.setText(text)
        self.address.setToolTip(text)
        self.action.setChecked(False)

    def _toggle(self, on: bool) -> None:
        if on and self.server is None:
            config = self.config()
            problem = server_problem(config.host, config.api_key or "")
            if problem is not None:
                self._refuse(problem)
                return
            try:
                self.server = ApiServer(config, self._jobs)
            except SozoError as exc:
                self._refuse(str(exc))
                return
            self.server.start()
            if config.api_key:
                text = self.tr("Serving at %1 (clients must send the API key)")
            else:
                text = self.tr("Serving at %1")
            self.address.setText(text.replace("%1", str(self.server.address)))
            self.address.setToolTip(self.address.text())
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
        self.address.setToolTip("")
        self.button.setText(self.tr("Serve API"))
        self.action.setChecked(False)
        self.serving_changed.emit(False)
