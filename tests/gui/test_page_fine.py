"""「此页无误」 on the 材料 page's fix bar (a flagged page the clerk says is right: its finding
goes, Ctrl+Z brings it back, reopening keeps it), and an older project's pages checked in the
background when it is opened in the window."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication

from app.guide import DEFAULT_GUIDE_ID
from app.intake import import_bytes
from tests.gui.conftest import save_shot
from tests.pagecheck_support import old_project, three_pages
from widgets.main_window import MainWindow
from widgets.pages.evidence import EvidencePage
from widgets.session import ProjectSession

KEY = ("business_license", None)


def _codes(session: ProjectSession) -> set[tuple[str, str]]:
    return {(f.code, f.where) for f in session.findings if f.code.startswith("page.")}


def _page(qtbot, session: ProjectSession) -> EvidencePage:  # type: ignore[no-untyped-def]
    page = EvidencePage()
    qtbot.addWidget(page)
    page.set_session(session)
    page.resize(1366, 768)
    page.show()
    return page


def test_this_page_is_fine_clears_the_finding_undo_brings_it_back_reopen_keeps_it(
    qtbot,  # type: ignore[no-untyped-def]
    gui_app,
    tmp_path: Path,
) -> None:
    path = tmp_path / "项目.sbproj"
    session = ProjectSession.create(path, DEFAULT_GUIDE_ID)
    page = _page(qtbot, session)
    (fid,) = session.attach(*KEY, [import_bytes("执照.pdf", three_pages())])
    QApplication.processEvents()
    bar = page.page_fix
    sideways, blank = ("page.sideways", f"evidence.{fid}.1"), ("page.blank", f"evidence.{fid}.2")
    assert _codes(session) == {sideways, blank}

    # two flagged pages, the upright one selected: which page is meant must be chosen first
    assert page.focus_where(f"evidence.{fid}.0")
    qtbot.waitUntil(bar.isVisible)
    assert bar.fine.isVisible() and not bar.fine.isEnabled()
    assert "选中" in bar.fine.toolTip()

    assert page.focus_where(f"evidence.{fid}.1")
    assert bar.fine.isEnabled() and bar.fine.text() == "此页无误（第 2 页）"
    assert "此页无误" in bar.label.text()
    QApplication.processEvents()
    save_shot(page, "page_fine_before")
    qtbot.mouseClick(bar.fine, Qt.MouseButton.LeftButton)
    assert _codes(session) == {blank}
    assert "已确认无误" in page.page_strip.item(1).text()
    assert "方向不对" not in page.file_list.currentItem().text()
    assert "第 3 页" in bar.label.text() and "不是正向" not in bar.label.text()
    assert bar.fine.text() == "此页无误（第 3 页）"  # the only flagged page left
    assert "已确认" in page.message.text()
    assert session.undo_stack.undoText() == "确认“执照.pdf”第 2 页无误"

    session.undo()
    qtbot.waitUntil(lambda: "方向不对" in page.page_strip.item(1).text())
    assert _codes(session) == {sideways, blank}
    assert not page.message.isVisible() or "已确认" not in page.message.text()
    session.redo()
    assert _codes(session) == {blank}

    page.page_strip.setCurrentRow(2)
    qtbot.mouseClick(bar.fine, Qt.MouseButton.LeftButton)
    assert _codes(session) == set()
    qtbot.waitUntil(lambda: not bar.isVisible())
    save_shot(page, "page_fine_after")

    session.close()
    again = ProjectSession.open(path)  # the file alone carries it (another PC)
    try:
        page.set_session(again)
        assert _codes(again) == set()
        assert page.focus_where(f"evidence.{fid}.2")
        assert "已确认无误" in page.page_strip.item(2).text() and not bar.isVisible()
        # turning the page lifts what was said of it as it stood
        page.page_strip.setCurrentRow(1)
        page.rotate_current_page(180)
        assert _codes(again) == {sideways}
        again.undo()
        assert _codes(again) == set()
    finally:
        page.set_session(None)
        again.close()


def test_an_old_projects_pages_are_checked_in_the_background_when_opened(
    qtbot,  # type: ignore[no-untyped-def]
    gui_app,
    tmp_path: Path,
) -> None:
    path = old_project(6, tmp_path)
    window = MainWindow(today=dt.date(2019, 1, 28))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    session = ProjectSession.open(path)
    seen: list[tuple[int, int]] = []
    session.page_check.progress.connect(lambda done, total: seen.append((done, total)))
    window.set_session(session)  # the check started with the session: the window says so
    notice = window.page_check_notice
    assert notice.isVisible() and "0/3 页" in notice.text()
    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)  # not the check's signals
    save_shot(window, "page_check_notice")
    qtbot.waitUntil(lambda: not session.checking_pages, timeout=30000)
    assert seen[-2:] == [(3, 3), (0, 0)] and not notice.isVisible()
    (f,) = session.data.evidence
    qtbot.waitUntil(lambda: len(_codes(session)) == 2, timeout=30000)
    assert _codes(session) == {
        ("page.sideways", f"evidence.{f.id}.1"),
        ("page.blank", f"evidence.{f.id}.2"),
    }
    window.navigate_to(f"evidence.{f.id}.1")
    evidence = window.evidence_page
    qtbot.waitUntil(evidence.page_fix.isVisible, timeout=30000)
    assert evidence.page_fix.fine.text() == "此页无误（第 2 页）"
    save_shot(window, "page_check_old_project")
    window.close()
    conn = sqlite3.connect(path)
    stored = [a for (a,) in conn.execute("SELECT analysis FROM pages ORDER BY page_index")]
    conn.close()
    assert all(a is not None for a in stored) and '"blank":true' in stored[2]


def test_closing_while_the_check_runs_keeps_the_file_whole(
    qtbot,  # type: ignore[no-untyped-def]
    gui_app,
    tmp_path: Path,
) -> None:
    path = old_project(5, tmp_path)
    session = ProjectSession.open(path)
    session.close()  # at once: the check is cancelled between pages, or never starts
    qtbot.waitUntil(lambda: not session.checking_pages, timeout=30000)
    again = ProjectSession.open(path)
    try:
        qtbot.waitUntil(lambda: not again.checking_pages, timeout=30000)
        (f,) = again.data.evidence
        assert all(p.checked for p in f.pages)
        assert {c for c, _w in _codes(again)} == {"page.sideways", "page.blank"}
        assert again.store.verify() == []
    finally:
        again.close()
