"""A project file passed on the command line (an Explorer double-click) opens in the window;
opening a project another window holds brings that window forward, with two real processes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.guide import DEFAULT_GUIDE_ID
from tests.gui.opening import open_and_wait

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path: Path, gui_app) -> Path:  # type: ignore[no-untyped-def]
    from widgets.session import ProjectSession

    path = tmp_path / "项目 文件夹" / "澳澜 智联.sbproj"
    path.parent.mkdir()
    ProjectSession.create(path, DEFAULT_GUIDE_ID).close()
    return path


def _env(app_home: Path) -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", PACKET_ASSEMBLER_HOME=str(app_home))


@pytest.fixture
def first_window(project: Path, app_home: Path, tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """`python main.py PROJECT.sbproj` in its own process, waited for until it holds the project."""
    from widgets.instance import forward

    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), str(project)],
        cwd=tmp_path,
        env=_env(app_home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not forward(project, timeout_ms=500):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the first window never opened the project"
            time.sleep(0.2)
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_double_click_opens_the_project_and_a_second_launch_forwards(
    first_window: subprocess.Popen[str], project: Path, app_home: Path, tmp_path: Path
) -> None:
    # The first process is running with the project open (it answered forward()), not exiting
    # with a usage error. A second launch of the same file brings it forward and ends at once.
    second = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), str(project)],
        cwd=tmp_path,
        env=_env(app_home),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert second.returncode == 0, second.stderr
    assert "已在另一个窗口中打开" in second.stdout
    assert first_window.poll() is None


def test_opening_a_project_another_window_holds_says_so(
    first_window: subprocess.Popen[str], project: Path, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:  # type: ignore[no-untyped-def]
    from widgets import errors
    from widgets.main_window import MainWindow

    told: list[str] = []
    monkeypatch.setattr(
        errors, "inform", lambda parent, title, text, error=False: told.append(text)
    )
    window = MainWindow()
    qtbot.addWidget(window)
    open_and_wait(window, project)
    assert window.session is None
    assert told and "已在另一个窗口中打开" in told[0] and project.name in told[0]


def test_the_window_holding_a_project_comes_forward(project: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtNetwork import QLocalSocket

    from widgets.instance import ACK, RAISE, server_name
    from widgets.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    open_and_wait(window, project)
    assert window.beacon is not None and window.beacon.listening()
    window.showMinimized()
    socket = QLocalSocket()
    with qtbot.waitSignal(window.beacon.raise_requested, timeout=5000):
        socket.connectToServer(server_name(Path(str(project).replace("澳澜 智联", "./澳澜 智联"))))
        socket.write(RAISE)
    qtbot.waitUntil(lambda: socket.bytesAvailable() > 0, timeout=5000)
    assert bytes(socket.readAll().data()) == ACK
    assert not window.isMinimized()
    # Closing the project stops listening: the file may then be opened elsewhere.
    window.set_session(None)
    assert window.beacon is None


def test_a_live_window_keeps_its_server_and_a_stale_one_is_replaced(
    project: Path, tmp_path: Path, gui_app
) -> None:  # type: ignore[no-untyped-def]
    import socket as sockets

    from PySide6.QtCore import QDir

    from widgets.instance import ProjectBeacon, server_name

    first = ProjectBeacon(project)
    second = ProjectBeacon(project)  # e.g. a read-only view of the same file: must not steal it
    assert first.listening() and not second.listening()
    second.close()
    first.close()
    if sys.platform == "win32":
        return  # named pipes vanish with their process: nothing can be stale there
    # A program that crashed leaves its socket file behind: nobody answers, so it is replaced.
    path = Path(QDir.tempPath()) / server_name(project)
    stale = sockets.socket(sockets.AF_UNIX)
    stale.bind(str(path))
    stale.close()
    assert path.exists()
    third = ProjectBeacon(project)
    assert third.listening()
    third.close()
