"""Closing the packet window lets its document go in the background: PDFium freeing a
1,000-page packet's parsed pages held the window's thread ~0.2 s when the window was deleted."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread
from PySide6.QtPdf import QPdfPageRenderer
from reportlab.pdfgen import canvas
from shiboken6 import Shiboken

from widgets.packet_view import PacketViewer


def _packet(path: Path, pages: int = 3) -> Path:
    c = canvas.Canvas(str(path))
    for n in range(pages):
        c.drawString(100, 700, f"第 {n + 1} 页")
        c.bookmarkPage(f"p{n}")
        c.addOutlineEntry(f"第 {n + 1} 页", f"p{n}")
        c.showPage()
    c.save()
    return path


def _where_destroyed(obj: QObject) -> list[str]:
    where: list[str] = []
    obj.destroyed.connect(
        lambda *_: where.append(
            QThread.currentThread().objectName() or threading.current_thread().name
        ),
        Qt.ConnectionType.DirectConnection,
    )
    return where


def test_a_closed_packet_window_deletes_its_document_in_another_thread(qtbot, tmp_path):  # type: ignore[no-untyped-def]
    viewer = PacketViewer(_packet(tmp_path / "申报材料.pdf"))
    viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    viewer.show()
    qtbot.waitExposed(viewer)
    document = viewer.document
    assert document.pageCount() == 3 and viewer.toc_titles()[0] == ("第 1 页", 0)
    viewer.go_to(2)
    qtbot.waitUntil(lambda: viewer.current_page() == 2)
    where = _where_destroyed(document)
    renderer = viewer.view.findChild(QPdfPageRenderer)  # Qt's, drawing pages in its own thread
    renderer_where = _where_destroyed(renderer) if renderer is not None else ["disposal"]
    viewer.close()
    qtbot.waitUntil(lambda: bool(where and renderer_where), timeout=10000)
    assert where == ["disposal"] and renderer_where == ["disposal"]
    assert not Shiboken.isValid(document)
    qtbot.waitUntil(lambda: not Shiboken.isValid(viewer))


def test_a_packet_window_kept_on_close_keeps_its_document(qtbot, tmp_path):  # type: ignore[no-untyped-def]
    viewer = PacketViewer(_packet(tmp_path / "申报材料.pdf"))
    qtbot.addWidget(viewer)
    viewer.show()
    viewer.close()
    viewer.show()
    viewer.go_to(2)
    qtbot.waitUntil(lambda: viewer.current_page() == 2)
    assert Shiboken.isValid(viewer.document) and viewer.document.pageCount() == 3


def test_windows_closed_one_after_another_all_let_go(qtbot, tmp_path):  # type: ignore[no-untyped-def]
    pdf = _packet(tmp_path / "申报材料.pdf")
    wheres = []
    for _ in range(3):
        viewer = PacketViewer(pdf)
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        viewer.show()
        wheres.append(_where_destroyed(viewer.document))
        viewer.close()
    qtbot.waitUntil(lambda: all(wheres), timeout=10000)
    assert wheres == [["disposal"]] * 3
