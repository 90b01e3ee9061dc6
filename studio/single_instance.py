"""One studio window per user: a second launch hands its files to the running one.

The running studio listens on a local socket (:class:`InstanceServer`); a new launch first
tries to connect (:func:`hand_over`) and, when something answers, sends its files as one
JSON message and exits. The key is per user: ``$XDG_RUNTIME_DIR/sozo-studio.sock`` where
the desktop provides that folder (private to the user, emptied at logout), otherwise a
name with the user's name in the temporary folder (a named pipe on Windows), and the
socket only lets its own user connect. A socket left by a crashed studio answers nobody:
connecting fails, so the new launch removes it and listens itself. (Two launches in the
same half second may both start; that race is accepted.)
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path

import shiboken6
from PySide6.QtCore import QByteArray, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_MS = 500  # a live studio accepts at once; a stale socket refuses at once
MAX_MESSAGE_BYTES = 1 << 20  # a megabyte of file names is plenty; more is not ours


def default_server_name() -> str:
    """The socket key of this user's studio."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if os.name != "nt" and runtime and Path(runtime).is_dir():
        return str(Path(runtime) / "sozo-studio.sock")
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name (a container without passwd entry)
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    # Hashed: a user name may hold characters a socket or pipe name must not.
    return f"sozo-studio-{hashlib.sha256(user.encode()).hexdigest()[:16]}"


def hand_over(files: Sequence[str | Path], server_name: str | None = None) -> bool:
    """Send ``files`` (made absolute here: the running studio has its own working folder)
    to the running studio. True when one took them; False when none is running."""
    socket = QLocalSocket()
    socket.connectToServer(server_name or default_server_name())
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    message = json.dumps({"files": [str(Path(f).absolute()) for f in files]}).encode()
    socket.write(QByteArray(message))
    sent = socket.waitForBytesWritten(2000) or socket.bytesToWrite() == 0
    socket.disconnectFromServer()
    if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
        socket.waitForDisconnected(2000)
    return sent


class InstanceServer(QObject):
    """Listens for later launches; ``files_received`` carries the files each one sent
    (possibly none: a plain second launch, which should bring the window forward)."""

    files_received = Signal(list)

    def __init__(self, server_name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.server_name = server_name or default_server_name()
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_connection)
        self._buffers: dict[QLocalSocket, bytearray] = {}

    def listen(self) -> bool:
        """Start listening, unless a studio already answers on the key (then False, and the
        caller runs alone). A stale socket (a file nobody answers on) is removed first.

        The check comes before listening because with ``UserAccessOption`` Qt binds in a
        private folder and renames the socket into place, which would silently replace a
        live studio's socket, not fail with "address in use".
        """
        probe = QLocalSocket()
        probe.connectToServer(self.server_name)
        if probe.waitForConnected(CONNECT_TIMEOUT_MS):
            probe.abort()
            log.info("another studio listens on %s", self.server_name)
            return False
        QLocalServer.removeServer(self.server_name)  # a crashed studio's socket, if any
        if self._server.listen(self.server_name):
            return True
        log.warning("cannot listen on %s: %s", self.server_name, self._server.errorString())
        return False

    def close(self) -> None:
        """Stop listening and drop the connections still open (their messages unread)."""
        for socket in list(self._buffers):
            self._forget(socket)
            if shiboken6.isValid(socket):
                socket.abort()
        self._server.close()

    def _on_connection(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = bytearray()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._finish(s))
            if socket.state() != QLocalSocket.LocalSocketState.ConnectedState:
                self._finish(socket)  # it said everything and left before we looked

    def _read(self, socket: QLocalSocket) -> None:
        buffer = self._buffers.get(socket)
        if buffer is None or not shiboken6.isValid(socket):
            return
        buffer += bytes(socket.readAll().data())
        if len(buffer) > MAX_MESSAGE_BYTES:
            log.warning("dropping an oversized message on %s", self.server_name)
            self._forget(socket)
            socket.abort()

    def _forget(self, socket: QLocalSocket) -> bytearray | None:
        """Stop hearing from ``socket`` (it is deleted later); what it sent so far."""
        buffer = self._buffers.pop(socket, None)
        if buffer is not None and shiboken6.isValid(socket):
            # No signal may reach this object from a socket being torn down with the server.
            socket.readyRead.disconnect()
            socket.disconnected.disconnect()
            socket.deleteLater()
        return buffer

    def _finish(self, socket: QLocalSocket) -> None:
        self._read(socket)
        buffer = self._forget(socket)
        if not buffer:  # gone already, or a probe (another studio checking the key)
            return
        try:
            files = json.loads(bytes(buffer).decode("utf-8"))["files"]
        except (ValueError, KeyError, TypeError):
            log.warning("ignoring an unreadable message on %s", self.server_name)
            return
        if isinstance(files, list) and all(isinstance(f, str) for f in files):
            self.files_received.emit(files)
