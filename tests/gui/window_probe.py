"""Run in a child process (tests/gui/test_window_points.py), with QT_SCALE_FACTOR set for 150 %:
the sample project open in a window the size a first window gets on a ``W``×``H`` screen; is the
输出 page's 生成 button in view without scrolling, and does the packet viewer fit the screen?
Printed as JSON."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from PySide6.QtCore import QPoint, QRect
from PySide6.QtTest import QTest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from app.manifest.load import load_manifest
from app.manifest.transfer import import_manifest
from app.outputs.demo import SAMPLE_MANIFEST
from tests.gui.opening import open_and_wait
from widgets.app import make_app
from widgets.main_window import MainWindow, initial_geometry
from widgets.packet_view import PacketViewer

TASKBAR = 40


def in_view(window: MainWindow) -> dict[str, object]:
    """Where the 生成 button is in its page's scroll area (the window's own)."""
    page = window.output_page
    index = window.pages.index(page)
    scroll = window.stack.scroll_area(index)
    assert scroll is not None
    viewport = scroll.viewport()
    button = page.build_button
    top_left = button.mapTo(viewport, QPoint(0, 0))
    rect = QRect(top_left, button.size())
    return {
        "inside": viewport.rect().contains(rect),
        "scroll_max": scroll.verticalScrollBar().maximum(),
        "button": [rect.x(), rect.y(), rect.width(), rect.height()],
        "viewport": [viewport.width(), viewport.height()],
        "visible": button.isVisible(),
    }


def main(folder: str, width: int, height: int, scale: float) -> None:
    app = make_app([])
    work = Path(folder)
    project = work / "示例.sbproj"
    import_manifest(load_manifest(SAMPLE_MANIFEST), project)
    window = MainWindow(today=dt.date(2019, 1, 28))
    logical = QRect(0, 0, round(width / scale), round(height / scale) - TASKBAR)
    window.resize(initial_geometry(logical).size())
    window.show()
    open_and_wait(window, project)
    window.go(window.pages.index(window.output_page))
    QTest.qWait(200)
    app.processEvents()
    out: dict[str, object] = {"window": [window.width(), window.height()]}
    out.update(in_view(window))
    pdf = work / "p.pdf"
    c = canvas.Canvas(str(pdf), pagesize=A4)
    c.drawString(100, 700, "page")
    c.showPage()
    c.save()
    viewer = PacketViewer(pdf, window)
    viewer.show()
    QTest.qWait(100)
    screen = viewer.screen().availableGeometry()
    frame = viewer.geometry()
    out["viewer"] = [frame.x(), frame.y(), frame.width(), frame.height()]
    out["screen"] = [screen.x(), screen.y(), screen.width(), screen.height()]
    out["viewer_fits"] = screen.contains(frame)
    viewer.close()
    window.close()
    sys.stdout.write(json.dumps(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]))
