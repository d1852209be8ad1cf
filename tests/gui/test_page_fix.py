"""The 材料 page's fix bar: a page judged sideways at import is turned upright, a blank page is
removed, each in one click and each undone with Ctrl+Z."""

from __future__ import annotations

import io

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from app.intake import import_bytes
from tests.gui.conftest import save_shot
from tests.pagecheck_support import three_pages
from widgets.pages.evidence import EvidencePage
from widgets.session import ProjectSession

KEY = ("business_license", None)


@pytest.fixture
def page(qtbot, session: ProjectSession) -> EvidencePage:  # type: ignore[no-untyped-def]
    p = EvidencePage()
    qtbot.addWidget(p)
    p.set_session(session)
    p.resize(1366, 768)
    p.show()
    return p


def _codes(session: ProjectSession) -> set[tuple[str, str]]:
    return {(f.code, f.where) for f in session.findings if f.code.startswith("page.")}


def test_turn_upright_and_remove_blank_in_one_click_each_with_undo(qtbot, session, page):  # type: ignore[no-untyped-def]
    (fid,) = session.attach(
        *KEY, [import_bytes("执照.pdf", three_pages("营业执照 business licence line {i}"))]
    )
    QApplication.processEvents()  # the page shows the attached file (a queued change)
    assert page.focus_where(f"evidence.{fid}.1")
    qtbot.waitUntil(lambda: page.page_fix.isVisible())
    assert page.current_page() == 1
    assert _codes(session) == {
        ("page.sideways", f"evidence.{fid}.1"),
        ("page.blank", f"evidence.{fid}.2"),
    }
    text = page.page_fix.label.text()
    assert "第 2 页" in text and "第 3 页" in text
    assert page.page_fix.upright.isVisible() and page.page_fix.remove.isVisible()
    assert not page.page_fix.right.isVisible()
    assert "方向不对" in page.page_strip.item(1).text() and "空白" in page.page_strip.item(2).text()
    save_shot(page, "page_fix")

    qtbot.mouseClick(page.page_fix.upright, Qt.MouseButton.LeftButton)
    f = session.data.files_for(*KEY)[0]
    assert f.pages[1].user_rotation == 90 and not f.pages[1].sideways
    assert _codes(session) == {("page.blank", f"evidence.{fid}.2")}
    assert not page.page_fix.upright.isVisible() and page.page_fix.remove.isVisible()

    qtbot.mouseClick(page.page_fix.remove, Qt.MouseButton.LeftButton)
    f = session.data.files_for(*KEY)[0]
    assert f.page_count == 2 and _codes(session) == set()
    assert page.page_strip.count() == 2 and not page.page_fix.isVisible()
    assert "已删除" in page.message.text()
    assert session.undo_stack.undoText().startswith("删除“执照.pdf”第 3 页")

    session.undo_stack.undo()
    qtbot.waitUntil(lambda: page.page_strip.count() == 3)
    assert session.data.files_for(*KEY)[0].pages[2].blank
    session.undo_stack.undo()
    assert session.data.files_for(*KEY)[0].pages[1].sideways
    qtbot.waitUntil(lambda: page.page_fix.upright.isVisible())
    session.undo_stack.redo()
    session.undo_stack.redo()
    assert session.data.files_for(*KEY)[0].page_count == 2


def test_a_blank_single_page_file_is_removed_whole(qtbot, session, page):  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.showPage()
    c.save()
    (fid,) = session.attach(*KEY, [import_bytes("空白.pdf", out.getvalue())])
    QApplication.processEvents()
    assert page.focus_where(f"evidence.{fid}.0")
    qtbot.waitUntil(lambda: page.page_fix.isVisible())
    assert "这个文件几乎是空白页" in page.page_fix.label.text()
    qtbot.mouseClick(page.page_fix.remove, Qt.MouseButton.LeftButton)
    assert session.data.files_for(*KEY) == ()
    session.undo_stack.undo()
    assert [f.id for f in session.data.files_for(*KEY)] == [fid]
