"""Open a project in a main window and wait for it: ``MainWindow.open_project`` reads the file in
the background (the window shows 正在打开… meanwhile)."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtWidgets import QApplication


def open_and_wait(window, path: Path, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    window.open_project(path)
    deadline = time.monotonic() + timeout
    while window.opening is not None:
        assert time.monotonic() < deadline, f"{path.name} did not open within {timeout} s"
        QApplication.processEvents()
        time.sleep(0.005)
    QApplication.processEvents()
