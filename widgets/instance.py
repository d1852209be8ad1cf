"""One window per project: a window that has a project open listens on a local socket named
after that project (QLocalServer: a named pipe on Windows, a Unix socket elsewhere). Opening the
same project again, by a double-click in Explorer or from another window, connects to it: the
window holding the project comes forward and the second one does not open the file.

Why a per-project server and not one server for the program: each window holds one project and
a clerk may work on two companies in two windows; only the *same* project must not be opened
twice. The project file's own lock (one writer) is a separate mechanism in the project store;
this module only finds the window that already has the project and brings it forward."""

from __future__ import annotations

import getpass
import hashlib
import os
import sys
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

RAISE = b"raise\n"
ACK = b"ok\n"


def _user() -> str:
    """The user, with the domain on Windows: DOMAIN\\clerk and PC\\clerk are two people
    (two accounts of one name on a terminal server must not share a window)."""
    try:
        user = getpass.getuser()
    except Exception:  # no user name in the environment: one shared name is still correct
        user = ""
    domain = os.environ.get("USERDOMAIN", "") if sys.platform == "win32" else ""
    return f"{domain}\\{user}" if domain else user


def server_name(project: Path) -> str:
    """Stable for one user and one project file however it is spelled (case on Windows,
    relative paths, symlinks); named pipes are machine-wide, so the user (with the domain)
    is part of it."""
    path = os.path.normcase(str(project.resolve()))
    digest = hashlib.sha256(f"{_user()}\0{path}".encode()).hexdigest()[:24]
    return f"PacketAssembler-{digest}"


def forward(project: Path, timeout_ms: int = 1500) -> bool:
    """Ask the window holding ``project`` to come forward; True when one answered."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(project))
    if not socket.waitForConnected(timeout_ms):
        return False
    if sys.platform == "win32":  # let the running window take the foreground from us
        import ctypes

        ctypes.windll.user32.AllowSetForegroundWindow(-1)  # type: ignore[attr-defined]
    socket.write(RAISE)
    socket.waitForBytesWritten(timeout_ms)
    answered = False
    while socket.waitForReadyRead(timeout_ms):
        if bytes(socket.readAll().data()).startswith(ACK):
            answered = True
            break
    socket.disconnectFromServer()
    return answered


def _answers(name: str) -> bool:
    socket = QLocalSocket()
    socket.connectToServer(name)
    connected = socket.waitForConnected(500)
    socket.abort()
    return connected


class ProjectBeacon(QObject):
    """Listens for 'bring the window with this project forward' while the project is open."""

    raise_requested = Signal()

    def __init__(self, project: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(project)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)
        # Another window answering on this name holds the project: leave its server alone (on
        # Unix, listening with socket options renames the new socket over the old one). A
        # socket file left by a program that crashed answers nobody: remove it, then listen.
        # Best effort: without a server this window still works, it just cannot be brought
        # forward.
        if not _answers(self.name):
            QLocalServer.removeServer(self.name)
            self.server.listen(self.name)

    def listening(self) -> bool:
        return self.server.isListening()

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(RAISE):
            self.raise_requested.emit()
            socket.write(ACK)
            socket.flush()

    def close(self) -> None:
        self.server.close()
