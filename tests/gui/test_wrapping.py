"""Text that is the information wraps instead of ending in … (findings, material names); a
finding about an ineligible item says to untick it and 前往修改 goes to its tick box."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.rules.findings import validate
from widgets.pages.check import CheckPage
from widgets.pages.evidence import EvidencePage
from widgets.pages.items import ItemsPage


def make_ineligible(session) -> None:  # type: ignore[no-untyped-def]
    session.set_item_selected("culture_service_export", True)
    session.set_input("culture_service_export", "in_catalogue", True)
    session.set_input("culture_service_export", "export_amount", Decimal(500000))


def test_ineligible_finding_reads_well_and_says_to_untick(session):  # type: ignore[no-untyped-def]
    make_ineligible(session)
    [f] = [f for f in validate(session.guide, session.data) if f.code == "item.ineligible"]
    assert "。；" not in f.message and "；；" not in f.message
    assert f.message.endswith("请取消勾选该项目。")


def test_go_to_an_ineligible_item_lands_on_its_tick_box(qtbot, session):  # type: ignore[no-untyped-def]
    make_ineligible(session)
    page = ItemsPage()
    qtbot.addWidget(page)
    page.set_session(session)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    assert page.focus_where("item.culture_service_export")
    assert QApplication.focusWidget() is page.select_box


def test_long_findings_wrap_in_full(qtbot, session):  # type: ignore[no-untyped-def]
    make_ineligible(session)
    page = CheckPage()
    qtbot.addWidget(page)
    page.set_session(session)
    page.resize(900, 600)
    page.show()
    page.refresh()
    qtbot.wait(20)
    tree = page.tree
    blocking = tree.topLevelItem(0)
    assert blocking is not None
    rows = [blocking.child(n) for n in range(blocking.childCount())]
    long_row = next(r for r in rows if r is not None and "不符合条件" in r.text(0))
    short_row = next(r for r in rows if r is not None and len(r.text(0)) < 20)
    tall = tree.visualItemRect(long_row).height()
    assert tall >= 2 * tree.visualItemRect(short_row).height() - 4  # wrapped, not elided
    assert tree.textElideMode() == Qt.TextElideMode.ElideNone
    # Narrower still: the row grows.
    page.resize(600, 600)
    qtbot.waitUntil(lambda: tree.visualItemRect(long_row).height() > tall)


def test_material_names_are_whole(qtbot, session):  # type: ignore[no-untyped-def]
    page = EvidencePage()
    qtbot.addWidget(page)
    page.set_session(session)
    page.resize(900, 600)
    page.show()
    tree = page.tree
    assert tree.textElideMode() == Qt.TextElideMode.ElideNone and tree.wordWrap()
    base = tree.topLevelItem(0)
    assert base is not None
    names = [base.child(n) for n in range(base.childCount())]
    long_name = max((n for n in names if n is not None), key=lambda n: len(n.text(0)))
    one_line = tree.fontMetrics().height()
    tree.setColumnWidth(0, 200)
    tree.header().resizeSection(0, 200)
    qtbot.waitUntil(lambda: tree.visualItemRect(long_name).height() > 2 * one_line)
