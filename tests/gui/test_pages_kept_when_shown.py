"""Pages shown again without a change since they were built keep what they show (the 检查 list
and where the clerk was in it); a change made while they were hidden shows when they are shown.
Wrapped labels give the heights Qt's own label gives, for their current text and font."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.guide import DEFAULT_GUIDE_ID
from tests.gui.opening import open_and_wait
from widgets.items.item_list import ITEM_ROLE
from widgets.main_window import MainWindow
from widgets.session import ProjectSession
from widgets.wrapped_label import WrappedLabel

COMPANY, ITEMS, EVIDENCE, CHECK, OUTPUT = 1, 2, 3, 4, 5


def _window(qtbot, path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(today=dt.date(2019, 2, 1))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    open_and_wait(window, path)
    assert window.session is not None
    qtbot.waitUntil(lambda: not window.pages_loading)  # the hidden pages have loaded it
    return window


def test_the_check_page_shown_again_keeps_its_list_and_place(
    qtbot, gui_app, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "甲公司.sbproj"
    ProjectSession.create(path, DEFAULT_GUIDE_ID).close()
    window = _window(qtbot, path)
    window.go(CHECK)
    tree = window.check_page.tree
    group = tree.topLevelItem(0)
    assert group is not None and group.childCount() >= 2
    assert tree.currentItem() is group.child(0)  # built: the first finding is current
    tree.setCurrentItem(group.child(1))

    window.go(COMPANY)
    window.go(CHECK)
    assert tree.topLevelItem(0) is group  # not built again: nothing changed
    assert tree.currentItem() is group.child(1)

    # a change while hidden: built again when shown, from the first finding
    window.go(COMPANY)
    assert window.session is not None
    window.session.set_company_field("credit_code", "91440400MA4UXXXX0R")
    qtbot.wait(50)  # announced on the next turn of the event loop
    window.go(CHECK)
    rebuilt = tree.topLevelItem(0)
    assert rebuilt is not group
    assert rebuilt is not None and tree.currentItem() is rebuilt.child(0)
    listed = {
        str(tree.topLevelItem(g).child(i).data(0, Qt.ItemDataRole.UserRole + 1))
        for g in range(tree.topLevelItemCount())
        for i in range(tree.topLevelItem(g).childCount())
    }
    assert listed == {f.where for f in window.session.findings}


def test_the_items_page_shows_a_change_made_while_hidden(qtbot, gui_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "乙公司.sbproj"
    ProjectSession.create(path, DEFAULT_GUIDE_ID).close()
    window = _window(qtbot, path)
    session = window.session
    assert session is not None
    window.go(ITEMS)
    page = window.items_page
    first = session.guide.item_ids[0]
    node = page.tree.node(first)
    assert node is not None and node.checkState(0) == Qt.CheckState.Unchecked
    total_before = page.total_label.text()

    window.go(COMPANY)
    session.set_item_selected(first, True)
    qtbot.wait(50)
    assert node.checkState(0) == Qt.CheckState.Unchecked  # hidden: left to its showing
    window.go(ITEMS)
    node = page.tree.node(first)
    assert node is not None and node.data(0, ITEM_ROLE) == first
    assert node.checkState(0) == Qt.CheckState.Checked
    assert page.total_label.text() != total_before

    # shown again with no change: what it shows stays the project's
    window.go(COMPANY)
    window.go(ITEMS)
    assert page.tree.node(first) is node
    assert node.checkState(0) == Qt.CheckState.Checked


def test_a_wrapped_label_gives_qt_s_heights_for_its_current_text(qtbot, gui_app) -> None:  # type: ignore[no-untyped-def]
    text = "按营业执照和开户许可证填写，带 * 的必须填写；输入即自动保存，" * 6
    ours, theirs = WrappedLabel(text), QLabel(text)
    theirs.setWordWrap(True)
    for label in (ours, theirs):
        qtbot.addWidget(label)
    widths = (120, 300, 700, 300)
    assert [ours.heightForWidth(w) for w in widths] == [theirs.heightForWidth(w) for w in widths]
    narrow = ours.heightForWidth(120)
    assert narrow > ours.heightForWidth(700)

    # new text, rich text, a larger font, margins: the heights follow
    for label in (ours, theirs):
        label.setText("短")
    assert ours.heightForWidth(120) == theirs.heightForWidth(120) < narrow
    for label in (ours, theirs):
        label.setText("<b>下一步：</b>" + text)
        label.setTextFormat(Qt.TextFormat.RichText)
    assert ours.heightForWidth(300) == theirs.heightForWidth(300)
    before = ours.heightForWidth(300)
    for label in (ours, theirs):
        font = label.font()
        font.setPointSizeF(font.pointSizeF() * 2)
        label.setFont(font)
    assert ours.heightForWidth(300) == theirs.heightForWidth(300) > before
    for label in (ours, theirs):
        label.setContentsMargins(0, 10, 0, 10)
    assert ours.heightForWidth(300) == theirs.heightForWidth(300)


def test_hidden_pages_are_laid_out_at_the_shown_size_after_opening(
    qtbot, gui_app, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "丙公司.sbproj"
    ProjectSession.create(path, DEFAULT_GUIDE_ID).close()
    window = _window(qtbot, path)
    assert window.stack.currentWidget() is window.company_page
    qtbot.waitUntil(lambda: not window.hidden_pages.running)
    shown = window.stack.scroll_area(COMPANY)
    assert shown is not None
    for index in (0, ITEMS, CHECK, OUTPUT):  # drawn ahead at the size they will show at
        scroll = window.stack.scroll_area(index)
        assert scroll is not None and not scroll.isVisible()
        assert scroll.geometry() == shown.geometry(), window.pages[index].title
    evidence = window.stack.scroll_area(EVIDENCE)  # not drawn: its thumbnails are not asked for
    assert evidence is not None and evidence.geometry() != shown.geometry()
    assert window.evidence_page.thumbnails.pending() == 0
    # the 检查 list, built only when shown otherwise, was built for its first showing
    check = window.check_page
    assert not check.isVisible() and check.built and check.tree.topLevelItemCount() > 0
    group = check.tree.topLevelItem(0)
    window.go(CHECK)
    assert check.tree.topLevelItem(0) is group

    window.go(OUTPUT)  # shown as laid out, with this project's folder
    scroll = window.stack.scroll_area(OUTPUT)
    assert scroll is not None and scroll.isVisible() and scroll.geometry() == shown.geometry()
    assert window.output_page.out_edit.text().endswith("丙公司-申报材料")


def test_the_items_page_loaded_hidden_builds_its_detail_a_turn_later(
    qtbot, gui_app, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "丁公司.sbproj"
    session = ProjectSession.create(path, DEFAULT_GUIDE_ID)
    item = next(it for it in session.guide.items if it.table is not None)
    assert item.table is not None
    session.store.set_selected([item.id])
    session.close()
    window = MainWindow(today=dt.date(2019, 2, 1))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)

    def given() -> ProjectSession:
        session = ProjectSession.open(path)
        window.set_session(session)  # no turn of the event loop yet: 开始 is shown
        page.ensure_loaded()  # loaded hidden: the list now, the item's form and table later
        assert page.current_item_id() == item.id
        assert page.editors == {}
        return session

    page = window.items_page
    given()
    qtbot.waitUntil(lambda: item.table in page.editors)  # a later turn, still hidden
    assert not page.isVisible() and page.item_title.text() == item.full_title

    # asked for (a finding's table, the table editor): built there and then
    window.set_session(None)
    given()
    editor = page.table_editor(item.table)
    assert editor is not None and page.editors == {item.table: editor}

    # shown before the later turn: built for the showing
    window.set_session(None)
    given()
    window.go(ITEMS)
    assert item.table in page.editors and page.table_host.isVisible()
